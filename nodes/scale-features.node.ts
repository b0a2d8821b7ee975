import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';

export const scaleFeaturesNode = defineNode({
  type: 'prep.scale',
  version: 1,
  title: 'Scale Features',
  category: 'Features',
  description: 'Put numeric columns on a common scale (standard, min-max, robust or max-abs), with statistics learned from the training rows only.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Numeric columns to scale', { types: NUMERIC }).default([]),
    method: z.enum(['standard', 'minmax', 'robust', 'maxabs']).default('standard').describe('standard: mean 0, std 1; minmax: to [0, 1]; robust: median and interquartile range; maxabs: to [-1, 1]'),
  }),
  exportable: true,
  summary: (p) => `${p.method}: ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Scale Features', types: NUMERIC, need: 'Scaling needs numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' });
    return { table: await addRecipeStep(ctx, inputs.table, 'scale', { ...params }) };
  },
});
