import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';

export const transformValuesNode = defineNode({
  type: 'prep.transform',
  version: 1,
  title: 'Transform Values',
  category: 'Features',
  description: 'Reshape skewed numbers: log1p, square root, a power, or Box-Cox / Yeo-Johnson with the best exponent learned from the data.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Numeric columns to transform', { types: NUMERIC }).default([]),
    method: z.enum(['log1p', 'sqrt', 'power', 'box-cox', 'yeo-johnson']).default('yeo-johnson').describe('box-cox needs values > 0; yeo-johnson takes any sign'),
    exponent: z.number().default(2).describe('Exponent for "power"'),
    standardize: z.boolean().default(true).describe('Rescale the result to mean 0 and standard deviation 1 (as scikit-learn PowerTransformer)'),
  }),
  exportable: true,
  summary: (p) => `${p.method}${p.method === 'power' ? ` ${p.exponent}` : ''}: ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Transform Values', types: NUMERIC, need: 'Math transforms need numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' });
    return { table: await addRecipeStep(ctx, inputs.table, 'power', { ...params }) };
  },
});
