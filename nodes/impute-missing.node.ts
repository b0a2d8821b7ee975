import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';

export const imputeMissingNode = defineNode({
  type: 'prep.impute',
  version: 1,
  title: 'Impute Missing',
  category: 'Clean',
  description: 'Fill missing values with the mean, median, most frequent value or a constant, learned from the training rows only when a model is trained.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Columns to fill', { types: ['number', 'integer', 'boolean', 'string'] }).default([]),
    strategy: z.enum(['mean', 'median', 'most_frequent', 'constant']).default('mean').describe('mean / median: numbers only; most_frequent and constant also work for text'),
    fill_value: z.union([z.number(), z.string()]).optional().describe('The value used by the "constant" strategy (default 0 for numbers, "missing" for text)'),
    add_indicator: z.boolean().default(false).describe('Also add a 0/1 column <name>_was_missing per column, so a model can learn from the gaps'),
  }),
  exportable: true,
  summary: (p) => `${p.strategy}: ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    const numericOnly = params.strategy === 'mean' || params.strategy === 'median';
    checkColumns(inputs.table, params.columns, {
      who: 'Impute Missing',
      types: numericOnly ? NUMERIC : [...NUMERIC, 'string'],
      need: numericOnly ? `The ${params.strategy} needs numbers` : 'Only numbers and text can be filled',
      advice: numericOnly ? 'use "most_frequent" or "constant" for it in a second Impute Missing node, or remove it from the column list' : 'remove it from the column list',
    });
    const table = await addRecipeStep(ctx, inputs.table, 'impute', { ...params });
    return { table };
  },
});
