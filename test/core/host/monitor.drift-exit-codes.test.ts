/**
 * `flowline monitor MODEL NEW_DATA` (docs/lifecycle.md, "Drift"): an exported model carries its
 * training reference; new rows shifted from it exit 3 naming the columns, a resample of the
 * training data exits 0; a serving bundle's request log is read; labelled rows get metrics.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { readModelInfo } from '../../../core/export/onnx/score.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';
import { driftCsv as table, driftRow as row } from '../../support/drift-rows.ts';

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out, json: () => JSON.parse(out.stdout) };
};

let dir: string;
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowline-monitor-'));
  writeFileSync(join(dir, 'data.csv'), table(Array.from({ length: 400 }, (_, i) => row(i))));
  const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });
  writeFileSync(
    join(dir, 'p.flow.json'),
    JSON.stringify({
      format: 'flowline.pipeline',
      version: 1,
      name: 'monitor',
      seed: 3,
      nodes: [node('load', 'data.load_csv', { path: 'data.csv' }), node('encode', 'prep.encode', { columns: ['city'], method: 'onehot' }), node('split', 'data.split', { test_fraction: 0.25 }), node('train', 'ml.train', { target: 'label', learner: 'logistic_regression' }), node('evaluate', 'ml.evaluate')],
      edges: [
        { from: 'load.table', to: 'encode.table' },
        { from: 'encode.table', to: 'split.table' },
        { from: 'split.train', to: 'train.table' },
        { from: 'train.model', to: 'evaluate.model' },
        { from: 'split.test', to: 'evaluate.table' },
      ],
    }),
  );
  model = join(dir, 'model.onnx');
  const exported = await cli('export', 'onnx', join(dir, 'p.flow.json'), '--node', 'train', '--out', model);
  expect(exported.code, exported.stderr).toBe(0);
}, 180_000);

describe('flowline monitor', () => {
  it('the exported model carries a training reference: per-column summaries of its 300 training rows and its predictions', () => {
    const info = readModelInfo(readFileSync(model));
    const ref = info.trainingReference!;
    expect(ref.rows).toBe(300);
    expect(ref.columns.map((c) => `${c.column}:${c.kind}`)).toEqual(['x1:number', 'x2:number', 'city:category']);
    const city = ref.columns[2];
    expect(city.kind === 'category' && Object.values(city.counts).reduce((a, b) => a + b, 0)).toBe(300);
    const x1 = ref.columns[0];
    expect(x1.kind === 'number' && [x1.count, x1.sketch.length, x1.proportions.reduce((a, b) => a + b, 0)]).toEqual([300, 300, expect.closeTo(1, 12)]);
    expect(ref.prediction?.kind).toBe('category');
  });

  it('exits 0 on a resample of the training data', async () => {
    writeFileSync(join(dir, 'resample.csv'), table(Array.from({ length: 200 }, (_, i) => row(2 * i + 1))));
    const r = await cli('monitor', model, join(dir, 'resample.csv'), '--json');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = r.json();
    expect(report.verdict).toBe('ok');
    expect(report.columns.map((c: { column: string; drifted: boolean }) => `${c.column}:${c.drifted}`)).toEqual(['x1:false', 'x2:false', 'city:false']);
    expect(report.prediction.drifted).toBe(false);
  });

  it('exits 3 on a shifted dataset, naming the drifted columns, and writes the HTML report; labelled rows get metrics beside training time', async () => {
    writeFileSync(join(dir, 'shifted.csv'), table(Array.from({ length: 200 }, (_, i) => row(i, true))));
    const html = join(dir, 'drift.html');
    const r = await cli('monitor', model, join(dir, 'shifted.csv'), '--json', '--html', html);
    expect(r.code, r.stderr).toBe(3);
    const report = r.json();
    expect(report.verdict).toBe('drift');
    expect(report.drifted).toEqual(['x1', 'city']);
    const x1 = report.columns.find((c: { column: string }) => c.column === 'x1');
    expect(x1.ks.statistic).toBeGreaterThan(0.3);
    expect(x1.reasons.join(' ')).toMatch(/PSI .* >= 0\.2/);
    expect(report.quality.map((q: { metric: string }) => q.metric)).toContain('accuracy');
    expect(report.quality.find((q: { metric: string }) => q.metric === 'accuracy').training).toEqual(expect.any(Number));
    expect(readFileSync(html, 'utf8')).toContain('Drift in x1, city');

    const text = await cli('monitor', model, join(dir, 'shifted.csv'));
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/✗ x1 .*PSI/);
    expect(text.stdout).toMatch(/drift in x1, city.*\(exit 3\)/);
    // Looser thresholds: no drift.
    expect((await cli('monitor', model, join(dir, 'shifted.csv'), '--psi', '100', '--ks', '1', '--js', '1')).code).toBe(0);
  });

  it('reads a serving bundle request log (JSON Lines) and exits 3 when its inputs have drifted', async () => {
    const lines = Array.from({ length: 40 }, (_, k) => {
      const rows = [0, 1, 2, 3, 4].map((j) => row(k * 5 + j, true).split(','));
      return JSON.stringify({ time: '2026-05-31T14:05:00.123Z', request_id: `r${k}`, route: '/predict', model_name: 'm', rows: 5, inputs: { x1: rows.map((r) => Number(r[0])), x2: rows.map((r) => Number(r[1])), city: rows.map((r) => r[2]) }, predictions: rows.map((r) => r[3]) });
    });
    writeFileSync(join(dir, 'requests.jsonl'), `${lines.join('\n')}\n`);
    const r = await cli('monitor', model, join(dir, 'requests.jsonl'), '--json');
    expect(r.code, r.stderr).toBe(3);
    expect(r.json().rows).toBe(200);
    expect(r.json().drifted).toEqual(['x1', 'city']);
    writeFileSync(join(dir, 'broken.jsonl'), '{"rows":1}\nnot json\n');
    const bad = await cli('monitor', model, join(dir, 'broken.jsonl'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2|:2/);
  });
});
