import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';

export const discretizeNode = defineNode({
  type: 'prep.discretize',
  version: 1,
  title: 'Discretize',
  category: 'Features',
  description: 'Turn numbers into bin numbers 0, 1, 2…: equal-width bins, equal-count (quantile) bins, or your own edges.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Numeric columns to bin', { types: NUMERIC }).default([]),
    strategy: z.enum(['uniform', 'quantile', 'custom']).default('quantile').describe('uniform: equal width; quantile: about equal counts; custom: the edges below'),
    n_bins: z.number().int().min(2).max(1000).default(5).describe('Number of bins (uniform and quantile)'),
    edges: z.array(z.number()).default([]).describe('Custom: increasing edges, e.g. [0, 18, 65, 120]; values outside go to the first or last bin'),
  }),
  exportable: true,
  summary: (p) => `${p.strategy === 'custom' ? `edges ${p.edges.join(', ')}` : `${p.n_bins} ${p.strategy} bins`}: ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Discretize', types: NUMERIC, need: 'Binning needs numbers', advice: 'use Encode Categories for text, or remove it from the column list' });
    return { table: await addRecipeStep(ctx, inputs.table, 'discretize', { ...params }) };
  },
});
