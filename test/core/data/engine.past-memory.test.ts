import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCsv } from '../../../core/data/csv.ts';
import { duckdbMemoryLimit, withConnection } from '../../../core/data/engine.ts';
import { filterRows, runSql } from '../../../core/data/ops.ts';
import { profileOf } from '../../../core/data/profile.ts';
import { readColumns } from '../../../core/data/tables.ts';
import { writeBigCsv } from '../../support/big-csv.ts';
import { fakeContext } from '../../support/fake-context.ts';

const CAP = 16 * 1024 ** 2;
const ROWS = 420_000;

// This file's process gets a DuckDB of its own (vitest isolates test files), created on first use
// with this cap: read when the instance starts.
process.env.FLOWLINE_DUCKDB_MEMORY = '16MB';

describe('a CSV larger than DuckDB memory cap', () => {
  let dir: string;
  beforeAll(async () => {
    dir = fakeContext().outDir;
    await writeBigCsv(dir, ROWS);
  });

  it('loads, profiles, filters and aggregates under a 16 MB cap (the file is 3× the cap)', async () => {
    expect(duckdbMemoryLimit()).toBe(CAP);
    expect(await withConnection(async (con) => String((await con.runAndReadAll(`SELECT current_setting('memory_limit')`)).getRowsJS()[0][0]))).toBe('16.0 MiB');
    expect(statSync(join(dir, 'big.csv')).size).toBeGreaterThan(3 * CAP);

    const ctx = fakeContext({ pipelineDir: dir });
    const t = await loadCsv(ctx, { path: 'big.csv' });
    expect(t.rowCount).toBe(ROWS);
    expect(t.columns).toHaveLength(20);

    const profile = await profileOf(t);
    const id = profile.find((p) => p.name === 'id')!;
    expect(id).toMatchObject({ count: ROWS, min: 0, max: ROWS - 1 });
    expect(id.histogram!.reduce((a, h) => a + h.count, 0)).toBe(ROWS);
    expect(profile.find((p) => p.name === 'cat')!.distinct).toBe(40);

    const kept = await filterRows(fakeContext({ pipelineDir: dir }), t, 'target == 1');
    const target = (await readColumns(t, ['target'])).columns.target as Float64Array;
    expect(kept.rowCount).toBe(target.filter((v) => v === 1).length);
    expect(kept.rowCount).toBeGreaterThan(0.25 * ROWS);

    const agg = await runSql(fakeContext({ pipelineDir: dir }), [kept], 'SELECT seg, count(*) AS n, avg(x0) AS mean_x0 FROM input1 GROUP BY seg ORDER BY seg');
    expect(agg.rowCount).toBe(5000);
    const n = (await readColumns(agg, ['n'])).columns.n as Float64Array;
    expect(n.reduce((a, b) => a + b, 0)).toBe(kept.rowCount);
  });
});
