import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../../core/data/bytes.ts';
import { withConnection } from '../../../core/data/engine.ts';

// This file's process gets a DuckDB of its own (vitest isolates test files), created on first use
// with this cap: read when the instance starts.
process.env.FLOWLINE_DUCKDB_MEMORY = '1GB';

describe('FLOWLINE_DUCKDB_MEMORY is what DuckDB may use, not only its buffer pool', () => {
  it('starts DuckDB with a memory_limit of 70% of the cap', async () => {
    // DuckDB's memory_limit bounds its buffer manager only: with it at the whole cap, a 16M-row
    // load → profile → filter → aggregate under 1 GB peaked at 1.2–1.33 GB.
    const setting = await withConnection(async (con) => String((await con.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRowsJS()[0][0]));
    expect(setting).toMatch(/MiB$/);
    expect(parseBytes(setting.replace(' ', ''))).toBe(716 * 1024 ** 2);
  });
});
