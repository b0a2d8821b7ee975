import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCsv } from '../../../core/data/csv.ts';
import { filterRows } from '../../../core/data/ops.ts';
import { literal, readColumns, withConnection } from '../../../core/data/tables.ts';
import { fakeContext } from '../../support/fake-context.ts';

/** 160,000 lines of ~130 bytes (≈20 MB): DuckDB splits a file this size between its threads. */
const ROWS = 160_000;

async function writeBigCsv(dir: string): Promise<string> {
  const path = `${dir}/big.csv`;
  // Values are a scrambled function of the line so that any reordering shows.
  await withConnection((con) => con.run(`COPY (SELECT i AS line, (i * 7919) % 100003 AS v, repeat('x', 100) || i AS pad FROM range(${ROWS}) t(i)) TO ${literal(path)} (FORMAT csv, HEADER true)`));
  return path;
}

describe('a loaded CSV keeps the file order', () => {
  it('row ids are the line order of a file read by several threads, filters keep them, and a rerun writes the same bytes', async () => {
    const dir = fakeContext().outDir;
    await writeBigCsv(dir);
    const first = fakeContext({ pipelineDir: dir });
    const t = await loadCsv(first, { path: 'big.csv' });
    expect(t.rowCount).toBe(ROWS);
    const r = await readColumns(t, ['line', 'v']);
    const line = r.columns.line as Float64Array;
    const v = r.columns.v as Float64Array;
    let misplaced = 0;
    for (let i = 0; i < ROWS; i++) if (r.rowIds[i] !== i || line[i] !== i || v[i] !== (i * 7919) % 100003) misplaced++;
    expect(misplaced).toBe(0);

    // A row-preserving step carries the source's ids through.
    const kept = await filterRows(fakeContext({ pipelineDir: dir }), t, 'line >= 150000');
    const k = await readColumns(kept, ['line']);
    expect(k.rowIds.length).toBe(10_000);
    expect(Array.from(k.rowIds.slice(0, 3))).toEqual([150_000, 150_001, 150_002]);
    expect(Array.from((k.columns.line as Float64Array).slice(-1))).toEqual([ROWS - 1]);

    const again = await loadCsv(fakeContext({ pipelineDir: dir }), { path: 'big.csv' });
    const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(sha(again.path)).toBe(sha(t.path));
  });
});
