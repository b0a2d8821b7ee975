/**
 * A model whose recipe must be replayed on raw rows read back from the recipe's base, with a text
 * input column: rows (300) → scale(x1, x2) → encode(city) → split at 200 → train on the first 200.
 * The streamed Predict and Evaluate tests score its tables chunk by chunk. Trained once per learner
 * per test file.
 */
import type { ModelValue, TableRef } from '../../core/spec/index.ts';
import { TEST_NODES } from '../nodes/ml-test-nodes.ts';
import { runPipeline } from './run-pipeline.ts';

const pipeline = (learner: string, target: string) => ({
  seed: 5,
  nodes: [
    { id: 'rows', type: 'test.rows', version: 1, params: { n: 300 } },
    { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['x1', 'x2'] } },
    { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['city'] } },
    { id: 'split', type: 'test.split', version: 1, params: { at: 200 } },
    { id: 'train', type: 'ml.train', version: 1, params: { target, learner, features: ['x1', 'x2', 'city_Lyon', 'city_Oslo', 'city_Porto'], learner_params: learner === 'random_forest' ? { n_estimators: 10 } : {} } },
  ],
  edges: [
    { from: 'rows.table', to: 'scale.table' },
    { from: 'scale.table', to: 'encode.table' },
    { from: 'encode.table', to: 'split.table' },
    { from: 'split.train', to: 'train.table' },
  ],
});

export interface RecipeModel {
  model: ModelValue;
  /** All 300 rows after the recipe (scaled, encoded), in ROW_ID order. */
  all: TableRef;
  /** The 300 source rows, no recipe. */
  raw: TableRef;
}

const models = new Map<string, Promise<RecipeModel>>();

/** The model of `learner` for `target` (label: a no/yes class; amount: a number), and its tables. */
export function recipeModel(learner: string, target: string): Promise<RecipeModel> {
  const key = `${learner}:${target}`;
  if (!models.has(key)) models.set(key, train(learner, target));
  return models.get(key)!;
}

async function train(learner: string, target: string): Promise<RecipeModel> {
  const run = await runPipeline(pipeline(learner, target), { nodes: TEST_NODES });
  return { model: run.output<ModelValue>('train', 'model'), all: run.output<TableRef>('encode', 'table'), raw: run.output<TableRef>('rows', 'table') };
}
