import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readColumns } from '../../../core/data/tables.ts';
import { computeLagFeatures, lagOutputNames, parseSpan, type LagSpec } from '../../../core/data/lag-features.ts';
import { Rng } from '../../../core/spec/random.ts';
import type { TableRef } from '../../../core/spec/index.ts';
import { itPython, runPython } from '../../support/python.ts';
import { runPipeline } from '../../support/run-pipeline.ts';

const DAY = 86_400_000;
const day = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * DAY).toISOString().slice(0, 10);

interface Row {
  store: string;
  d: number;
  sales: number | null;
}

/** 3 stores × 60 days with a few missing days and missing values (seeded). */
function history(seed = 5): Row[] {
  const rng = new Rng(seed);
  const rows: Row[] = [];
  for (const store of ['north', 'south', 'east']) {
    for (let d = 0; d < 60; d++) {
      if (rng.next() < 0.1) continue; // a closed day
      rows.push({ store, d, sales: rng.next() < 0.05 ? null : Math.round(100 + 50 * Math.sin(d / 3) + rng.next() * 40) });
    }
  }
  return rows;
}

const csv = (rows: Row[]) => `store,date,sales\n${rows.map((r) => `${r.store},${day(r.d)},${r.sales ?? ''}`).join('\n')}\n`;

const PARAMS = { keys: ['store'], time: 'date', columns: ['sales'], lags: [1, 7], windows: [3, 14], spans: ['7 days', '28d'], stats: ['mean', 'sum', 'min', 'max', 'std', 'count'] };

/** Run Load CSV → Lag & Rolling Features; features keyed by "store date". */
async function features(rows: Row[], start: 'missing' | 'partial'): Promise<Map<string, (number | null)[]>> {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-lags-'));
  writeFileSync(join(dir, 'sales.csv'), csv(rows));
  const run = await runPipeline(
    {
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'sales.csv' } },
        { id: 'lags', type: 'data.lag_features', version: 1, params: { ...PARAMS, start } },
      ],
      edges: [{ from: 'load.table', to: 'lags.table' }],
    },
    { dir },
  );
  const t = run.output<TableRef>('lags', 'table');
  const names = t.columns.map((c) => c.name).filter((n) => n.startsWith('sales_'));
  expect(names).toHaveLength(2 + 2 * 6 + 2 * 6);
  const r = await readColumns(t, ['store', 'date', ...names]);
  const out = new Map<string, (number | null)[]>();
  const dates = r.columns.date as Float64Array;
  (r.columns.store as string[]).forEach((s, i) => {
    out.set(`${s} ${new Date(dates[i]).toISOString().slice(0, 10)}`, names.map((n) => {
      const v = (r.columns[n] as Float64Array)[i];
      return Number.isNaN(v) ? null : v;
    }));
  });
  return out;
}

describe('Lag & Rolling Features', () => {
  it('never changes a feature when future rows are rewritten, shuffled, dropped or added', async () => {
    const past = history();
    const CUT = 35;
    const rng = new Rng(99);
    for (const start of ['missing', 'partial'] as const) {
      const before = await features(past, start);
      // The future (days after CUT): new values, rows dropped, rows added, all in shuffled order.
      const future = past
        .filter((r) => r.d > CUT && rng.next() > 0.3)
        .map((r) => ({ ...r, sales: Math.round(rng.next() * 1000) }))
        .concat(Array.from({ length: 20 }, (_, i) => ({ store: ['north', 'south', 'east', 'west'][i % 4], d: CUT + 1 + (i % 20), sales: 5000 + i })));
      for (let i = future.length - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [future[i], future[j]] = [future[j], future[i]];
      }
      const kept = past.filter((r) => r.d <= CUT);
      const rewritten = [...future.slice(0, 10), ...kept.slice().reverse(), ...future.slice(10)];
      const after = await features(rewritten, start);
      let compared = 0;
      for (const r of kept) {
        const key = `${r.store} ${day(r.d)}`;
        expect(after.get(key), `${start}: ${key}`).toEqual(before.get(key));
        compared++;
      }
      expect(compared).toBeGreaterThan(90);
      // and the features do carry information (not all missing)
      expect([...before.values()].flat().filter((v) => v !== null).length).toBeGreaterThan(1000);
    }
  }, 60_000);

  it('follows the rule for the start of each series, by hand', () => {
    // one series, days 0, 1, 2, 4 with values 10, 20, missing, 40
    const time = Float64Array.from([0, 1, 2, 4], (d) => d * DAY);
    const spec: LagSpec = { columns: ['v'], lags: [1, 2], windows: [2], spans: ['3d'], stats: ['mean', 'count', 'std'], start: 'missing' };
    const spans = [parseSpan('3d', true)];
    expect(lagOutputNames(spec, ['3d'])).toEqual(['v_lag1', 'v_lag2', 'v_mean_last2', 'v_count_last2', 'v_std_last2', 'v_mean_3d', 'v_count_3d', 'v_std_3d']);
    const values = { v: Float64Array.from([10, 20, NaN, 40]) };
    const show = (cols: Float64Array[]) => cols.map((c) => Array.from(c, (x) => (Number.isNaN(x) ? null : x)));
    expect(show(computeLagFeatures({ time, values, spec, spans }))).toEqual([
      [null, 10, 20, NaN].map((x) => (Number.isNaN(x) ? null : x)), // lag 1: day 4's previous row (day 2) is missing
      [null, null, 10, 20],
      [null, null, 15, 20], // last 2 rows: needs 2 earlier rows; missing values skipped
      [null, null, 2, 1],
      [null, null, Math.sqrt(50), null],
      [null, null, null, 20], // [t-3d, t): complete only from day 3 on (series starts day 0); day 4 sees days 1, 2
      [null, null, null, 1],
      [null, null, null, null],
    ]);
    expect(show(computeLagFeatures({ time, values, spec: { ...spec, start: 'partial' }, spans }))).toEqual([
      [null, 10, 20, null],
      [null, null, 10, 20],
      [null, 10, 15, 20],
      [0, 1, 2, 1],
      [null, null, Math.sqrt(50), null],
      [null, 10, 15, 20],
      [0, 1, 2, 1],
      [null, null, Math.sqrt(50), null],
    ]);
  });

  it('rows sharing a time share their features: none sees another', () => {
    const time = Float64Array.from([1, 2, 2, 3]);
    const spec: LagSpec = { columns: ['v'], lags: [1], windows: [5], spans: [], stats: ['sum'], start: 'partial' };
    const out = computeLagFeatures({ time, values: { v: Float64Array.from([1, 10, 100, 1000]) }, spec, spans: [] });
    expect(Array.from(out[0])).toEqual([NaN, 1, 1, 100]);
    expect(Array.from(out[1])).toEqual([NaN, 1, 1, 111]);
  });

  itPython('pandas', 'lags and windows match pandas shift / rolling (closed="left") on a series without ties', () => {
    const rows = history(11).filter((r) => r.sales !== null);
    const time = Float64Array.from(rows, (r) => r.d * DAY);
    const series = rows.map((r) => r.store);
    const spec: LagSpec = { columns: ['sales'], lags: [1, 3], windows: [4], spans: ['5d'], stats: ['mean', 'sum', 'min', 'max', 'std'], start: 'missing' };
    const ours = computeLagFeatures({ time, series, values: { sales: Float64Array.from(rows, (r) => r.sales!) }, spec: { ...spec }, spans: [parseSpan('5d', true)] });
    const partial = computeLagFeatures({ time, series, values: { sales: Float64Array.from(rows, (r) => r.sales!) }, spec: { ...spec, start: 'partial' }, spans: [parseSpan('5d', true)] });
    const py = runPython<Record<string, (number | null)[]>>(
      `
import json, sys
import pandas as pd
rows = json.load(sys.stdin)
df = pd.DataFrame(rows)
df['t'] = pd.to_datetime(df['d'], unit='D')
out = {}
g = df.groupby('store')['sales']
for k in (1, 3):
    out[f'lag{k}'] = g.shift(k)
for s in ('mean', 'sum', 'min', 'max', 'std'):
    out[f'{s}_last4'] = g.transform(lambda x: getattr(x.shift(1).rolling(4, min_periods=4), s)())
    out[f'{s}_last4_partial'] = g.transform(lambda x: getattr(x.shift(1).rolling(4, min_periods=1), s)())
    def span(part, s=s):
        r = getattr(part.set_index('t')['sales'].rolling('5D', closed='left'), s)()
        return pd.Series(r.values, index=part.index)
    out[f'{s}_5d'] = df.groupby('store', group_keys=False).apply(span).sort_index()
print(json.dumps({k: [None if pd.isna(v) else float(v) for v in col] for k, col in out.items()}))
`,
      rows,
    );
    const at = (cols: Float64Array[], name: string) => Array.from(cols[lagOutputNames(spec, ['5d']).indexOf(name)], (v) => (Number.isNaN(v) ? null : v));
    const close = (a: (number | null)[], b: (number | null)[], what: string) => {
      expect(a.length, what).toBe(b.length);
      a.forEach((v, i) => {
        if (v === null || b[i] === null) expect(v, `${what} row ${i}`).toBe(b[i]);
        else expect(Math.abs(v - b[i]!), `${what} row ${i}`).toBeLessThan(1e-9);
      });
    };
    close(at(ours, 'sales_lag1'), py.lag1, 'lag1');
    close(at(ours, 'sales_lag3'), py.lag3, 'lag3');
    for (const s of ['mean', 'sum', 'min', 'max', 'std']) {
      close(at(ours, `sales_${s}_last4`), py[`${s}_last4`], `${s} last 4`);
      close(at(partial, `sales_${s}_last4`), py[`${s}_last4_partial`], `${s} last 4 (partial)`);
      close(at(partial, `sales_${s}_5d`), py[`${s}_5d`], `${s} 5 days`);
    }
  });

  it('names a bad time span, a column made by a feature step, and a clash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-lags-'));
    writeFileSync(join(dir, 'sales.csv'), csv(history().slice(0, 30)));
    const run = (lagParams: Record<string, unknown>, scale = false) =>
      runPipeline(
        {
          nodes: [
            { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'sales.csv' } },
            ...(scale ? [{ id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['sales'] } }] : []),
            { id: 'lags', type: 'data.lag_features', version: 1, params: { ...PARAMS, ...lagParams } },
          ],
          edges: scale ? [{ from: 'load.table', to: 'scale.table' }, { from: 'scale.table', to: 'lags.table' }] : [{ from: 'load.table', to: 'lags.table' }],
        },
        { dir },
      );
    const span = await run({ spans: ['7 fortnights'] });
    expect(span.node('lags').error).toMatchObject({ code: 'INVALID_PARAM', nodeId: 'lags', path: ['spans'] });
    expect(span.node('lags').error!.message).toMatch(/"7 fortnights" has an unknown unit "fortnights"/);
    const made = await run({}, true);
    expect(made.node('lags').error).toMatchObject({ code: 'INVALID_PARAM', column: 'sales', nodeId: 'lags' });
    expect(made.node('lags').error!.hint).toMatch(/before the feature steps/);
    const twice = await run({ lags: [1, 1] });
    expect(twice.node('lags').error!.message).toMatch(/'sales_lag1' is asked for twice/);
  });
});
