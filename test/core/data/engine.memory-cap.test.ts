import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_SHARE, duckdbBufferPool, duckdbMemoryLimit, machineMemory } from '../../../core/data/engine.ts';

const MB = 1024 ** 2;

describe('FLOWLINE_DUCKDB_MEMORY', () => {
  it('defaults to a quarter of the machine (never more than its memory), takes sizes and shares, and names itself when it cannot be read', () => {
    expect(machineMemory()).toBeLessThanOrEqual(totalmem());
    expect(duckdbMemoryLimit(undefined)).toBe(Math.max(256 * MB, Math.floor(machineMemory() * DEFAULT_MEMORY_SHARE)));
    expect(duckdbMemoryLimit('')).toBe(duckdbMemoryLimit(undefined));
    expect(duckdbMemoryLimit('1GB')).toBe(1024 * MB);
    expect(duckdbMemoryLimit('512 MiB')).toBe(512 * MB);
    expect(duckdbMemoryLimit('50%')).toBe(Math.max(256 * MB, Math.floor(machineMemory() / 2)));
    expect(() => duckdbMemoryLimit('lots')).toThrow(/FLOWLINE_DUCKDB_MEMORY is "lots".*2GB/);
    expect(() => duckdbMemoryLimit('150%')).toThrow(/FLOWLINE_DUCKDB_MEMORY/);
  });

  it("keeps DuckDB's buffer pool to 70% of the cap (never under 16 MB): the rest is for what DuckDB allocates beside it", () => {
    expect(duckdbBufferPool(1024 * MB)).toBe(Math.floor(0.7 * 1024 * MB));
    expect(duckdbBufferPool(256 * MB)).toBe(Math.floor(0.7 * 256 * MB));
    expect(duckdbBufferPool(16 * MB)).toBe(16 * MB);
  });
});
