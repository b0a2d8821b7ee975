import { describe, expect, it } from 'vitest';
import type { MetricsValue, ModelValue } from '../../../../core/spec/index.ts';
import type { DatasetName } from '../../../support/datasets.ts';
import { learnerPipeline } from '../../../support/learner-pipeline.ts';
import { runPipeline } from '../../../support/run-pipeline.ts';

/**
 * Each linear-and-other learner headless, through the real nodes (load CSV → ml.train →
 * ml.evaluate) with the executor's worker pool: its state must survive the trip between threads
 * and the cache. Gaussian NB is deterministic and needs no scaling, so its test metrics must equal
 * scikit-learn's on the same files (measured: accuracy 0.75, ROC-AUC 0.8204 on penguins_sex).
 */
function pipelineFor(dataset: DatasetName, learner: string, learnerParams: Record<string, unknown>, evaluate = true, features: string[] = []) {
  return learnerPipeline(dataset, learner, learnerParams, { target: learner === 'kmeans' ? null : 'target', task: learner === 'kmeans' ? 'clustering' : undefined, evaluate, features, seed: 11 });
}

const cases: [string, DatasetName, Record<string, unknown>][] = [
  ['linear_regression', 'diabetes', {}],
  ['ridge', 'diabetes', { alpha: 0.5 }],
  ['lasso', 'diabetes', { alpha: 0.1 }],
  ['logistic_regression', 'breast_cancer', { max_iter: 5000 }],
  ['linear_svm', 'penguins_sex', { C: 0.01 }],
  ['knn', 'breast_cancer', { n_neighbors: 3 }],
  ['gaussian_nb', 'penguins_sex', {}],
  ['mlp', 'diabetes', { hidden_layer_sizes: [8], max_iter: 20 }],
];

describe('linear and other learners through ml.train → ml.evaluate, headless', () => {
  for (const [learner, dataset, params] of cases) {
    it(`${learner} on ${dataset}`, async () => {
      const { pipeline, dir } = pipelineFor(dataset, learner, params);
      const run = await runPipeline(pipeline, { dir });
      expect(run.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.code} ${n.error!.message}`)).toEqual([]);
      const model = run.output<ModelValue>('train', 'model');
      expect(model.estimator.kind).toBe(learner);
      const m = run.output<MetricsValue>('evaluate', 'metrics');
      if (dataset === 'diabetes') {
        expect(m.values.rmse).toBeGreaterThan(0);
        // the mean alone gives ~ 77 on this test part
        if (learner !== 'mlp') expect(m.values.rmse).toBeLessThan(65);
      } else {
        expect(m.values.accuracy).toBeGreaterThan(0.7);
      }
      if (learner === 'gaussian_nb') {
        expect(m.values.accuracy).toBeCloseTo(0.75, 12);
        expect(m.values.roc_auc).toBeCloseTo(0.8204, 12);
      }
    });
  }
  it('kmeans: clustering without a target', async () => {
    const measurements = ['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g'];
    const { pipeline, dir } = pipelineFor('penguins_sex', 'kmeans', { n_clusters: 3 }, false, measurements);
    const run = await runPipeline(pipeline, { dir });
    expect(run.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.code} ${n.error!.message}`)).toEqual([]);
    const model = run.output<ModelValue>('train', 'model');
    expect(model.task).toBe('clustering');
    const state = model.estimator.state as { inertia: number; nClusters: number };
    expect(state.nClusters).toBe(3);
    expect(state.inertia).toBeGreaterThan(0);
  });
});
