import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetName, datasetPath } from './datasets.ts';

/**
 * load CSV (train, test) → ml.train → ml.evaluate on a parity dataset, in a fresh folder: the
 * shape every learner's headless test runs through. No target = clustering / anomaly (no evaluate).
 */
export function learnerPipeline(
  dataset: DatasetName,
  learner: string,
  learnerParams: Record<string, unknown>,
  options: { target?: string | null; task?: string; evaluate?: boolean; features?: string[]; seed: number },
) {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-learners-'));
  copyFileSync(datasetPath(dataset, 'train'), join(dir, 'train.csv'));
  copyFileSync(datasetPath(dataset, 'test'), join(dir, 'test.csv'));
  const target = options.target === undefined ? 'target' : options.target;
  const evaluate = (options.evaluate ?? true) && target !== null;
  const trainParams = {
    ...(target ? { target } : {}),
    ...(options.task ? { task: options.task } : {}),
    learner,
    learner_params: learnerParams,
    ...(options.features ? { features: options.features } : {}),
  };
  const pipeline = {
    seed: options.seed,
    nodes: [
      { id: 'load_train', type: 'data.load_csv', version: 1, params: { path: 'train.csv' } },
      { id: 'load_test', type: 'data.load_csv', version: 1, params: { path: 'test.csv' } },
      { id: 'train', type: 'ml.train', version: 1, params: trainParams },
      ...(evaluate ? [{ id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} }] : []),
    ],
    edges: [
      { from: 'load_train.table', to: 'train.table' },
      ...(evaluate
        ? [
            { from: 'train.model', to: 'evaluate.model' },
            { from: 'load_test.table', to: 'evaluate.table' },
          ]
        : []),
    ],
  };
  return { pipeline, dir };
}
