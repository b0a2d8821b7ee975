import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../core/export/serving/server/manifest.ts';
import { readModelInfo } from '../../core/export/onnx/score.ts';
import { post, startServer, type RunningServer } from '../support/serving.ts';

/**
 * The first "done when": `flowline export docker` on a real pipeline (impute + one-hot
 * recipe, random forest champion, logistic regression challenger), the bundle's server started
 * with plain node from the bundle folder, golden requests replayed over every protocol.
 */
const BIN = resolve(import.meta.dirname, '../../bin/flowline.js');
let dir: string;
let out: string;
let server: RunningServer;
let exported: { status: number | null; stdout: string; stderr: string };

function csv(): string {
  const plans = ['basic', 'pro', 'team'];
  const lines = ['age,plan,active,spend,churned'];
  for (let i = 0; i < 160; i++) {
    const age = i % 11 === 0 ? '' : String(20 + ((i * 7) % 45));
    const plan = plans[(i * 5) % 3];
    const active = i % 4 !== 0;
    const spend = ((i * 37) % 500) / 3;
    const churned = (spend < 60 ? 1 : 0) + (plan === 'basic' ? 1 : 0) + (active ? 0 : 1) >= 2 || i % 13 === 0 ? 'left' : 'stayed';
    lines.push(`${age},${plan},${active},${spend.toFixed(2)},${churned}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flowline-export-docker-'));
  writeFileSync(join(dir, 'churn.csv'), csv());
  writeFileSync(
    join(dir, 'churn.flow.json'),
    JSON.stringify({
      format: 'flowline.pipeline',
      version: 1,
      seed: 7,
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'churn.csv' } },
        { id: 'impute', type: 'prep.impute', version: 1, params: { columns: ['age'], strategy: 'median' } },
        { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['plan'], method: 'onehot' } },
        { id: 'split', type: 'data.split', version: 1, params: { test_fraction: 0.25 } },
        { id: 'train', type: 'ml.train', version: 1, params: { target: 'churned', learner: 'random_forest', learner_params: { n_estimators: 15, max_depth: 5 } } },
        { id: 'train_v2', type: 'ml.train', version: 1, params: { target: 'churned', learner: 'logistic_regression' } },
        { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
        { id: 'evaluate_v2', type: 'ml.evaluate', version: 1, params: {} },
      ],
      edges: [
        { from: 'load.table', to: 'impute.table' },
        { from: 'impute.table', to: 'encode.table' },
        { from: 'encode.table', to: 'split.table' },
        { from: 'split.train', to: 'train.table' },
        { from: 'split.train', to: 'train_v2.table' },
        { from: 'train.model', to: 'evaluate.model' },
        { from: 'split.test', to: 'evaluate.table' },
        { from: 'train_v2.model', to: 'evaluate_v2.model' },
        { from: 'split.test', to: 'evaluate_v2.table' },
      ],
    }),
  );
  out = join(dir, 'churn-bundle');
  exported = spawnSync(process.execPath, [BIN, 'export', 'docker', join(dir, 'churn.flow.json'), '--node', 'train', '--challenger', 'train_v2', '--routing', 'shadow', '--unknown-category', 'reject', '--out', out], { encoding: 'utf8' });
  if (exported.status === 0) server = await startServer(out, { FLOWLINE_ACCESS_LOG: 'off' });
}, 120_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
});

describe('flowline export docker', () => {
  it('writes the bundle from the Train node, verified on the held-out rows its Evaluate node scores', () => {
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/champion churn-train version [0-9a-f]{12} \(random_forest, binary\), verified on held-out rows scored by .evaluate. \(from .split.\)/);
    const manifest = JSON.parse(readFileSync(join(out, 'flowline-model.json'), 'utf8')) as Manifest;
    expect(manifest.models.map((m) => [m.name, m.role, m.learner])).toEqual([['churn-train', 'champion', 'random_forest'], ['churn-train_v2', 'challenger', 'logistic_regression']]);
    expect(manifest.routing.mode).toBe('shadow');
    const inputs = manifest.models[0].inputs;
    expect(inputs.map((c) => [c.name, c.kind])).toEqual([['age', 'integer'], ['plan', 'string'], ['active', 'boolean'], ['spend', 'number']]);
    expect(inputs.find((c) => c.name === 'plan')!.categories).toEqual(['basic', 'pro', 'team']);
    expect(manifest.models[0].metrics.test.accuracy).toBeGreaterThan(0.5);
    expect(manifest.models[0].lineage).toMatchObject({ trainNode: 'train', recipe: [{ nodeId: 'impute', kind: 'impute' }, { nodeId: 'encode', kind: 'onehot' }] });
    // each model's ONNX self-description (docs/onnx-export.md) is in the manifest, as in its file
    expect(manifest.models[0].onnx).toEqual(readModelInfo(readFileSync(join(out, 'model.onnx'))));
    expect(manifest.models[1].onnx).toEqual(readModelInfo(readFileSync(join(out, 'challenger', 'model.onnx'))));
  });

  it('the server, started with node from the bundle folder, answers the golden requests over v2, /invocations (split, records, CSV) and /predict', () => {
    const r = spawnSync(process.execPath, ['replay.js', server.url], { cwd: out, encoding: 'utf8' });
    expect(r.stdout).toContain('all golden requests match');
    // five protocols for each of the two models
    expect(r.stdout.match(/^ok /gm)?.length).toBe(10);
    expect(r.status).toBe(0);
  });

  it('answers a missing age (imputed in the model) and rejects an unknown plan naming field and row', async () => {
    const ok = await post(`${server.url}/predict`, { age: null, plan: 'pro', active: true, spend: 12.5 });
    expect(ok.status).toBe(200);
    expect(['left', 'stayed']).toContain(ok.body.prediction);
    expect(Object.keys(ok.body.probabilities as object)).toEqual(['left', 'stayed']);
    const bad = await post(`${server.url}/predict`, [{ age: 30, plan: 'pro', active: true, spend: 1 }, { age: 30, plan: 'enterprise', active: true, spend: 1 }]);
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'UNKNOWN_CATEGORY', field: 'plan', row: 1 });
  });
});
