import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCsv } from '../../../core/data/csv.ts';
import { EXACT_LIMIT, pageOf, parquetRanges, profileOf, profileOn } from '../../../core/data/profile.ts';
import { profileMetrics } from '../../../core/data/profile-report.ts';
import { relation, withConnection, writeTable } from '../../../core/data/tables.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { describePython, runPython } from '../../support/python.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/data');

describe('profileOf, hand-computed', () => {
  it('counts, missing, distinct, range, moments, quantiles, top values and histogram', async () => {
    const t = await writeTable(fakeContext(), `SELECT * FROM (VALUES (1.0, 'a', true), (2.0, 'b', false), (3.0, 'a', true), (4.0, NULL, NULL), (NULL, 'a', true)) v(x, s, b)`, { newRowIds: true });
    const [x, s, b] = await profileOf(t, { bins: 3 });
    expect(x).toMatchObject({ name: 'x', type: 'number', count: 4, missing: 1, missingPct: 20, distinct: 4, min: 1, max: 4, mean: 2.5 });
    expect(x.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    const expected = { p05: 1.15, p25: 1.75, p50: 2.5, p75: 3.25, p95: 3.85 };
    for (const [k, v] of Object.entries(expected)) expect(x.quantiles![k], k).toBeCloseTo(v, 12);
    expect(x.histogram).toEqual([
      { x0: 1, x1: 2, count: 1 },
      { x0: 2, x1: 3, count: 1 },
      { x0: 3, x1: 4, count: 2 },
    ]);
    expect(s).toMatchObject({ type: 'string', count: 4, missing: 1, distinct: 2 });
    expect(s.top).toEqual([{ value: 'a', count: 3 }, { value: 'b', count: 1 }, { value: null, count: 1 }]);
    expect(b).toMatchObject({ type: 'boolean', distinct: 2, mean: 0.75 });
    expect(b.top?.[0]).toEqual({ value: true, count: 3 });
    // JSON-safe all the way down
    expect(JSON.parse(JSON.stringify([x, s, b]))).toEqual([x, s, b]);
  });

  it('keeps the profile next to the table file and reads it back', async () => {
    const t = await writeTable(fakeContext(), `SELECT i AS x FROM range(10) t(i)`, { newRowIds: true });
    const first = await profileOf(t);
    expect(existsSync(`${t.path}.profile-20-10.json`)).toBe(true);
    writeFileSync(`${t.path}.profile-20-10.json`, JSON.stringify([{ ...first[0], mean: 123 }]));
    expect((await profileOf(t))[0].mean).toBe(123);
    expect((await profileOf(t, { bins: 5 }))[0].mean).toBe(4.5);
  });

  it('a constant column gets one histogram bin', async () => {
    const t = await writeTable(fakeContext(), `SELECT 7 AS k FROM range(4)`, { newRowIds: true });
    const [k] = await profileOf(t);
    expect(k.histogram).toEqual([{ x0: 7, x1: 8, count: 4 }]);
    expect(k.std).toBe(0);
  });
});

describe('profileOf, large tables (over EXACT_LIMIT rows)', () => {
  it('samples quantiles evenly over the file, counts few distinct values exactly and estimates many closely', async () => {
    const n = EXACT_LIMIT + 50_000;
    const t = await writeTable(
      fakeContext(),
      `SELECT i AS id, i % 7 AS small, CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 7919) % 150001 END AS many,
              'c' || (i % 3) AS cat, 'u' || i AS uid, CASE WHEN i % 4 = 0 THEN NULL ELSE 'k' || (i % 5) END AS sparse,
              CASE WHEN i % 250 = 0 THEN i END AS rare
       FROM range(${n}) t(i)`,
      { newRowIds: true },
    );
    const [id, small, many, cat, uid, sparse, rare] = await profileOf(t);
    // A column sorted in file order: its quantiles must not lean to the start of the file.
    for (const [k, q] of Object.entries({ p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 })) {
      expect(Math.abs((id.quantiles![k] as number) / n - q), k).toBeLessThan(0.01);
    }
    expect(id).toMatchObject({ count: n, min: 0, max: n - 1, mean: (n - 1) / 2 });
    expect(Math.abs(id.distinct / n - 1)).toBeLessThan(0.03);
    expect(id.top).toBeUndefined();
    expect(id.histogram!.reduce((a, b) => a + b.count, 0)).toBe(n);
    expect(small).toMatchObject({ distinct: 7, min: 0, max: 6 });
    expect(small.top!.map((x) => x.value).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const exactMany = await withConnection(async (con) => Number((await con.runAndReadAll(`SELECT count(DISTINCT many) FROM ${relation(t)}`)).getRowsJS()[0][0]));
    expect(many.missing).toBe(n / 10);
    expect(Math.abs(many.distinct / exactMany - 1)).toBeLessThan(0.03);
    expect(cat).toMatchObject({ distinct: 3, count: n });
    expect(cat.top!.map((x) => x.value)).toEqual(['c0', 'c1', 'c2']);
    expect(Math.abs(uid.distinct / n - 1)).toBeLessThan(0.03);
    expect(uid.top).toBeUndefined();
    // "missing" is a group of its own in the top values, not a distinct value.
    expect(sparse).toMatchObject({ distinct: 5, missing: n / 4 });
    expect(sparse.top![0]).toEqual({ value: null, count: n / 4 });
    // A mostly-missing column would leave few values in a row sample: its quantiles are exact.
    expect(rare).toMatchObject({ count: n / 250, distinct: n / 250 });
    expect(rare.quantiles!.p50).toBeCloseTo(((n / 250 - 1) / 2) * 250, 9);
  });
});

describePython('pandas', 'profileOf against pandas describe()', () => {
  it('matches count, mean, std, min, quartiles, max and unique on a CSV', async () => {
    const t = await loadCsv(fakeContext({ pipelineDir: FIXTURES }), { path: 'people.csv' });
    const ours = await profileOf(t);
    const theirs = runPython<Record<string, Record<string, number | null>>>(
      `import sys, json, pandas as pd
df = pd.read_csv(${JSON.stringify(resolve(FIXTURES, 'people.csv'))})
out = {}
for c in ['id', 'age', 'income']:
    d = df[c].describe()
    out[c] = {k: float(d[k]) for k in ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']}
    out[c]['p05'] = float(df[c].quantile(0.05)); out[c]['p95'] = float(df[c].quantile(0.95))
for c in ['city', 'name']:
    out[c] = {'unique': int(df[c].nunique()), 'count': int(df[c].count())}
print(json.dumps(out))`,
    );
    for (const name of ['id', 'age', 'income']) {
      const p = ours.find((c) => c.name === name)!;
      const d = theirs[name];
      expect(p.count).toBe(d.count);
      expect(p.mean).toBeCloseTo(d.mean!, 9);
      expect(p.std).toBeCloseTo(d.std!, 9);
      expect(p.min).toBe(d.min);
      expect(p.max).toBe(d.max);
      expect(p.quantiles!.p25).toBeCloseTo(d['25%']!, 9);
      expect(p.quantiles!.p50).toBeCloseTo(d['50%']!, 9);
      expect(p.quantiles!.p75).toBeCloseTo(d['75%']!, 9);
      expect(p.quantiles!.p05).toBeCloseTo(d.p05!, 9);
      expect(p.quantiles!.p95).toBeCloseTo(d.p95!, 9);
    }
    for (const name of ['city', 'name']) {
      const p = ours.find((c) => c.name === name)!;
      expect(p.distinct).toBe(theirs[name].unique);
      expect(p.count).toBe(theirs[name].count);
    }
  });
});

describe('pageOf', () => {
  it('pages in row order or sorted by a column, with dates as ISO text and bigints as numbers', async () => {
    const t = await writeTable(fakeContext(), `SELECT i::BIGINT AS n, DATE '2024-01-01' + i::INTEGER AS d, TIMESTAMP '2024-01-01 10:00:00' AS ts, 10 - i AS m FROM range(10) t(i)`, { newRowIds: true });
    const p = await pageOf(t, 2, 3);
    expect(p).toMatchObject({ offset: 2, totalRows: 10 });
    expect(p.rows).toEqual([
      [2, '2024-01-03', '2024-01-01T10:00:00', 8],
      [3, '2024-01-04', '2024-01-01T10:00:00', 7],
      [4, '2024-01-05', '2024-01-01T10:00:00', 6],
    ]);
    const sorted = await pageOf(t, 0, 2, { column: 'm' });
    expect(sorted.rows.map((r) => r[0])).toEqual([9, 8]);
    await expect(pageOf(t, 0, 2, { column: 'zz' })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
  });
});

describe('profileMetrics', () => {
  it('reports a profile table, a missing-values chart and one histogram per numeric column', async () => {
    const t = await loadCsv(fakeContext({ pipelineDir: FIXTURES }), { path: 'people.csv' });
    const m = profileMetrics(t, await profileOf(t));
    expect(m.scope).toBe('profile');
    expect(m.values.rows).toBe(8);
    expect(m.values.missing_cells_pct).toBeCloseTo((100 * 3) / 56, 4);
    expect(m.tables[0].rows.map((r) => r[0])).toEqual(['id', 'name', 'age', 'income', 'city', 'joined', 'member']);
    expect(m.charts.map((c) => c.id)).toEqual(['missing', 'hist-id', 'hist-age', 'hist-income']);
  });
});

describe('profileOf reads histogram ranges from the Parquet footer', () => {
  it('gives the same histograms as two passes, also where the footer is rounded (FLOAT) or a row group is all missing', async () => {
    // 300,000 rows: several row groups, the first of them with no value of "late".
    const sql = `SELECT i::BIGINT AS n, (i * 0.37) % 101 AS d, ((i % 977) / 7.0)::FLOAT AS f,
      CASE WHEN i >= 200000 THEN i ELSE NULL END AS late, 7 AS constant FROM range(300000) t(i)`;
    const t = await writeTable(fakeContext(), sql, { newRowIds: true });
    const ranges = await withConnection((con) => parquetRanges(con, t.path));
    expect([...ranges.keys()].sort()).toEqual(['constant', 'd', 'f', 'late', 'n']);
    const shared = await withConnection((con) => profileOn(con, relation(t), { bins: 7 }, ranges));
    const separate = await withConnection((con) => profileOn(con, relation(t), { bins: 7 }));
    // Means and deviations are DuckDB's parallel sums: their last digits vary from run to run.
    const exactPart = (ps: typeof shared) => ps.map(({ mean: _mean, std: _std, ...rest }) => rest);
    expect(exactPart(shared)).toEqual(exactPart(separate));
    shared.forEach((p, i) => {
      expect(p.mean).toBeCloseTo(separate[i].mean as number, 6);
      expect(p.std).toBeCloseTo(separate[i].std as number, 6);
    });
    const byName = Object.fromEntries(shared.map((p) => [p.name, p]));
    expect(byName.late.histogram!.reduce((a, h) => a + h.count, 0)).toBe(100_000);
    expect(byName.constant.histogram).toEqual([{ x0: 7, x1: 8, count: 300_000 }]);
  });
});
