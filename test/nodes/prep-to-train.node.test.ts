import { describe, expect, it } from 'vitest';
import type { MetricsValue, ModelValue } from '../../core/spec/index.ts';
import type { ImputeState } from '../../core/ml/prep/impute.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { PREP_TEST_NODES, X } from './prep-test-nodes.ts';

describe('feature steps feed Train: the model carries the recipe re-fitted on the training rows', () => {
  it('impute → encode → scale → split → train → evaluate', async () => {
    const run = await runPipeline(
      {
        seed: 5,
        nodes: [
          { id: 'rows', type: 'test.prep_rows', version: 1, params: {} },
          { id: 'impute', type: 'prep.impute', version: 1, params: { columns: ['x'], strategy: 'mean' } },
          { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['city'], method: 'onehot' } },
          { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['x', 'pos'] } },
          { id: 'split', type: 'test.split', version: 1, params: { at: 14 } },
          { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'logistic_regression', features: ['x', 'pos', 'city_Lyon', 'city_Nice', 'city_Paris'] } },
          { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
        ],
        edges: [
          { from: 'rows.table', to: 'impute.table' },
          { from: 'impute.table', to: 'encode.table' },
          { from: 'encode.table', to: 'scale.table' },
          { from: 'scale.table', to: 'split.table' },
          { from: 'split.train', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'split.test', to: 'evaluate.table' },
        ],
      },
      { nodes: PREP_TEST_NODES },
    );
    const model = run.output<ModelValue>('train', 'model');
    expect(model.recipe.map((s) => s.kind)).toEqual(['impute', 'onehot', 'scale']);
    const trainPresent = Array.from(X.slice(0, 14)).filter((v) => !Number.isNaN(v));
    expect((model.recipe[0].state as ImputeState).columns[0].fill).toBeCloseTo(trainPresent.reduce((a, b) => a + b, 0) / trainPresent.length, 12);
    expect(model.trainedOn.rows).toBe(14);
    // the served model reads raw columns: city (text), not its one-hot columns
    expect(model.inputColumns.map((c) => c.name).sort()).toEqual(['city', 'pos', 'x']);
    expect(run.node('evaluate').status).toBe('done');
    expect(run.output<MetricsValue>('evaluate', 'metrics').scope).toBe('test');
  });

  it('a column dropped by Select Columns after a feature step is not a feature: Train uses the columns of the table it is given', async () => {
    const run = await runPipeline(
      {
        seed: 5,
        nodes: [
          { id: 'rows', type: 'test.prep_rows', version: 1, params: {} },
          { id: 'impute', type: 'prep.impute', version: 1, params: { columns: ['x'], strategy: 'mean' } },
          { id: 'drop', type: 'data.select_columns', version: 1, params: { mode: 'drop', columns: ['pos', 'city', 'day', 'place', 'y'] } },
          { id: 'train', type: 'ml.train', version: 2, params: { target: 'label', learner: 'logistic_regression' } },
          { id: 'train_numeric', type: 'ml.train', version: 2, params: { target: 'label', learner: 'logistic_regression', features: { type: 'numeric' } } },
        ],
        edges: [
          { from: 'rows.table', to: 'impute.table' },
          { from: 'impute.table', to: 'drop.table' },
          { from: 'drop.table', to: 'train.table' },
          { from: 'drop.table', to: 'train_numeric.table' },
        ],
      },
      { nodes: PREP_TEST_NODES },
    );
    expect(run.node('train').error?.message).toBeUndefined();
    expect(run.output<ModelValue>('train', 'model').features).toEqual(['x']);
    expect(run.output<ModelValue>('train_numeric', 'model').features).toEqual(['x']);
    expect(run.output<ModelValue>('train', 'model').inputColumns.map((c) => c.name)).toEqual(['x']);
  });
});
