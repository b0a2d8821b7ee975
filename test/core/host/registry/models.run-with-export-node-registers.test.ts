/**
 * A pipeline whose Export ONNX node writes the model registers it when the run ends — the path
 * the studio's Run takes too (run-session.ts) — and a rerun that finds the export cached
 * registers nothing new.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../../core/host/worker-tasks.ts';
import type { ListedVersion } from '../../../../core/spec/model-registry.ts';
import { NODES } from '../../../../nodes/index.ts';
import { captureIo } from '../../../support/capture-io.ts';

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out, json: () => JSON.parse(out.stdout) };
};

describe('a run that exports a model', () => {
  it('registers the exported model with the run as its lineage, once however often the cached export is rerun', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-registry-run-'));
    writeFileSync(join(dir, 'data.csv'), `x,y,label\n${Array.from({ length: 120 }, (_, i) => `${(i * 37) % 101},${(i * 53) % 97},${((i * 37) % 101) + ((i * 7) % 23) > 60 ? 'yes' : 'no'}`).join('\n')}\n`);
    const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });
    const file = join(dir, 'p.flow.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'flowline.pipeline',
        version: 2,
        name: 'exports',
        nodes: [node('load', 'data.load_csv', { path: 'data.csv' }), node('split', 'data.split', { test_fraction: 0.25 }), node('train', 'ml.train', { target: 'label', learner: 'logistic_regression' }), node('evaluate', 'ml.evaluate'), node('export', 'export.onnx', { path: 'model.onnx' })],
        edges: [
          { from: 'load.table', to: 'split.table' },
          { from: 'split.train', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'split.test', to: 'evaluate.table' },
          { from: 'train.model', to: 'export.model' },
          { from: 'split.test', to: 'export.table' },
          { from: 'evaluate.metrics', to: 'export.metrics' },
        ],
      }),
    );
    const first = await cli('run', file, '--json');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect((await cli('run', file)).code).toBe(0);
    const versions = (await cli('models', '--in', dir, '--json')).json() as ListedVersion[];
    expect(versions.map((v) => [v.id, v.stage, v.exportedTo])).toEqual([['v1', 'candidate', join(dir, 'model.onnx')]]);
    const runs = (await cli('runs', '--in', dir, '--json')).json() as { id: string }[];
    expect(versions[0].lineage.runId).toBe(runs[0].id);
    expect(versions[0].lineage.metrics.evaluate.accuracy).toBe(first.json().metrics.evaluate.accuracy);
    expect(readFileSync(join(dir, '.flowline', 'models', 'v1', 'model.onnx'))).toEqual(readFileSync(join(dir, 'model.onnx')));
    expect(readFileSync(join(dir, '.flowline', 'models', 'v1', 'pipeline.flow.json'), 'utf8')).toContain('"export.onnx"');
  }, 120_000);
});
