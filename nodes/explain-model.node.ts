import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { writeJsTable } from '../core/data/tables.ts';
import { explainModel } from '../core/ml/explain/explain.ts';
import { PERMUTATION_METRICS } from '../core/ml/explain/permutation.ts';

export const DEFAULT_ROWS_CAP = 1000;

export const explainNode = defineNode({
  type: 'ml.explain',
  version: 1,
  title: 'Explain Model',
  category: 'Explain',
  description:
    'Why the model predicts what it does, in terms of your raw columns: SHAP attributions per row (exact for trees and linear models), permutation importance, partial dependence and ICE curves. Outputs an attribution table and charts.',
  help: {
    text:
      'Shows why the model predicts what it does, in terms of your raw columns. SHAP attributions say how much each column pushed each row\'s prediction up or down (exact for tree and linear models, KernelSHAP or LIME otherwise); permutation importance measures how much a metric drops when a column is shuffled; partial dependence and ICE curves show how the prediction moves as one column changes.\n\nOne-hot, date-part and binned features are summed back to the column they came from, unless view is engineered. Past rows cap, a seeded sample of the rows is explained.',
    example: 'A churn model and the test rows → a table of attributions per row and column, and a chart ranking the columns by their mean |attribution|.',
  },
  inputs: {
    model: { type: 'model', label: 'Model' },
    table: { type: 'table', label: 'Rows to explain' },
    background: { type: 'table', label: 'Background rows (optional)', required: false },
  },
  outputs: {
    attributions: { type: 'table', label: 'Attributions' },
    explanation: { type: 'explanation', label: 'Explanation' },
  },
  params: z.object({
    method: z
      .enum(['auto', 'tree', 'linear', 'kernel', 'lime'])
      .default('auto')
      .describe('auto: exact TreeSHAP for tree models, exact linear SHAP for linear ones, KernelSHAP otherwise; lime: a local linear surrogate'),
    rows_cap: z.number().int().min(1).default(DEFAULT_ROWS_CAP).describe(`Most rows explained (default ${DEFAULT_ROWS_CAP.toLocaleString('en')}); past it a seeded sample is taken, and the log says so`),
    class: z.string().default('').describe('Class to explain for a classifier (empty: every class; a yes/no model explains its positive class)'),
    view: z.enum(['raw', 'engineered']).default('raw').describe('raw: one attribution per raw column (one-hot, date-part and binned features summed back); engineered: one per feature the learner saw'),
    pdp_columns: param.columns('Partial dependence for one column (with ICE curves) or two (a grid); empty: the most important column').default([]),
    ice: z.enum(['off', 'on', 'centred']).default('on').describe('ICE curves (one per row, up to 40) with a one-column partial dependence; centred: each starts at 0'),
    grid_points: z.number().int().min(2).max(100).default(20).describe('Grid values for partial dependence (the column\'s quantiles, or its categories)'),
    permutation_repeats: z.number().int().min(0).max(100).default(5).describe('Shuffles per column for permutation importance (0: skip it); needs the actual values in the rows'),
    metric: z.enum(PERMUTATION_METRICS).default('auto').describe('Metric permutation importance measures the drop of (auto: accuracy, or R² for regression)'),
    background_summary: z.enum(['kmeans', 'sample']).default('kmeans').meta({ description: 'How KernelSHAP / LIME summarise the background rows: k-means centres (weighted) or a seeded sample', ui: { advanced: true } }),
    background_size: z.number().int().min(1).max(1000).default(25).meta({ description: 'Background rows (or centres) KernelSHAP / LIME compare against; their cost grows with it', ui: { advanced: true } }),
    samples: z.number().int().min(0).default(0).meta({ description: 'KernelSHAP coalitions per row (0: 2·columns + 2048, or all of them when fewer); LIME perturbations per row (0: 1000)', ui: { advanced: true } }),
    seed: param.seed(),
  }),
  exportable: false,
  summary: (p) => `${p.method} · ${p.view} columns`,
  async run({ inputs, params, ctx }) {
    const report = await explainModel(ctx, inputs.model, inputs.table, inputs.background, {
      method: params.method,
      maxRows: params.rows_cap,
      className: params.class,
      view: params.view,
      backgroundSummary: params.background_summary,
      backgroundSize: params.background_size,
      samples: params.samples === 0 && params.method === 'lime' ? 1000 : params.samples,
      permutationRepeats: params.permutation_repeats,
      metric: params.metric,
      pdpColumns: params.pdp_columns,
      ice: params.ice,
      gridPoints: params.grid_points,
      seed: ctx.seed,
    });
    ctx.progress(0.95, 'writing the attribution table');
    const attributions = await writeJsTable(ctx, report.table, { port: 'attributions' });
    return { attributions, explanation: report.explanation };
  },
});
