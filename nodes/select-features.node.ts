import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';
import type { SelectState } from '../core/ml/prep/select-features.ts';

export const selectFeaturesNode = defineNode({
  type: 'prep.select_features',
  version: 1,
  title: 'Select Features',
  category: 'Features',
  description: 'Keep the useful numeric columns: drop near-constant ones, drop one of each highly correlated pair, or keep the k best by an F-test against the target.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Candidate columns (others pass through untouched)', { types: NUMERIC }).default([]),
    method: z.enum(['variance', 'correlation', 'kbest']).default('variance').describe('variance: drop columns whose variance ≤ threshold; correlation: drop a column whose |r| with an earlier kept one > threshold; kbest: keep the k highest F scores'),
    threshold: z.number().min(0).optional().describe('variance: default 0 (drops constant columns); correlation: default 0.95'),
    k: z.number().int().min(1).default(10).describe('kbest: how many columns to keep'),
    score: z.enum(['f_classif', 'f_regression']).default('f_classif').describe('kbest: f_classif for a category target, f_regression for a numeric one'),
    target: param.column('kbest: the column to predict').optional(),
  }),
  exportable: true,
  summary: (p) => (p.method === 'kbest' ? `${p.k} best by ${p.score}` : `${p.method} ≤ ${p.threshold ?? (p.method === 'variance' ? 0 : 0.95)}`),
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Select Features', types: NUMERIC, need: 'Selection scores numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' });
    if (params.method === 'kbest') {
      if (!params.target) throw ctx.error({ code: 'INVALID_PARAM', path: ['target'], message: 'Select Features: k-best needs the target column to score against.', hint: 'Choose the column the model will predict.' });
      checkColumns(inputs.table, [params.target], { who: 'Select Features' });
    }
    const extra = params.method === 'kbest' && params.target ? [params.target] : [];
    const table = await addRecipeStep(ctx, inputs.table, 'select_features', { ...params }, extra);
    const state = table.recipe.steps[table.recipe.steps.length - 1].state as SelectState;
    ctx.log(`kept ${state.kept.length} of ${params.columns.length}: dropped ${state.dropped.join(', ') || 'none'}`);
    return { table };
  },
});
