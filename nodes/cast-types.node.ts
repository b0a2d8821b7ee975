import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns } from '../core/ml/prep/table-step.ts';

export const castTypesNode = defineNode({
  type: 'prep.cast',
  version: 1,
  title: 'Cast Types',
  category: 'Clean',
  description: 'Change the type of columns: text to numbers (unreadable values become missing), numbers to text, yes/no text to true/false.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Columns to convert', { types: ['number', 'integer', 'boolean', 'string'] }).default([]),
    to: z.enum(['number', 'integer', 'boolean', 'string']).default('number').describe('Target type; integer truncates toward zero, boolean reads true/yes/1 and false/no/0'),
  }),
  exportable: true,
  summary: (p) => `${p.columns.join(', ') || '(no columns)'} → ${p.to}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Cast Types', types: ['number', 'integer', 'boolean', 'string'], need: 'Only numbers, true/false and text can be converted', advice: 'use Date Parts for dates, or remove it from the column list' });
    return { table: await addRecipeStep(ctx, inputs.table, 'cast', { ...params }) };
  },
});
