/**
 * The Detect Drift node (ml.detect_drift): the numbers `flowline monitor` gives for the same model
 * and rows (they share core/ml/drift), a shifted column flagged, a resample of the reference not
 * flagged, and a clear error without a reference.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readColumns } from '../../core/data/tables.ts';
import { main } from '../../core/host/cli.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import type { MetricsValue, TableRef } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';
import { captureIo } from '../support/capture-io.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { driftCsv as csv, driftRow as row } from '../support/drift-rows.ts';

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flowline-drift-node-'));
  writeFileSync(join(dir, 'data.csv'), csv(Array.from({ length: 400 }, (_, i) => row(i))));
  writeFileSync(join(dir, 'shifted.csv'), csv(Array.from({ length: 200 }, (_, i) => row(i, true))));
  writeFileSync(join(dir, 'resample.csv'), csv(Array.from({ length: 200 }, (_, i) => row(2 * i + 1))));
});

/** data.csv → encode → split → train (logistic) → export model.onnx; `newFile` → drift against the model. */
const withModel = (newFile: string) => ({
  seed: 3,
  nodes: [
    node('load', 'data.load_csv', { path: 'data.csv' }),
    node('encode', 'prep.encode', { columns: ['city'], method: 'onehot' }),
    node('split', 'data.split', { test_fraction: 0.25 }),
    node('train', 'ml.train', { target: 'label', learner: 'logistic_regression' }),
    node('export', 'export.onnx', { path: 'model.onnx', exact: true }),
    node('fresh', 'data.load_csv', { path: newFile }),
    node('drift', 'ml.detect_drift'),
  ],
  edges: [
    { from: 'load.table', to: 'encode.table' },
    { from: 'encode.table', to: 'split.table' },
    { from: 'split.train', to: 'train.table' },
    { from: 'train.model', to: 'export.model' },
    { from: 'train.model', to: 'drift.model' },
    { from: 'fresh.table', to: 'drift.table' },
  ],
});

/** Two tables compared directly, no model. */
const tables = (referenceFile: string, newFile: string, params: Record<string, unknown> = {}) => ({
  nodes: [node('ref', 'data.load_csv', { path: referenceFile }), node('fresh', 'data.load_csv', { path: newFile }), node('drift', 'ml.detect_drift', params)],
  edges: [
    { from: 'ref.table', to: 'drift.reference' },
    { from: 'fresh.table', to: 'drift.table' },
  ],
});

async function driftRows(t: TableRef) {
  const names = ['column', 'role', 'test', 'statistic', 'p_value', 'wasserstein', 'jensen_shannon', 'psi', 'missing_reference', 'missing_current', 'drifted'];
  const r = await readColumns(t, names);
  return Array.from({ length: r.rowIds.length }, (_, i) => Object.fromEntries(names.map((n) => [n, (r.columns[n] as ArrayLike<unknown>)[i]]))) as Record<string, number | string | null>[];
}

describe('ml.detect_drift', () => {
  it('gives the numbers flowline monitor gives for the same model and new rows', async () => {
    const run = await runPipeline(withModel('shifted.csv'), { dir });
    const rows = await driftRows(run.output<TableRef>('drift', 'drift'));
    const { io, out } = captureIo();
    const code = await main(['monitor', join(dir, 'model.onnx'), join(dir, 'shifted.csv'), '--json'], { nodes: NODES, tasks: WORKER_TASKS }, io);
    expect(code, out.stderr).toBe(3);
    const monitor = JSON.parse(out.stdout);
    expect(rows.map((r) => r.column)).toEqual([...monitor.columns.map((c: { column: string }) => c.column), 'prediction']);
    for (const c of monitor.columns) {
      const r = rows.find((x) => x.column === c.column)!;
      const stat = c.ks ?? c.chiSquare;
      expect([r.statistic, r.p_value, r.psi, r.missing_reference, r.missing_current, r.drifted]).toEqual([stat.statistic, stat.pValue, c.psi, c.missingRate.reference, c.missingRate.current, c.drifted ? 1 : 0]);
      if (c.kind === 'number') expect(r.wasserstein).toBe(c.wasserstein);
      else expect(r.jensen_shannon).toBe(c.jensenShannon);
    }
    // The node predicts with the app's model, monitor with the exact ONNX file: the same labels.
    const prediction = rows.find((r) => r.role === 'prediction')!;
    expect([prediction.psi, prediction.statistic]).toEqual([monitor.prediction.psi, monitor.prediction.chiSquare.statistic]);

    const report = run.output<MetricsValue>('drift', 'report');
    expect(report.scope).toBe('drift');
    expect(report.values.drifted_columns).toBe(monitor.drifted.length);
    expect(report.tables[0].title).toMatch(new RegExp(`^Drift in ${monitor.drifted.join(', ')}`));
    const chart = report.charts[0];
    expect(chart.kind === 'bar' && chart.series[0].values).toEqual([...monitor.columns.map((c: { psi: number }) => c.psi), monitor.prediction.psi]);
  }, 180_000);

  it('flags the shifted columns of a new table and not a resample of the reference', async () => {
    const shifted = await runPipeline(tables('data.csv', 'shifted.csv'), { dir });
    const rows = await driftRows(shifted.output<TableRef>('drift', 'drift'));
    expect(rows.map((r) => `${r.column}:${r.drifted}`)).toEqual(['x1:1', 'x2:0', 'city:1', 'label:1']);
    expect(rows.find((r) => r.column === 'x1')!.test).toBe('Kolmogorov–Smirnov');
    expect(rows.find((r) => r.column === 'city')!.test).toBe('chi-square');
    expect(shifted.output<MetricsValue>('drift', 'report').tables[0].title).toMatch(/^Drift in x1, city, label · 200 new rows against 400 reference rows/);

    const resample = await runPipeline(tables('data.csv', 'resample.csv'), { dir });
    const same = await driftRows(resample.output<TableRef>('drift', 'drift'));
    expect(same.map((r) => `${r.column}:${r.drifted}`)).toEqual(['x1:0', 'x2:0', 'city:0', 'label:0']);
    expect(resample.output<MetricsValue>('drift', 'report').tables[0].title).toMatch(/^Within thresholds/);

    // Thresholds are params: loose enough, the shift is within them.
    const loose = await runPipeline(tables('data.csv', 'shifted.csv', { psi: 100, ks: 1, jensen_shannon: 1, columns: ['x1'] }), { dir });
    expect((await driftRows(loose.output<TableRef>('drift', 'drift'))).map((r) => `${r.column}:${r.drifted}`)).toEqual(['x1:0']);
  }, 120_000);

  it('a resample of the training rows does not drift against the model, predictions included', async () => {
    const run = await runPipeline(withModel('resample.csv'), { dir });
    const report = run.output<MetricsValue>('drift', 'report');
    expect(report.values.drifted_columns).toBe(0);
    expect(report.tables[0].title).toMatch(/^Within thresholds/);
    expect(report.tables[0].rows.map((r) => r[0])).toEqual(['x1', 'x2', 'city', 'prediction (model output)']);
  }, 120_000);

  it('without a model or a reference table, the node fails saying what to connect; a column the reference lacks is named', async () => {
    const run = await runPipeline({ nodes: [node('fresh', 'data.load_csv', { path: 'shifted.csv' }), node('drift', 'ml.detect_drift')], edges: [{ from: 'fresh.table', to: 'drift.table' }] }, { dir });
    expect(run.node('drift').error?.message).toMatch(/needs a reference: connect a model or a reference table/);
    writeFileSync(join(dir, 'narrow.csv'), 'x1\n1\n2\n');
    const narrow = await runPipeline(tables('narrow.csv', 'shifted.csv', { columns: ['x1', 'city'] }), { dir });
    expect(narrow.node('drift').error).toMatchObject({ column: 'city', message: expect.stringMatching(/reference rows have no column "city"/) });
  }, 60_000);
});
