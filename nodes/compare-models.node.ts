import { z } from 'zod';
import { defineNode, param, checkTaskAgainstTarget } from '../core/spec/index.ts';
import { METRIC_DIRECTION } from '../core/ml/metrics.ts';
import { settingsPerLearner, SUPERVISED_LEARNERS } from '../core/ml/learners/choice.ts';
import { compareModels } from '../core/ml/tune/compare-models.ts';

const METRICS = ['auto', ...Object.keys(METRIC_DIRECTION)] as [string, ...string[]];

export const compareNode = defineNode({
  type: 'ml.compare',
  version: 2,
  title: 'Compare Models',
  category: 'Evaluate',
  description: 'Score several learners on the same cross-validation folds and rank them in a leaderboard.',
  help: {
    text:
      'Scores several learners on the very same cross-validation folds and ranks them in a leaderboard by the metric you choose, so the comparison is fair. A quick way to pick a learner before tuning it.',
    example: 'learners logistic_regression, random_forest and hist_gradient_boosting, 5 folds → a leaderboard sorted by accuracy.',
  },
  inputs: { table: { type: 'table', label: 'Rows' } },
  outputs: { metrics: { type: 'metrics', label: 'Leaderboard' } },
  params: z.object({
    target: param.column('Column to predict'),
    task: z.enum(['auto', 'binary', 'multiclass', 'regression']).default('auto').describe('auto: text, yes/no, or up to 20 whole-number values → classification; other numbers → regression'),
    learners: z
      .array(z.enum(SUPERVISED_LEARNERS.map((l) => l.kind) as [string, ...string[]]))
      .min(1)
      .default(['decision_tree', 'random_forest', 'hist_gradient_boosting'])
      .describe('Learners to compare'),
    learner_params: settingsPerLearner(),
    folds: z.number().int().min(2).max(20).default(5).describe('Cross-validation folds'),
    metric: z.enum(METRICS).default('auto').describe('Ranking metric; auto = accuracy (classification) or r2 (regression)'),
    features: param.selection('Columns the models use (after the feature steps). Empty = every column but the target', { advanced: true }).default([]),
    class_weight: z.enum(['none', 'balanced']).default('none').describe('balanced: weight classes inversely to their frequency'),
    seed: param.seed(),
  }),
  exportable: false,
  checkColumns: checkTaskAgainstTarget,
  summary: (p) => `${p.learners.length} learners · ${p.folds}-fold`,
  async run({ inputs, params, ctx }) {
    const metrics = await compareModels(ctx, inputs.table, {
      target: params.target,
      task: params.task,
      features: params.features,
      folds: params.folds,
      classWeight: params.class_weight,
      learners: params.learners,
      learnerParams: params.learner_params,
      metric: params.metric,
    });
    ctx.progress(1);
    return { metrics };
  },
});
