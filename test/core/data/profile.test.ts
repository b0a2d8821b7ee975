import { describe, expect, it, vi } from 'vitest';
import { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCsv } from '../../../core/data/csv.ts';
import { loadParquet } from '../../../core/data/readers.ts';
import { EXACT_LIMIT, pageOf, profileOf, profileOn } from '../../../core/data/profile.ts';
import { scaledHistogram } from '../../../core/data/profile-results.ts';
import { profileMetrics } from '../../../core/data/profile-report.ts';
import { literal, readColumns, relation, withConnection, writeTable } from '../../../core/data/tables.ts';
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

describe('profileOf, numbers that are NaN or infinite', () => {
  // Finite values 1.5, 2.5, 4 (and one missing, one NaN, +inf and -inf): every statistic is over
  // the three finite values, and the others are counted apart, as missing values are.
  const finite = [1.5, 2.5, 4];
  const mean = (1.5 + 2.5 + 4) / 3;
  const std = Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
  const expectFiniteStatistics = (x: Awaited<ReturnType<typeof profileOf>>[number]) => {
    expect(x).toMatchObject({ count: 6, missing: 1, nan: 1, infinite: 2, min: 1.5, max: 4 });
    expect(x.mean).toBeCloseTo(mean, 12);
    expect(x.std).toBeCloseTo(std, 12);
    expect(x.quantiles!.p50).toBe(2.5);
    expect(x.histogram).toEqual([
      { x0: 1.5, x1: 2.75, count: 2 },
      { x0: 2.75, x1: 4, count: 1 },
    ]);
  };

  it('reads a CSV holding NaN, inf and -Infinity: numbers over the finite values, the others counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-nan-'));
    writeFileSync(join(dir, 'nan.csv'), 'x,k\n1.5,a\nNaN,b\n2.5,c\n-Infinity,d\n,e\n4.0,f\ninf,g\n');
    const t = await loadCsv(fakeContext({ pipelineDir: dir }), { path: 'nan.csv' });
    const [x, k] = await profileOf(t, { bins: 2 });
    expect(x.type).toBe('number');
    expectFiniteStatistics(x);
    expect(k).toMatchObject({ count: 7, missing: 0 });
    expect(k.nan).toBeUndefined();
    // Few distinct values: top values list them, spelt as JSON can carry them.
    expect(x.top).toEqual(expect.arrayContaining([{ value: 'NaN', count: 1 }, { value: 'Infinity', count: 1 }, { value: '-Infinity', count: 1 }]));
    expect(JSON.parse(JSON.stringify(x))).toEqual(x);
    // A page of rows spells them too: a NaN is not a missing value.
    expect((await pageOf(t, 0, 7)).rows.map((r) => r[0])).toEqual([1.5, 'NaN', 2.5, '-Infinity', null, 4, 'Infinity']);
    // The Profile node's table says how many there are.
    const table = profileMetrics(t, [x, k]).tables[0];
    const row = Object.fromEntries(table.columns.map((c, i) => [c, table.rows[0][i]]));
    expect(row).toMatchObject({ missing: 1, NaN: 1, '±infinite': 2, min: 1.5, max: 4 });
  });

  it('reads a Parquet file holding NaN and infinities, also past EXACT_LIMIT rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-nan-'));
    await withConnection((con) =>
      con.run(`COPY (SELECT * FROM (VALUES (1.5::DOUBLE), ('NaN'::DOUBLE), (2.5), ('-inf'::DOUBLE), (NULL), (4.0), ('inf'::DOUBLE)) v(x)) TO ${literal(join(dir, 'small.parquet'))} (FORMAT parquet)`),
    );
    expectFiniteStatistics((await profileOf(await loadParquet(fakeContext({ pipelineDir: dir }), 'small.parquet'), { bins: 2 }))[0]);
    // Large: a NaN every 10th row, +inf every 1,000th, the rest 0..9 (FLOAT, as some writers keep them).
    const n = EXACT_LIMIT + 10_000;
    await withConnection((con) =>
      con.run(`COPY (SELECT (CASE WHEN i % 10 = 3 THEN 'NaN' WHEN i % 1000 = 7 THEN 'inf' ELSE (i % 10)::VARCHAR END)::FLOAT AS f FROM range(${n}) t(i)) TO ${literal(join(dir, 'large.parquet'))} (FORMAT parquet)`),
    );
    const [f] = await profileOf(await loadParquet(fakeContext({ pipelineDir: dir }), 'large.parquet'));
    expect(f).toMatchObject({ count: n, missing: 0, nan: n / 10, infinite: n / 1000, min: 0, max: 9 });
    expect(f.histogram!.reduce((s, h) => s + h.count, 0)).toBe(n - n / 10 - n / 1000);
    expect(Number.isFinite(f.std)).toBe(true);
    expect(f.quantiles!.p50).toBeGreaterThanOrEqual(4);
    expect(f.quantiles!.p50).toBeLessThanOrEqual(5);
  });
});

describe('profileOf, large tables (over EXACT_LIMIT rows)', () => {
  it('samples quantiles evenly over the file, counts few distinct values exactly and estimates many closely', async () => {
    const n = EXACT_LIMIT + 50_000;
    const t = await writeTable(
      fakeContext(),
      `SELECT i AS id, i % 7 AS small, CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 7919) % 150001 END AS many,
              'c' || (i % 3) AS cat, 'u' || i AS uid, CASE WHEN i % 4 = 0 THEN NULL ELSE 'k' || (i % 5) END AS sparse,
              CASE WHEN i % 250 = 0 THEN i END AS rare, CASE WHEN i = 123457 THEN 1e9 ELSE (i * 7919) % 250007 / 3.0 END AS far
       FROM range(${n}) t(i)`,
      { newRowIds: true },
    );
    const [id, small, many, cat, uid, sparse, rare, far] = await profileOf(t);
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
    expect(rare.histogramSample).toBeUndefined();
    expect(rare.histogram!.reduce((a, h) => a + h.count, 0)).toBe(n / 250);
    // Histograms from the quantile sample, scaled: one value far above the rest still shows in the last bin.
    expect(far.histogramSample).toBeGreaterThan(0);
    expect(far.histogram!.reduce((a, h) => a + h.count, 0)).toBe(n);
    expect(far.histogram![0].count).toBeGreaterThan(n - 100);
    expect(far.histogram!.at(-1)!.count).toBeGreaterThanOrEqual(1);
    // Exact figures when asked: distinct counts, quantiles and histograms over every row (kept apart from the default's).
    const exact = await profileOf(t, { exact: true });
    expect(exact[0].distinct).toBe(n);
    expect(exact[0].quantiles!.p50).toBe((n - 1) / 2);
    expect(exact[7].histogram!.map((h) => h.count)).toEqual([n - 1, ...new Array(18).fill(0), 1]);
    expect(exact[7].histogramSample).toBeUndefined();
    expect(await profileOf(t)).toEqual([id, small, many, cat, uid, sparse, rare, far]);
  });
});

describe('profileOf, large tables stored with small dictionaries', () => {
  it('counts the values of dictionary-encoded columns exactly, without an estimate pass, takes a few-valued column\'s numbers from its groups and reads the table four times', async () => {
    // Five row groups and more: "blocky" has 3,840 values in each (a 16 KB dictionary of INTEGERs)
    // but 20,450 in all, more than the groups return one by one.
    const n = 5 * 122_880 + 40_000;
    const t = await writeTable(fakeContext(), `SELECT i AS id, i % 7 AS small, (i // 32)::INTEGER AS blocky, 'c' || (i % 3) AS cat FROM range(${n}) t(i)`, { newRowIds: true });
    const sql: string[] = [];
    const original = DuckDBConnection.prototype.runAndReadAll;
    const watch = vi.spyOn(DuckDBConnection.prototype, 'runAndReadAll').mockImplementation(function (this: DuckDBConnection, ...args: Parameters<DuckDBConnection['runAndReadAll']>) {
      sql.push(String(args[0]));
      return original.apply(this, args);
    });
    let profile;
    try {
      profile = await profileOf(t);
    } finally {
      watch.mockRestore();
    }
    const [id, small, blocky, cat] = profile;
    // Work done: only "id" has its distinct count estimated; "small" is not in the pass over every row.
    expect(sql.some((q) => q.includes('hash("id")'))).toBe(true);
    for (const name of ['small', 'blocky', 'cat']) expect(sql.some((q) => q.includes(`hash("${name}")`)), name).toBe(false);
    expect(sql.some((q) => q.includes('stddev_samp(CAST("small"'))).toBe(false);
    // The table is read four times: range (Parquet statistics), estimates, groups, and one pass
    // over every row that also draws the quantile sample.
    expect(sql.filter((q) => q.includes('read_parquet(') && !q.startsWith('DESCRIBE'))).toHaveLength(4);
    // Exact numbers from the groups: 0..6, each value n/7 times give or take one.
    const counts = Array.from({ length: 7 }, (_, v) => Math.floor((n - 1 - v) / 7) + 1);
    const mean = counts.reduce((a, c, v) => a + c * v, 0) / n;
    const std = Math.sqrt(counts.reduce((a, c, v) => a + c * (v - mean) ** 2, 0) / (n - 1));
    expect(small).toMatchObject({ count: n, missing: 0, distinct: 7, min: 0, max: 6 });
    expect(small.mean).toBeCloseTo(mean, 12);
    expect(small.std).toBeCloseTo(std, 12);
    expect(small.histogram!.filter((h) => h.count > 0).map((h) => h.count)).toEqual(counts);
    expect(small.quantiles).toEqual({ p05: 0, p25: 1, p50: 3, p75: 5, p95: 6 });
    // A dictionary column with more values than come back one by one: its distinct count is still
    // exact (the groups count it), its histogram and quantiles come from the pass over every row.
    expect(blocky).toMatchObject({ count: n, distinct: Math.ceil(n / 32), min: 0, max: Math.floor((n - 1) / 32) });
    expect(blocky.histogram!.reduce((a, h) => a + h.count, 0)).toBe(n);
    expect(Math.abs((blocky.quantiles!.p50 as number) / (n / 64) - 1)).toBeLessThan(0.01);
    expect(cat).toMatchObject({ distinct: 3, count: n });
    expect(cat.top!.map((x) => x.value)).toEqual(['c0', 'c1', 'c2']);
    expect(Math.abs(id.distinct / n - 1)).toBeLessThan(0.03);
    // The footer is only a shortcut: without it every column is estimated first, and the figures hold.
    const blind = await withConnection((con) => profileOn(con, relation(t), {}, join(tmpdir(), 'no-such-table.parquet')));
    expect(blind[1]).toMatchObject({ distinct: 7, mean: small.mean, histogram: small.histogram, quantiles: small.quantiles });
    expect(blind[3]).toMatchObject({ distinct: 3, top: cat.top });
    expect(Math.abs(blind[2].distinct / Math.ceil(n / 32) - 1)).toBeLessThan(0.03);
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

describe('scaledHistogram', () => {
  it('scales a sample\'s bins to the column\'s count, adding up exactly, and never leaves an end bin empty', () => {
    const bins = (counts: number[]) => counts.map((count, i) => ({ x0: i, x1: i + 1, count }));
    // 3 sampled values stand for 10: 3.33 each, the first remainder rounds up.
    expect(scaledHistogram(bins([1, 1, 1]), 10).map((b) => b.count)).toEqual([4, 3, 3]);
    // The max (last bin) was not in the sample: it still shows, taken from the fullest bin.
    expect(scaledHistogram(bins([0, 50, 30, 0]), 1_000_000).map((b) => b.count)).toEqual([1, 624_998, 375_000, 1]);
    expect(scaledHistogram(bins([7]), 70)).toEqual([{ x0: 0, x1: 1, count: 70 }]);
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

describePython('numpy', 'profileOf histograms and quantiles against numpy', () => {
  it('gives numpy\'s bin counts and exact quantiles when asked for exact figures, also for FLOAT, DECIMAL, a row group all missing and a constant column; by default, close bins from a sample', async () => {
    // 300,000 rows: several row groups, the first of them with no value of "late".
    const sql = `SELECT i::BIGINT AS n, (i * 0.37) % 101 AS d, ((i % 977) / 7.0)::FLOAT AS f, (i % 13) * 0.25 AS q,
      CASE WHEN i >= 200000 THEN i ELSE NULL END AS late, 7 AS constant FROM range(300000) t(i)`;
    const t = await writeTable(fakeContext(), sql, { newRowIds: true });
    const profile = await profileOf(t, { bins: 7, exact: true });
    const sampled = await profileOf(t, { bins: 7 });
    const names = profile.map((p) => p.name);
    const { columns } = await readColumns(t, names);
    const dir = mkdtempSync(join(tmpdir(), 'flowline-hist-'));
    for (const name of names) writeFileSync(join(dir, name), columns[name] as Float64Array);
    const theirs = runPython<Record<string, { counts: number[]; edges: number[]; quantiles: number[] }>>(
      `import json, sys, numpy as np
out = {}
for name in ${JSON.stringify(names)}:
    a = np.fromfile(${JSON.stringify(dir)} + '/' + name, dtype=np.float64)
    a = a[~np.isnan(a)]
    counts, edges = np.histogram(a, bins=7) if a.min() < a.max() else (np.array([a.size]), np.array([a.min(), a.min() + 1]))
    out[name] = {'counts': counts.tolist(), 'edges': edges.tolist(), 'quantiles': np.quantile(a, [0.05, 0.25, 0.5, 0.75, 0.95]).tolist()}
print(json.dumps(out))`,
    );
    for (const p of profile) {
      expect(p.histogram!.map((h) => h.count), p.name).toEqual(theirs[p.name].counts);
      const edges = [...p.histogram!.map((h) => h.x0), p.histogram!.at(-1)!.x1];
      edges.forEach((e, i) => expect(e, `${p.name} edge ${i}`).toBeCloseTo(theirs[p.name].edges[i], 9));
      Object.values(p.quantiles!).forEach((q, i) => expect(q, `${p.name} quantile ${i}`).toBeCloseTo(theirs[p.name].quantiles[i], 9));
      expect(p.histogramSample, p.name).toBeUndefined();
    }
    // By default the column with many values over 300,000 rows ("n") is binned on a sample of
    // about 32,768 rows: each bin's share within 1% of numpy's (about 5 standard errors), the
    // counts adding up to every row's. The others are counted exactly: from their value groups
    // ("d", "f", "q"), in a second pass ("late": too few values for a sample) or as one bin.
    for (const p of sampled) {
      const want = theirs[p.name].counts;
      const total = want.reduce((a, c) => a + c, 0);
      expect(p.histogram!.reduce((a, h) => a + h.count, 0), p.name).toBe(total);
      if (p.name === 'n') {
        expect(p.histogramSample, p.name).toBeGreaterThan(30_000);
        expect(p.histogramSample, p.name).toBeLessThan(36_000);
        p.histogram!.forEach((h, i) => expect(Math.abs(h.count - want[i]) / total, `${p.name} bin ${i}`).toBeLessThan(0.01));
        expect(p.histogram).not.toEqual(profile.find((x) => x.name === p.name)!.histogram);
      } else {
        expect(p.histogramSample, p.name).toBeUndefined();
        expect(p.histogram!.map((h) => h.count), p.name).toEqual(want);
      }
    }
    const byName = Object.fromEntries(profile.map((p) => [p.name, p]));
    expect(byName.late.histogram!.reduce((a, h) => a + h.count, 0)).toBe(100_000);
    expect(byName.constant.histogram).toEqual([{ x0: 7, x1: 8, count: 300_000 }]);
  });
});
