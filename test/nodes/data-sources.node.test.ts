import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readColumns } from '../../core/data/tables.ts';
import type { MetricsValue, TableRef } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/data');

/** A pipeline folder with the fixture files copied in. */
function dir(...files: string[]) {
  const d = mkdtempSync(join(tmpdir(), 'flowline-src-'));
  for (const f of files) copyFileSync(join(FIXTURES, f), join(d, f));
  return d;
}

const one = (id: string, type: string, params: Record<string, unknown>) => ({ nodes: [{ id, type, version: 1, params }] });

describe('source nodes, headless through compile + execute', () => {
  it('data.load_csv loads, and a second run comes from the cache until the file changes', async () => {
    const d = dir('people.csv');
    const p = one('load', 'data.load_csv', { path: 'people.csv' });
    const r = await runPipeline(p, { dir: d });
    const t = r.output<TableRef>('load', 'table');
    expect(t.rowCount).toBe(8);
    expect(t.recipe).toEqual({ base: null, steps: [] });
    expect((await runPipeline(p, { dir: d })).node('load').status).toBe('cached');
    writeFileSync(join(d, 'people.csv'), 'id,name\n1,x\n');
    const again = await runPipeline(p, { dir: d });
    expect(again.node('load').status).toBe('done');
    expect(again.output<TableRef>('load', 'table').rowCount).toBe(1);
  });

  it('data.load_csv errors carry the node id, the file and the line', async () => {
    const d = dir();
    writeFileSync(join(d, 'bad.csv'), 'a,b\n1,2\n3\n');
    const r = await runPipeline(one('load', 'data.load_csv', { path: 'bad.csv' }), { dir: d });
    expect(r.node('load').status).toBe('error');
    expect(r.node('load').error).toMatchObject({ code: 'CSV_PARSE', nodeId: 'load', file: 'bad.csv', line: 3 });
    const missing = await runPipeline(one('load', 'data.load_csv', { path: 'gone.csv' }), { dir: d });
    expect(missing.node('load').error).toMatchObject({ code: 'FILE_NOT_FOUND', file: 'gone.csv' });
  });

  it('data.load_json and data.load_parquet', async () => {
    const d = dir('records.ndjson', 'people.csv');
    const r = await runPipeline(
      {
        nodes: [
          { id: 'json', type: 'data.load_json', version: 1, params: { path: 'records.ndjson' } },
          { id: 'csv', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } },
          { id: 'save', type: 'data.write_parquet', version: 1, params: { path: 'out/people.parquet' } },
        ],
        edges: [{ from: 'csv.table', to: 'save.table' }],
      },
      { dir: d },
    );
    expect(r.output<TableRef>('json', 'table').rowCount).toBe(3);
    const back = await runPipeline(one('pq', 'data.load_parquet', { path: 'out/people.parquet' }), { dir: d });
    const t = back.output<TableRef>('pq', 'table');
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'name', 'age', 'income', 'city', 'joined', 'member']);
    expect(Array.from((await readColumns(t, ['id'])).columns.id as Float64Array)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('data.load_parquet reads a pattern of files and re-runs when a file is added', async () => {
    const d = dir();
    const { withConnection } = await import('../../core/data/tables.ts');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(d, 'parts'));
    const part = (n: number) => withConnection((con) => con.run(`COPY (SELECT ${n} AS part, i AS x FROM range(3) t(i)) TO '${join(d, 'parts', `p${n}.parquet`)}' (FORMAT parquet)`));
    await part(1);
    await part(2);
    const p = one('pq', 'data.load_parquet', { path: 'parts/*.parquet' });
    expect((await runPipeline(p, { dir: d })).output<TableRef>('pq', 'table').rowCount).toBe(6);
    await part(3);
    const again = await runPipeline(p, { dir: d });
    expect(again.node('pq').status).toBe('done');
    expect(again.output<TableRef>('pq', 'table').rowCount).toBe(9);
  });

  it('data.load_excel reads the named sheet', async () => {
    const d = dir();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sales');
    ws.addRow(['region', 'units']);
    ws.addRow(['north', 3]);
    ws.addRow(['south', 5]);
    await wb.xlsx.writeFile(join(d, 'sales.xlsx'));
    const r = await runPipeline(one('xl', 'data.load_excel', { path: 'sales.xlsx', sheet: 'Sales' }), { dir: d });
    const t = r.output<TableRef>('xl', 'table');
    expect((await readColumns(t, ['region', 'units'])).columns).toEqual({ region: ['north', 'south'], units: Float64Array.from([3, 5]) });
  });

  it('data.load_postgres is volatile and refuses a password in the pipeline file', async () => {
    const r = await runPipeline(one('db', 'data.load_postgres', { query: 'SELECT 1', connection: 'postgresql://u:secret@h/db' }));
    expect(r.node('db').error?.code).toBe('INVALID_PARAM');
    expect(r.node('db').error?.message).toMatch(/must name an environment variable/);
  });

  it('data.profile passes the table through and reports a profile', async () => {
    const d = dir('people.csv');
    const r = await runPipeline(
      {
        nodes: [
          { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } },
          { id: 'profile', type: 'data.profile', version: 1, params: { bins: 4 } },
        ],
        edges: [{ from: 'load.table', to: 'profile.table' }],
      },
      { dir: d },
    );
    expect(r.output<TableRef>('profile', 'table')).toEqual(r.output<TableRef>('load', 'table'));
    const m = r.output<MetricsValue>('profile', 'metrics');
    expect(m.values.rows).toBe(8);
    const age = m.tables[0].rows.find((row) => row[0] === 'age')!;
    expect(age.slice(0, 5)).toEqual(['age', 'integer', 1, 12.5, 7]);
    const hist = m.charts.find((c) => c.id === 'hist-age');
    expect(hist && hist.kind === 'histogram' ? hist.bins.length : 0).toBe(4);
  });

  it('data.profile bins a large table on a sample, says so in the histogram\'s title, and counts every row when Exact is ticked', async () => {
    const d = mkdtempSync(join(tmpdir(), 'flowline-src-'));
    const rows = 250_000;
    writeFileSync(join(d, 'big.csv'), `v\n${Array.from({ length: rows }, (_, i) => ((i * 7919) % 250_007) / 3).join('\n')}\n`);
    const profileOf = async (exact: boolean) => {
      const p = {
        nodes: [
          { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'big.csv' } },
          { id: 'profile', type: 'data.profile', version: 1, params: { bins: 5, exact } },
        ],
        edges: [{ from: 'load.table', to: 'profile.table' }],
      };
      const hist = (await runPipeline(p, { dir: d })).output<MetricsValue>('profile', 'metrics').charts.find((c) => c.id === 'hist-v');
      if (hist?.kind !== 'histogram') throw new Error('no histogram of v');
      return hist;
    };
    const sampled = await profileOf(false);
    expect(sampled.title).toMatch(/^v \(estimated from a sample of [\d,]+ values\)$/);
    expect(sampled.bins.reduce((a, b) => a + b.count, 0)).toBe(rows);
    const exact = await profileOf(true);
    expect(exact.title).toBe('v');
    // Counted over every row: 250,000 values spread evenly, v * 3 running over 0..250,006 with 7 gaps.
    const values = Array.from({ length: rows }, (_, i) => ((i * 7919) % 250_007) / 3);
    const [lo, hi] = values.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
    expect(exact.bins.map((b) => b.count)).toEqual(exact.bins.map((b, i) => values.filter((v) => v >= b.x0 && (i === 4 ? v <= hi : v < b.x1)).length));
    expect([exact.bins[0].x0, exact.bins[4].x1]).toEqual([lo, hi]);
    sampled.bins.forEach((b, i) => expect(Math.abs(b.count - exact.bins[i].count) / rows).toBeLessThan(0.01));
  });
});
