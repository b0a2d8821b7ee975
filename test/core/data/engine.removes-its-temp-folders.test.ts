import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spillFolder } from '../../../core/data/engine.ts';

const ENGINE = pathToFileURL(join(import.meta.dirname, '../../../core/data/engine.ts')).href;

/** A Flowline process that makes DuckDB spill to disk (a sort larger than its memory), then ends. */
const SPILLING_PROCESS = `
import { existsSync, mkdirSync } from 'node:fs';
const { withConnection, spillFolder } = await import(${JSON.stringify(ENGINE)});
await withConnection(async (con) => {
  await con.run("SET memory_limit = '20MB'");
  await con.run("SET threads = 1");
  await con.run("SELECT max(x) FROM (SELECT row_number() OVER (ORDER BY s DESC) AS x FROM (SELECT repeat('x', 40) || range::VARCHAR AS s FROM range(400000)))");
});
// A worker thread's instance spills to its own folder, and a terminated worker cleans nothing up.
mkdirSync(spillFolder(process.pid, 3), { recursive: true });
console.log(JSON.stringify({ spilled: existsSync(spillFolder()), pid: process.pid }));
`;

function runFlowlineProcess(env: Record<string, string> = {}): { spilled: boolean; pid: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SPILLING_PROCESS], { encoding: 'utf8', cwd: join(import.meta.dirname, '../../..'), env: { ...process.env, ...env } });
  if (child.status !== 0) throw new Error(`the child process failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

describe('DuckDB temp folders', () => {
  it('are all removed when the process exits, and those of processes that died are removed by the next one', () => {
    // A process that was killed before it could clean up left its folder behind.
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    const orphan = spillFolder(ended, 0);
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'duckdb_temp_block-1.block'), 'x');

    const run = runFlowlineProcess();
    expect(run.spilled).toBe(true);
    expect(existsSync(spillFolder(run.pid, 0))).toBe(false);
    expect(existsSync(spillFolder(run.pid, 3))).toBe(false);
    expect(existsSync(orphan)).toBe(false);
  });
});

describe('DuckDB spill folder', () => {
  it('is inside FLOWLINE_SPILL_DIR (the cache folder the host chose), and removed with its process', () => {
    const cache = mkdtempSync(join(tmpdir(), 'flowline-spill-cache-'));
    const root = join(cache, 'spill');
    mkdirSync(root);
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(spillFolder(ended, 0, root), { recursive: true });

    const run = runFlowlineProcess({ FLOWLINE_SPILL_DIR: root });
    expect(run.spilled).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });
});
