import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { readModelInfo } from '../../../core/export/onnx/score.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out };
};

/** 240 rows: two numbers and a city with gaps, a yes/no target. */
function writeData(dir: string): void {
  const lines = ['x1,x2,city,label'];
  for (let i = 0; i < 240; i++) {
    const x1 = ((i * 37) % 101) / 10 - 5;
    const x2 = ((i * 53) % 97) / 20 - 2;
    const city = ['Lyon', 'Oslo', 'Porto'][i % 3];
    const label = x1 + x2 + (city === 'Oslo' ? 1 : 0) + (((i * 7) % 11) - 5) / 5 > 0 ? 'yes' : 'no';
    lines.push(`${i % 13 === 0 ? '' : x1},${i % 17 === 0 ? '' : x2},${i % 19 === 0 ? '' : city},${label}`);
  }
  writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
}

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });
const chain = (ids: string[]) => ids.slice(1).map((id, i) => ({ from: `${ids[i]}.table`, to: `${id}.table` }));

function pipelineFile(dir: string, name: string, steps: ReturnType<typeof node>[]): string {
  const nodes = [
    node('load', 'data.load_csv', { path: 'data.csv' }),
    ...steps,
    node('split', 'data.split', { test_fraction: 0.25 }),
    node('train', 'ml.train', { target: 'label', learner: 'logistic_regression' }),
    node('evaluate', 'ml.evaluate'),
    node('score', 'ml.predict'),
    node('write', 'data.write_csv', { path: 'app-scored.csv' }),
  ];
  const edges = [
    ...chain(['load', ...steps.map((s) => s.id), 'split']),
    { from: 'split.train', to: 'train.table' },
    { from: 'train.model', to: 'evaluate.model' },
    { from: 'split.test', to: 'evaluate.table' },
    { from: 'train.model', to: 'score.model' },
    { from: 'load.table', to: 'score.table' },
    { from: 'score.table', to: 'write.table' },
  ];
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ format: 'flowline.pipeline', version: 1, name, seed: 3, nodes, edges }));
  return file;
}

const FEATURES = [
  node('impute', 'prep.impute', { columns: ['x1', 'x2'], strategy: 'median' }),
  node('encode', 'prep.encode', { columns: ['city'], method: 'onehot' }),
  node('scale', 'prep.scale', { columns: ['x1', 'x2'], method: 'standard' }),
];

describe('flowline export onnx / flowline predict', () => {
  it('exports the Train node verified on the Evaluate rows, and predict scores a CSV with the same numbers as the Predict node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-'));
    writeData(dir);
    const file = pipelineFile(dir, 'p.flow.json', FEATURES);
    const out = join(dir, 'model.onnx');
    const r = await cli('export', 'onnx', file, '--node', 'train', '--out', out, '--exact', '--json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('exported');
    expect(doc.verification).toMatchObject({ passed: true, bitIdentical: false, rowSource: "held-out rows scored by 'evaluate' (from 'split')" });
    expect(doc.verification.labelsAgree).toBe(doc.verification.rows);
    expect(doc.verification.unseenRows).toBeGreaterThan(0);
    const info = readModelInfo(readFileSync(out));
    expect(info.inputs.map((i) => [i.name, i.type])).toEqual([['x1', 'double'], ['x2', 'double'], ['city', 'string']]);
    expect(info.metrics?.nodeId).toBe('evaluate');
    expect(Object.keys(info.metrics!.values)).toContain('accuracy');
    expect(info.pipelineHash).toMatch(/^[0-9a-f]{64}$/);
    expect(info.trainedOn.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);

    // the app's own Predict node on every row, written by the pipeline
    expect((await cli('run', file)).code).toBe(0);
    const p = await cli('predict', out, join(dir, 'data.csv'), '--out', join(dir, 'onnx-scored.csv'));
    expect(p.code, p.stderr).toBe(0);
    const app = readFileSync(join(dir, 'app-scored.csv'), 'utf8').trim().split('\n');
    const onnx = readFileSync(join(dir, 'onnx-scored.csv'), 'utf8').trim().split('\n');
    expect(onnx[0]).toBe(app[0]);
    expect(onnx.length).toBe(241);
    const cols = (line: string) => line.split(',').slice(-3); // prediction, proba_no, proba_yes
    let worst = 0;
    for (let i = 1; i < app.length; i++) {
      const [pa, ...qa] = cols(app[i]);
      const [po, ...qo] = cols(onnx[i]);
      expect(po).toBe(pa);
      qa.forEach((q, j) => (worst = Math.max(worst, Math.abs(Number(q) - Number(qo[j])))));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('writes a model card beside the file, with the Export node\'s written fields and the metrics of the Evaluate that scored it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-card-'));
    writeData(dir);
    const file = pipelineFile(dir, 'p.flow.json', FEATURES);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.nodes.push(node('onnx', 'export.onnx', { path: 'model.onnx', intended_use: 'Rank the weekly leads for the Lyon desk.', limitations: 'Never trained on rows from Porto after 2024.' }));
    doc.edges.push({ from: 'train.model', to: 'onnx.model' });
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'cli-model.onnx');
    const r = await cli('export', 'onnx', file, '--node', 'train', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const exported = JSON.parse(r.stdout);
    expect(exported.card).toEqual({ markdown: join(dir, 'cli-model.card.md'), html: join(dir, 'cli-model.card.html') });
    const md = readFileSync(exported.card.markdown, 'utf8');
    expect(md).toContain('Rank the weekly leads for the Lyon desk.');
    expect(md).toContain('Never trained on rows from Porto after 2024.');
    expect(md).toContain('From node `evaluate`');
    const runs = JSON.parse((await cli('runs', '--in', dir, '--json')).stdout) as { id: string }[];
    expect(runs).toHaveLength(1);
    expect(md).toContain(runs[0].id);
    const html = readFileSync(exported.card.html, 'utf8');
    expect(html).toContain('Rank the weekly leads for the Lyon desk.');
    expect(html).not.toMatch(/<script|https?:\/\//i);
  });

  it('a Run Code node among the feature steps is refused by name, and no file appears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-'));
    writeData(dir);
    const code = node('code', 'prep.code', { code: '(df) => df' });
    const file = pipelineFile(dir, 'code.flow.json', [FEATURES[0], code, FEATURES[1], FEATURES[2]]);
    const out = join(dir, 'model.onnx');
    const r = await cli('export', 'onnx', file, '--node', 'train', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`node "code"`);
    expect(r.stderr).toMatch(/node 'code' \(Run Code\) comes after the feature steps 'impute'/);
    expect(r.stderr).toMatch(/hint: Move 'code' before the first feature step/);
    expect(existsSync(out)).toBe(false);
  });

  it('bad input: an unknown node exits 2 naming it; a model file without Flowline metadata is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-'));
    writeData(dir);
    const file = pipelineFile(dir, 'p.flow.json', FEATURES);
    const r = await cli('export', 'onnx', file, '--node', 'trian', '--out', join(dir, 'm.onnx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('There is no node "trian"');
    writeFileSync(join(dir, 'junk.onnx'), 'not a model');
    const p = await cli('predict', join(dir, 'junk.onnx'), join(dir, 'data.csv'), '--out', join(dir, 's.csv'));
    expect(p.code).toBe(2);
    expect(existsSync(join(dir, 's.csv'))).toBe(false);
  });
});
