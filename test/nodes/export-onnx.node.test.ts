import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelInfo } from '../../core/export/onnx/score.ts';
import type { ArtifactValue } from '../../core/spec/values.ts';
import { runPipeline } from '../support/run-pipeline.ts';

function data(dir: string): void {
  const lines = ['size,colour,price'];
  for (let i = 0; i < 200; i++) {
    const size = (i * 31) % 50;
    const colour = ['red', 'green', 'blue', 'cyan'][i % 4];
    lines.push(`${i % 11 === 0 ? '' : size},${i % 13 === 0 ? '' : colour},${2 * size + (colour === 'red' ? 5 : 0) + (i % 7)}`);
  }
  writeFileSync(join(dir, 'd.csv'), `${lines.join('\n')}\n`);
}

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });

describe('Export ONNX node', () => {
  it('writes a verified model from model + held-out rows + metrics, and logs the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-node-'));
    data(dir);
    const run = await runPipeline(
      {
        nodes: [
          n('load', 'data.load_csv', { path: 'd.csv' }),
          n('impute', 'prep.impute', { columns: ['size'], strategy: 'mean' }),
          n('encode', 'prep.encode', { columns: ['colour'], method: 'onehot' }),
          n('split', 'data.split', { test_fraction: 0.3 }),
          n('train', 'ml.train', { target: 'price', learner: 'random_forest', learner_params: { n_estimators: 10 } }),
          n('evaluate', 'ml.evaluate'),
          n('export', 'export.onnx', { path: 'out/price.onnx', exact: true }),
        ],
        edges: [
          { from: 'load.table', to: 'impute.table' },
          { from: 'impute.table', to: 'encode.table' },
          { from: 'encode.table', to: 'split.table' },
          { from: 'split.train', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'split.test', to: 'evaluate.table' },
          { from: 'train.model', to: 'export.model' },
          { from: 'split.test', to: 'export.table' },
          { from: 'evaluate.metrics', to: 'export.metrics' },
        ],
      },
      { dir },
    );
    const file = run.output<ArtifactValue>('export', 'file');
    expect(file).toMatchObject({ kind: 'artifact', path: join(dir, 'out', 'price.onnx'), format: 'onnx' });
    const info = readModelInfo(readFileSync(file.path));
    expect(info).toMatchObject({ target: 'exact', task: 'regression', targetColumn: 'price', metrics: { nodeId: 'evaluate', scope: 'test' } });
    expect(info.metrics!.values.rmse).toBeGreaterThan(0);
    const logs = run.events.filter((e) => e.type === 'node:log' && e.nodeId === 'export').map((e) => (e as { message: string }).message);
    expect(logs.join('\n')).toMatch(/verified on \d+ rows: \d+ held-out rows from 'split'.*\n.*bit-identical/);
  });

  it('without held-out rows it verifies on the rows the model keeps; a hashing step is refused by name and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-node-'));
    data(dir);
    const ok = await runPipeline(
      {
        nodes: [
          n('load', 'data.load_csv', { path: 'd.csv' }),
          n('impute', 'prep.impute', { columns: ['size'], strategy: 'median' }),
          n('train', 'ml.train', { target: 'price', learner: 'ridge', features: ['size'] }),
          n('export', 'export.onnx', { path: 'm.onnx' }),
        ],
        edges: [
          { from: 'load.table', to: 'impute.table' },
          { from: 'impute.table', to: 'train.table' },
          { from: 'train.model', to: 'export.model' },
        ],
      },
      { dir },
    );
    expect(existsSync(ok.output<ArtifactValue>('export', 'file').path)).toBe(true);
    const logs = ok.events.filter((e) => e.type === 'node:log' && e.nodeId === 'export').map((e) => (e as { message: string }).message);
    expect(logs[0]).toMatch(/training rows kept in the model/);

    const refused = await runPipeline(
      {
        nodes: [
          n('load', 'data.load_csv', { path: 'd.csv' }),
          n('hash', 'prep.encode', { columns: ['colour'], method: 'hashing', n_features: 4 }),
          n('train', 'ml.train', { target: 'price', learner: 'ridge', features: ['colour_h0', 'colour_h1'] }),
          n('export', 'export.onnx', { path: 'h.onnx' }),
        ],
        edges: [
          { from: 'load.table', to: 'hash.table' },
          { from: 'hash.table', to: 'train.table' },
          { from: 'train.model', to: 'export.model' },
        ],
      },
      { dir },
    );
    expect(refused.node('export').error).toMatchObject({ code: 'NOT_EXPORTABLE', message: expect.stringMatching(/node 'hash' \(Encode Categories, hashing\): standard ONNX has no string hash operator.*No file was written/) });
    expect(refused.node('export').error!.hint).toMatch(/For 'hash': use one-hot or target encoding/);
    expect(existsSync(join(dir, 'h.onnx'))).toBe(false);
  });
});
