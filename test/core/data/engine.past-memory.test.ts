import { statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCsv } from '../../../core/data/csv.ts';
import { duckdbMemoryLimit, literal, withConnection } from '../../../core/data/engine.ts';
import { filterRows, runSql } from '../../../core/data/ops.ts';
import { profileOf } from '../../../core/data/profile.ts';
import { readColumns } from '../../../core/data/tables.ts';
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
    // 20 columns like the scale bench: numbers, whole numbers, categories and a date, ~125 bytes a line.
    const cols = ['i AS id', ...Array.from({ length: 12 }, (_, k) => `round(((hash(i + ${k}) % 100000) / 1000.0) - 50, 3) AS x${k}`), ...Array.from({ length: 3 }, (_, k) => `(hash(i * 3 + ${k}) % ${10 ** (k + 1)}) AS n${k}`), `'c' || (hash(i) % 40) AS cat`, `'s' || (hash(i + 9) % 5000) AS seg`, `DATE '2020-01-01' + CAST(hash(i + 7) % 1500 AS INTEGER) AS day`, `(hash(i + 11) % 10 < 3)::INTEGER AS target`];
    await withConnection((con) => con.run(`COPY (SELECT ${cols.join(', ')} FROM range(${ROWS}) t(i)) TO ${literal(join(dir, 'big.csv'))} (FORMAT csv, HEADER true)`));
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
