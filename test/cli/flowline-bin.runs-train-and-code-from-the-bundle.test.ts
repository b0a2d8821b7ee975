/**
 * The real `flowline` command (bin/flowline.js, fresh processes) on a pipeline whose Code node
 * runs in the danfo worker and whose Encode/Train/Predict run in the worker pool: the first run
 * builds the CLI's source bundle (and the workers theirs), the second reuses it and finds every
 * node cached, and the predictions are byte-identical to a run that loads the sources through tsx,
 * in the workers too (FLOWLINE_NO_BUNDLE=1).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin', 'flowline.js');

const PIPELINE = {
  format: 'flowline.pipeline',
  version: 1,
  name: 'bundle check',
  seed: 7,
  nodes: [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'penguins.csv' } },
    { id: 'known', type: 'data.filter_rows', version: 1, params: { condition: 'beak_length_mm IS NOT NULL AND sex IS NOT NULL' } },
    {
      id: 'code',
      type: 'prep.code',
      version: 1,
      params: { code: "(df, dfd) => {\n  df.addColumn('beak_area', df.column('beak_length_mm').mul(df.column('beak_depth_mm')), { inplace: true });\n  return df;\n}" },
    },
    { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['island', 'sex'], method: 'onehot' } },
    { id: 'split', type: 'data.split', version: 1, params: { test_fraction: 0.25, method: 'stratified', column: 'species' } },
    { id: 'train', type: 'ml.train', version: 1, params: { target: 'species', learner: 'random_forest', learner_params: { n_estimators: 20 } } },
    { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
    { id: 'predict', type: 'ml.predict', version: 1, params: { probabilities: true } },
    { id: 'write', type: 'data.write_csv', version: 1, params: { path: 'predictions.csv' } },
  ],
  edges: [
    { from: 'load.table', to: 'known.table' },
    { from: 'known.table', to: 'code.table' },
    { from: 'code.table', to: 'encode.table' },
    { from: 'encode.table', to: 'split.table' },
    { from: 'split.train', to: 'train.table' },
    { from: 'train.model', to: 'evaluate.model' },
    { from: 'split.test', to: 'evaluate.table' },
    { from: 'train.model', to: 'predict.model' },
    { from: 'split.test', to: 'predict.table' },
    { from: 'predict.table', to: 'write.table' },
  ],
};

interface Report {
  status: string;
  nodes: { id: string; status: string }[];
  metrics: Record<string, Record<string, number>>;
}

describe('bin/flowline.js from the source bundle', () => {
  it('builds the bundle, reuses it, and runs Train + Code exactly as through tsx', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-bin-'));
    copyFileSync(join(REPO, 'templates', 'data', 'penguins.csv'), join(dir, 'penguins.csv'));
    const file = join(dir, 'check.flow.json');
    writeFileSync(file, JSON.stringify(PIPELINE));
    const env = { ...process.env, FLOWLINE_BUNDLE_TRACE: '1', FLOWLINE_DEBUG: '', FLOWLINE_BUNDLE_DIR: join(dir, 'bundles'), FLOWLINE_NO_BUNDLE: '' };
    const flowline = (args: string[], extraEnv: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...env, ...extraEnv } });
      expect(r.status, r.stderr).toBe(0);
      return { report: JSON.parse(r.stdout) as Report, said: r.stderr, predictions: readFileSync(join(dir, 'predictions.csv'), 'utf8') };
    };
    const statuses = (r: Report) => r.nodes.map((n) => `${n.id}:${n.status}`);

    const first = flowline(['run', file, '--json', '--trust']);
    expect(first.said).toMatch(/^flowline: built bundle .*cli-[0-9a-f-]+\.cjs in \d+ ms\n/);
    expect(first.said).toMatch(/flowline: (built|reusing) bundle .*worker-[0-9a-f-]+\.cjs/);
    expect(first.report.status).toBe('done');
    expect(statuses(first.report)).toEqual(PIPELINE.nodes.map((n) => `${n.id}:done`));
    expect(first.report.metrics.evaluate.accuracy).toBeGreaterThan(0.9);
    expect(first.predictions.split('\n')[0]).toContain('beak_area');

    const second = flowline(['run', file, '--json', '--trust']);
    expect(second.said).toMatch(/^flowline: reusing bundle .*cli-[0-9a-f-]+\.cjs \(code cache used\)\n/);
    expect(statuses(second.report)).toEqual(PIPELINE.nodes.map((n) => `${n.id}:cached`));
    expect(second.report.metrics).toEqual(first.report.metrics);

    const viaTsx = flowline(['run', file, '--json', '--no-cache', '--yes'], { FLOWLINE_NO_BUNDLE: '1' });
    expect(viaTsx.said).toMatch(/^flowline: loading the sources through tsx/);
    expect(viaTsx.said).not.toMatch(/bundle/);
    expect(statuses(viaTsx.report)).toEqual(PIPELINE.nodes.map((n) => `${n.id}:done`));
    expect(viaTsx.report.metrics).toEqual(first.report.metrics);
    expect(viaTsx.predictions).toBe(first.predictions);
  });
});
