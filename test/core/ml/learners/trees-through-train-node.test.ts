import { describe, expect, it } from 'vitest';
import type { MetricsValue, ModelValue } from '../../../../core/spec/index.ts';
import type { DatasetName } from '../../../support/datasets.ts';
import { learnerPipeline } from '../../../support/learner-pipeline.ts';
import { runPipeline } from '../../../support/run-pipeline.ts';

/**
 * The tree learners headless, through the real nodes (load CSV → ml.train → ml.evaluate) with the
 * executor's worker pool: flat typed-array trees must survive the trip between threads and the
 * cache, and score like the direct fits (parity tests) do.
 */
function pipelineFor(dataset: DatasetName, learner: string, learnerParams: Record<string, unknown>, target: string | null = 'target') {
  return learnerPipeline(dataset, learner, learnerParams, { target, seed: 3 });
}

const cases: [string, DatasetName, Record<string, unknown>, (m: Record<string, number>) => void][] = [
  ['decision_tree', 'penguins_sex', { max_depth: 4 }, (m) => expect(m.accuracy).toBeGreaterThan(0.8)],
  ['random_forest', 'breast_cancer', { n_estimators: 30 }, (m) => expect(m.roc_auc).toBeGreaterThan(0.97)],
  ['hist_gradient_boosting', 'diabetes', { max_iter: 50 }, (m) => expect(m.rmse).toBeLessThan(65)],
];

describe('tree learners through ml.train → ml.evaluate, headless', () => {
  for (const [learner, dataset, params, check] of cases) {
    it(`${learner} on ${dataset}`, async () => {
      const { pipeline, dir } = pipelineFor(dataset, learner, params);
      const run = await runPipeline(pipeline, { dir });
      expect(run.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.code} ${n.error!.message}`)).toEqual([]);
      const model = run.output<ModelValue>('train', 'model');
      expect(model.estimator.kind).toBe(learner);
      check(run.output<MetricsValue>('evaluate', 'metrics').values);
    });
  }

  it('isolation_forest without a target (anomaly task)', async () => {
    const { pipeline, dir } = pipelineFor('breast_cancer', 'isolation_forest', { n_estimators: 20, contamination: 0.05 }, null);
    const run = await runPipeline(pipeline, { dir });
    expect(run.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.code} ${n.error!.message}`)).toEqual([]);
    const model = run.output<ModelValue>('train', 'model');
    expect(model.task).toBe('anomaly');
    const state = model.estimator.state as { trees: { cover: Float64Array }[]; threshold: number };
    expect(state.trees.length).toBe(20);
    expect(state.threshold).toBeGreaterThan(0.3);
  });
});
