/**
 * Load JSON and Load Excel know their columns before anything runs, as Load CSV and Parquet do:
 * `flowline validate` names a misspelt column downstream of either, with "did you mean", and the
 * types it infers are those the run produces.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { knownSources } from '../../../core/host/known-sources.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import type { TableRef } from '../../../core/spec/index.ts';
import { captureIo } from '../../support/capture-io.ts';
import { runPipeline } from '../../support/run-pipeline.ts';

const validate = async (path: string) => {
  const { io, out } = captureIo();
  const code = await main(['validate', path, '--json'], { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...(JSON.parse(out.stdout) as { valid: boolean; diagnostics: Record<string, unknown>[] }) };
};

/** A source node → Group Aggregates by `key`, saved beside its data file; nothing run. */
function pipeline(dir: string, source: { type: string; params: Record<string, unknown> }, key: string) {
  const p = {
    format: 'flowline.pipeline',
    version: 2,
    name: 't',
    nodes: [
      { id: 'load', type: source.type, version: 1, params: source.params },
      { id: 'agg', type: 'prep.group_features', version: 1, params: { keys: [key], column: 'amount', aggs: ['mean'] } },
    ],
    edges: [{ from: 'load.table', to: 'agg.table' }],
  };
  const path = join(dir, 'p.flow.json');
  writeFileSync(path, JSON.stringify(p));
  return { path, pipeline: p as unknown as Pipeline };
}

async function workbook(dir: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Notes').addRow(['nothing here']);
  const ws = wb.addWorksheet('Sales');
  ws.addRow(['region', 'amount', 'day', 'paid']);
  ws.addRow(['north', 3.5, new Date(Date.UTC(2024, 0, 2)), true]);
  ws.addRow(['south', 5, new Date(Date.UTC(2024, 0, 3)), false]);
  await wb.xlsx.writeFile(join(dir, 'sales.xlsx'));
}

describe('validate knows Load JSON and Load Excel columns before running', () => {
  it('a misspelt key downstream of Load JSON exits 2 with "did you mean"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-known-json-'));
    writeFileSync(join(dir, 'orders.ndjson'), '{"region": "north", "amount": 3.5}\n{"region": "south", "amount": 5}\n');
    const bad = pipeline(dir, { type: 'data.load_json', params: { path: 'orders.ndjson' } }, 'regoin');
    const r = await validate(bad.path);
    expect(r.code).toBe(2);
    expect(r.diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'agg', path: ['keys', 0], column: 'regoin' }]);
    expect(r.diagnostics[0].message).toContain('Did you mean "region"?');
    expect(await validate(pipeline(dir, { type: 'data.load_json', params: { path: 'orders.ndjson' } }, 'region').path)).toMatchObject({ code: 0, valid: true });
  });

  it('a misspelt key downstream of Load Excel (a named sheet) exits 2 with "did you mean"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-known-xlsx-'));
    await workbook(dir);
    const r = await validate(pipeline(dir, { type: 'data.load_excel', params: { path: 'sales.xlsx', sheet: 'Sales' } }, 'regin').path);
    expect(r.code).toBe(2);
    expect(r.diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'agg', path: ['keys', 0], column: 'regin' }]);
    expect(r.diagnostics[0].message).toContain('Did you mean "region"?');
    // The first sheet has other columns: the sheet param is honoured.
    expect(await validate(pipeline(dir, { type: 'data.load_excel', params: { path: 'sales.xlsx', sheet: 'Sales' } }, 'region').path)).toMatchObject({ code: 0, valid: true });
  });

  it('the columns known before running are those the run produces, types included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-known-both-'));
    await workbook(dir);
    writeFileSync(join(dir, 'orders.json'), '[{"region": "north", "amount": 3.5, "n": 2}, {"region": "south", "amount": 5, "n": 7}]');
    for (const source of [
      { type: 'data.load_excel', params: { path: 'sales.xlsx', sheet: 'Sales' } },
      { type: 'data.load_json', params: { path: 'orders.json' } },
    ]) {
      const { path, pipeline: p } = pipeline(dir, source, 'region');
      const known = await knownSources(p, NODES, { path, cwd: dir });
      const run = await runPipeline({ nodes: [{ id: 'load', type: source.type, version: 1, params: source.params }] }, { dir });
      const produced = run.output<TableRef>('load', 'table').columns;
      expect(known.load.columns.map((c) => [c.name, c.type]), source.type).toEqual(produced.map((c) => [c.name, c.type]));
    }
  });
});
