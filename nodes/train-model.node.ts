import { z } from 'zod';
import { defineNode, param, type RecipeStep, type ResultTable, checkTaskAgainstTarget } from '../core/spec/index.ts';
import { evaluationReportTask } from '../core/ml/evaluation-report.ts';
import { learnerChoice } from '../core/ml/learners/choice.ts';
import { TASK_CHOICES, trainModel } from '../core/ml/model.ts';

/** The steps automatic preparation added, as the Results tab lists them. */
function autoPrepTable(steps: RecipeStep[]): ResultTable {
  const what: Record<string, string> = { impute: 'fill missing with the median', onehot: 'one-hot encode', hashing: 'hash (many categories)' };
  return {
    id: 'auto_prep',
    title: 'Automatic preparation (fitted on the training rows, part of the model)',
    columns: ['step', 'columns', 'new columns'],
    rows: steps.map((s) => [what[s.kind] ?? s.kind, s.inputs.join(', '), s.kind === 'impute' ? '' : s.outputs.join(', ')]),
  };
}

export const trainNode = defineNode({
  type: 'ml.train',
  version: 3,
  title: 'Train Model',
  category: 'Train',
  description:
    'Fit a learner on the training rows. Every feature step upstream (impute, scale, encode...) is re-fitted on these rows only, so the model carries no statistics from test rows.',
  help: {
    text:
      'Fits a learner on the training rows: linear and logistic regression, ridge, lasso, a linear SVM, kNN, naive Bayes, a small neural network, a decision tree, a random forest, histogram gradient boosting, k-means or an isolation forest. Every feature step upstream (impute, scale, encode…) is fitted again on these rows only, and the model carries those steps: it takes raw rows and predicts.\n\nLeave the target empty for clustering or anomaly detection. The learner\'s own settings are its learner params.',
    example: 'target churned, learner random_forest, learner params {"n_estimators": 200} → a model that predicts churned from the other columns.',
  },
  inputs: { table: { type: 'table', label: 'Training rows' } },
  outputs: {
    model: { type: 'model', label: 'Model' },
    metrics: { type: 'metrics', label: 'Training metrics' },
  },
  params: learnerChoice({
    defaultLearner: 'random_forest',
    shared: {
      target: param.column('Column to predict. Leave empty for clustering or anomaly detection.').optional(),
      task: z
        .enum(TASK_CHOICES)
        .default('auto')
        .describe('auto: text, yes/no, or up to 20 whole-number values → classification; other numbers → regression'),
      features: param.selection('Columns the model uses (after the feature steps). Empty = every column but the target', { advanced: true }).default([]),
      class_weight: z
        .enum(['none', 'balanced'])
        .default('none')
        .describe('balanced: weight each class inversely to its frequency, so rare classes count as much as common ones'),
      auto_prep: z
        .boolean()
        .default(true)
        .describe('Prepare the features automatically: one-hot encode text columns (hash those with many categories) and fill missing numbers with the median, as recipe steps fitted on the training rows and kept in the model. Off: text or gaps in a feature are an error.'),
      auto_prep_max_categories: z
        .number()
        .int()
        .min(2)
        .max(1000)
        .default(20)
        .meta({ description: 'Automatic preparation: a text column with more categories than this in the training rows is hashed (16 columns) instead of one-hot encoded', ui: { advanced: true } }),
      seed: param.seed(),
    },
  }),
  exportable: true,
  // Version 3 added automatic preparation, on for new nodes; older ones keep training as they did.
  migrate: (from, params) => (from < 3 ? { auto_prep: false, ...params } : params),
  checkColumns: checkTaskAgainstTarget,
  summary: (p) => `${p.learner}${p.target ? ` → ${p.target}` : ''}`,
  async run({ inputs, params, ctx }) {
    const r = await trainModel(ctx, inputs.table, {
      target: params.target || undefined,
      task: params.task,
      learner: params.learner,
      learnerParams: params.learner_params,
      features: params.features,
      classWeight: params.class_weight,
      autoPrep: params.auto_prep ? { maxCategories: params.auto_prep_max_categories } : undefined,
    });
    ctx.progress(1);
    const metrics = await ctx.runInWorker(evaluationReportTask, {
      task: r.model.task,
      scope: 'train',
      classes: r.model.classes,
      yTrue: r.target.y ?? new Float64Array(0),
      prediction: r.target.y ? r.trainPrediction : { values: new Float64Array(0) },
      rowIds: r.target.y ? r.rowIds : [],
    });
    const auto = r.model.recipe.filter((s) => s.auto);
    if (auto.length) {
      ctx.log(`automatic preparation: ${auto.map((s) => `${s.kind} of ${s.inputs.join(', ')}`).join('; ')}`);
      metrics.tables = [autoPrepTable(auto), ...metrics.tables];
    }
    return { model: r.model, metrics };
  },
});
