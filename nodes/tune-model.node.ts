import { z } from 'zod';
import { defineNode, param, checkTaskAgainstTarget } from '../core/spec/index.ts';
import { learnerChoice, learnerSpaceSchema, SUPERVISED_LEARNERS } from '../core/ml/learners/choice.ts';
import { METRIC_DIRECTION } from '../core/ml/metrics.ts';
import { TUNE_METHODS } from '../core/ml/tune/index.ts';
import { tuneModel } from '../core/ml/tune/tune-model.ts';

const METRICS = ['auto', ...Object.keys(METRIC_DIRECTION)] as [string, ...string[]];

export const tuneNode = defineNode({
  type: 'ml.tune',
  version: 2,
  title: 'Tune Model',
  category: 'Tune',
  description:
    'Search a learner\'s settings by cross-validation (grid, random, Bayesian or genetic search), then refit the best settings on all rows. Feature steps are re-fitted inside every fold, so the scores are honest.',
  help: {
    text:
      'Searches a learner\'s settings by cross-validation on the training rows (grid, random, Bayesian or genetic search), then fits the best settings on all of them. Feature steps are fitted again inside every fold, so the scores are honest. An empty space searches a sensible default range for the learner.',
    example: 'learner hist_gradient_boosting, space {"max_depth": {"int": [2, 8]}, "learning_rate": {"float": [0.01, 0.3], "log": true}}, 30 trials → the best model and a table of every setting tried.',
  },
  inputs: { table: { type: 'table', label: 'Training rows' } },
  outputs: {
    model: { type: 'model', label: 'Best model' },
    metrics: { type: 'metrics', label: 'Trials' },
  },
  params: learnerChoice({
    defaultLearner: 'hist_gradient_boosting',
    learners: SUPERVISED_LEARNERS,
    description: 'The algorithm to tune',
    perLearner: (learner) => ({ space: learnerSpaceSchema(learner) }),
    shared: {
      target: param.column('Column to predict'),
      task: z.enum(['auto', 'binary', 'multiclass', 'regression']).default('auto').describe('auto: text, yes/no, or up to 20 whole-number values → classification; other numbers → regression'),
      method: z.enum(TUNE_METHODS).default('bayes').describe('grid: every combination; random; bayes: TPE, learns where good settings are; genetic: evolves a population'),
      n_trials: z.number().int().min(1).max(1000).default(30).describe('How many settings to try'),
      folds: z.number().int().min(2).max(20).default(3).describe('Cross-validation folds per trial'),
      metric: z.enum(METRICS).default('auto').describe('What to optimise; auto = accuracy (classification) or r2 (regression)'),
      features: param.selection('Columns the model uses (after the feature steps). Empty = every column but the target', { advanced: true }).default([]),
      class_weight: z.enum(['none', 'balanced']).default('none').describe('balanced: weight classes inversely to their frequency'),
      seed: param.seed(),
    },
  }),
  exportable: true,
  checkColumns: checkTaskAgainstTarget,
  summary: (p) => `${p.method} · ${p.n_trials} trials · ${p.learner}`,
  async run({ inputs, params, ctx }) {
    const r = await tuneModel(ctx, inputs.table, {
      target: params.target,
      task: params.task,
      features: params.features,
      folds: params.folds,
      classWeight: params.class_weight,
      learner: params.learner,
      learnerParams: params.learner_params,
      space: params.space,
      method: params.method,
      nTrials: params.n_trials,
      metric: params.metric,
    });
    ctx.progress(1);
    return { model: r.model, metrics: r.metrics };
  },
});
