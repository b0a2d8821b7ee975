/**
 * The model bench/serve.ts serves, shaped like the notes' check: a random forest of 100 trees,
 * depth 6, on 20 numeric columns, trained and exported through `flowline export docker`'s own
 * code path (pipeline → verified ONNX → bundle), with onnxruntime-node linked in as `npm ci`
 * would install it.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dockerBundleFromPipeline } from '../../core/host/docker-export.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { NODES } from '../../nodes/index.ts';

const REPO = resolve(import.meta.dirname, '../..');
const FEATURES = 20;

export async function benchModel(): Promise<{ dir: string; rows: Record<string, unknown>[]; description: string }> {
  const dir = join(import.meta.dirname, '..', '.data', 'serve-bench');
  mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: FEATURES }, (_, j) => `x${j}`);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows: Record<string, number>[] = [];
  const lines = [[...names, 'y'].join(',')];
  for (let i = 0; i < 3000; i++) {
    const x = names.map(() => Math.round((rand() * 4 - 2) * 1000) / 1000);
    const y = x[0] + 0.5 * x[1] * x[2] - x[3] + (rand() - 0.5) > 0 ? 'a' : 'b';
    lines.push([...x, y].join(','));
    rows.push(Object.fromEntries(names.map((n, j) => [n, x[j]])));
  }
  writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'forest.flow.json'),
    JSON.stringify({
      format: 'flowline.pipeline',
      version: 1,
      seed: 1,
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data.csv' } },
        { id: 'split', type: 'data.split', version: 1, params: { test_fraction: 0.2 } },
        { id: 'train', type: 'ml.train', version: 1, params: { target: 'y', learner: 'random_forest', learner_params: { n_estimators: 100, max_depth: 6 } } },
        { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
      ],
      edges: [
        { from: 'load.table', to: 'split.table' },
        { from: 'split.train', to: 'train.table' },
        { from: 'train.model', to: 'evaluate.model' },
        { from: 'split.test', to: 'evaluate.table' },
      ],
    }),
  );
  const bundle = join(dir, 'bundle');
  await dockerBundleFromPipeline({ path: join(dir, 'forest.flow.json'), node: 'train', out: bundle, zip: false }, { nodes: NODES, tasks: WORKER_TASKS });
  mkdirSync(join(bundle, 'node_modules'), { recursive: true });
  rmSync(join(bundle, 'node_modules', 'onnxruntime-node'), { force: true });
  symlinkSync(join(REPO, 'node_modules', 'onnxruntime-node'), join(bundle, 'node_modules', 'onnxruntime-node'), 'dir');
  return { dir: bundle, rows: rows.slice(0, 100), description: 'random forest, 100 trees of depth 6, 20 columns, exported by Flowline' };
}
