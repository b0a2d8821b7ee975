import { z } from 'zod';
import { defineNode, param, checkTaskAgainstTarget } from '../core/spec/index.ts';
import { evaluationReportTask } from '../core/ml/evaluation-report.ts';
import { foldTable, outOfFold, prepareFolds, scoreFolds, summarizeFolds } from '../core/ml/cv.ts';
import { learnerByKind } from '../core/ml/learners/index.ts';
import { learnerChoice, SUPERVISED_LEARNERS } from '../core/ml/learners/choice.ts';

export const crossValidateNode = defineNode({
  type: 'ml.cross_validate',
  version: 2,
  title: 'Cross-validate',
  category: 'Evaluate',
  description:
    'Estimate how well a learner generalises: k folds (stratified for classification, seeded), the feature steps re-fitted inside every fold on its training rows only. Reports mean ± spread per metric and the scores of each fold.',
  help: {
    text:
      'Estimates how well a learner generalises: the rows are split into k folds and each fold is predicted by a model trained on the others, with the feature steps fitted again inside each fold. Reports every metric\'s mean and spread and the score of each fold. Use it to choose a learner before the final train/test evaluation.',
    example: 'target species, learner random_forest, 5 folds → the mean ± spread of accuracy, F1 and the other metrics over the 5 folds, and each fold’s scores.',
  },
  inputs: { table: { type: 'table', label: 'Rows' } },
  outputs: { metrics: { type: 'metrics', label: 'Cross-validation metrics' } },
  params: learnerChoice({
    defaultLearner: 'random_forest',
    learners: SUPERVISED_LEARNERS,
    description: 'The algorithm to fit in each fold',
    shared: {
      target: param.column('Column to predict'),
      task: z.enum(['auto', 'binary', 'multiclass', 'regression']).default('auto').describe('auto: text, yes/no, or up to 20 whole-number values → classification; other numbers → regression'),
      folds: z.number().int().min(2).max(50).default(5).describe('Number of folds (k)'),
      features: param.selection('Columns the model uses (after the feature steps). Empty = every column but the target', { advanced: true }).default([]),
      class_weight: z.enum(['none', 'balanced']).default('none').describe('balanced: weight classes inversely to their frequency'),
      seed: param.seed(),
    },
  }),
  exportable: false,
  checkColumns: checkTaskAgainstTarget,
  summary: (p) => `${p.folds}-fold ${p.learner}`,
  async run({ inputs, params, ctx }) {
    const learner = learnerByKind(params.learner);
    const cv = await prepareFolds(ctx, inputs.table, { target: params.target, task: params.task, features: params.features, folds: params.folds, classWeight: params.class_weight });
    const scores = await scoreFolds(ctx, cv, { kind: learner.kind, params: params.learner_params }, {
      concurrency: 2,
      onFold: (done) => ctx.progress(done / cv.folds.length, `fold ${done} of ${cv.folds.length}`),
    });
    const { mean, std } = summarizeFolds(scores);
    const oof = outOfFold(cv, scores);
    const report = await ctx.runInWorker(evaluationReportTask, { task: cv.task, scope: 'cv', classes: cv.classes, ...oof, detail: true, worstRows: 20 });
    const names = Object.keys(mean);
    return {
      metrics: {
        ...report,
        values: mean,
        std,
        charts: [
          { kind: 'bar', id: 'folds', title: 'Scores per fold', categories: names, series: scores.map((s) => ({ name: `fold ${s.fold + 1}`, values: names.map((m) => s.values[m]) })) },
          ...report.charts.map((c) => ({ ...c, title: `${c.title} (out-of-fold)` })),
        ],
        tables: [foldTable(scores), ...report.tables],
      },
    };
  },
});
