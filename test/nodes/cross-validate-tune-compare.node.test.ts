import { describe, expect, it } from 'vitest';
import type { MetricsValue, ModelValue } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { FRONT, TEST_NODES } from './ml-test-nodes.ts';

const on = (id: string, type: string, params: Record<string, unknown>) => ({
  seed: 9,
  nodes: [...FRONT.nodes, { id, type, version: 1, params }],
  edges: [...FRONT.edges, { from: 'split.train', to: `${id}.table` }],
});

describe('ml.cross_validate, ml.tune, ml.compare, headless', () => {
  it('cross-validate: mean ± std per metric and one row per fold', async () => {
    const run = await runPipeline(on('cv', 'ml.cross_validate', { target: 'label', learner: 'logistic_regression', folds: 4, features: ['x1', 'x2'] }), { nodes: TEST_NODES });
    const m = run.output<MetricsValue>('cv', 'metrics');
    expect(m.scope).toBe('cv');
    const folds = m.tables.find((t) => t.id === 'folds')!;
    expect(folds.rows).toHaveLength(4);
    const acc = folds.columns.indexOf('accuracy');
    const mean = folds.rows.reduce((a, r) => a + (r[acc] as number), 0) / 4;
    expect(m.values.accuracy).toBeCloseTo(mean, 5);
    expect(m.std!.accuracy).toBeGreaterThanOrEqual(0);
    expect(Object.keys(m.std!).sort()).toEqual(Object.keys(m.values).sort());
    expect(m.charts.map((c) => c.id)).toContain('confusion');
  });

  it('tune: every trial recorded with a progress event, the best params refitted into the model', async () => {
    const run = await runPipeline(
      on('tune', 'ml.tune', { target: 'label', learner: 'decision_tree', space: { max_depth: { int: [1, 6] }, min_samples_leaf: { int: [1, 20] } }, method: 'random', n_trials: 6, folds: 3, features: ['x1', 'x2'] }),
      { nodes: TEST_NODES },
    );
    const m = run.output<MetricsValue>('tune', 'metrics');
    const trials = m.tables.find((t) => t.id === 'trials')!;
    expect(trials.rows).toHaveLength(6);
    expect(trials.columns).toEqual(['trial', 'max_depth', 'min_samples_leaf', 'accuracy', 'note']);
    const scores = trials.rows.map((r) => r[3] as number);
    expect(m.values.accuracy).toBeCloseTo(Math.max(...scores), 5);
    const best = m.tables.find((t) => t.id === 'best_params')!;
    const model = run.output<ModelValue>('tune', 'model');
    expect(model.estimator.params.max_depth).toBe(best.rows.find((r) => r[0] === 'max_depth')![1]);
    expect(model.trainedOn.rows).toBe(100);
    // progress events are coalesced by the executor (≤ 20 a second); the log has one line per trial
    const trialLogs = run.events.filter((e) => e.type === 'node:log' && /^trial \d+ of 6: accuracy [\d.]+ \(best [\d.]+\) · max_depth=\d+, min_samples_leaf=\d+$/.test(String((e as { message: string }).message)));
    expect(trialLogs).toHaveLength(6);
    expect(run.events.some((e) => e.type === 'node:progress' && /^trial \d+ of 6/.test(String((e as { message?: string }).message)))).toBe(true);
    expect(m.charts[0].id).toBe('trials');
  });

  it('compare: a leaderboard ranked by the metric, one bar per learner', async () => {
    const run = await runPipeline(
      on('cmp', 'ml.compare', { target: 'amount', learners: ['ridge', 'decision_tree', 'logistic_regression'], folds: 3, features: ['x1', 'x2'] }),
      { nodes: TEST_NODES },
    );
    const m = run.output<MetricsValue>('cmp', 'metrics');
    const board = m.tables.find((t) => t.id === 'leaderboard')!;
    expect(board.rows.map((r) => r[1])).toEqual(['ridge', 'decision_tree', 'logistic_regression']);
    expect(board.rows[2][board.columns.indexOf('note')]).toMatch(/does not do regression/);
    expect(board.rows[0][2] as number).toBeGreaterThan(board.rows[1][2] as number);
    expect(m.values.r2).toBe(board.rows[0][2] === null ? NaN : m.values.r2);
    expect(m.charts[0]).toMatchObject({ kind: 'bar', categories: ['ridge', 'decision_tree'] });
  });
});

describe('a one-hot encoded text column through cross-validation and training', () => {
  it('features follow the recipe: city one-hot columns are learned per fold and in the model', async () => {
    const run = await runPipeline(
      {
        seed: 4,
        nodes: [
          { id: 'rows', type: 'test.rows', version: 1, params: {} },
          { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['city'], method: 'onehot' } },
          { id: 'split', type: 'test.split', version: 1, params: { at: 100 } },
          { id: 'cv', type: 'ml.cross_validate', version: 1, params: { target: 'label', learner: 'decision_tree', learner_params: { max_depth: 3 }, folds: 3 } },
          { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'decision_tree', learner_params: { max_depth: 3 } } },
        ],
        edges: [
          { from: 'rows.table', to: 'encode.table' },
          { from: 'encode.table', to: 'split.table' },
          { from: 'split.train', to: 'cv.table' },
          { from: 'split.train', to: 'train.table' },
        ],
      },
      { nodes: TEST_NODES },
    );
    expect(run.node('cv').status).toBe('done');
    const model = run.output<ModelValue>('train', 'model');
    expect(model.features.filter((f) => f.startsWith('city'))).toHaveLength(3);
    expect(model.features).toEqual(expect.arrayContaining(['x1', 'x2', 'amount']));
    expect(model.inputColumns.map((c) => c.name).sort()).toEqual(['amount', 'city', 'x1', 'x2']);
    expect(run.output<MetricsValue>('cv', 'metrics').values.accuracy).toBeGreaterThan(0.6);
  });
});
