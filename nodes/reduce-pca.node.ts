import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';

export const reducePcaNode = defineNode({
  type: 'prep.pca',
  version: 1,
  title: 'Reduce (PCA)',
  category: 'Features',
  description: 'Replace many numeric columns by a few principal components pc1, pc2, … that keep most of their variation.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Numeric columns to combine (no missing values: impute first)', { types: NUMERIC }).default([]),
    n_components: z.number().int().min(1).default(2).describe('Number of components to keep'),
    prefix: z.string().min(1).default('pc').describe('Names of the new columns: <prefix>1, <prefix>2, …'),
    keep_original: z.boolean().default(false).describe('Keep the input columns too'),
  }),
  exportable: true,
  summary: (p) => `${p.n_components} components of ${p.columns.length} columns`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Reduce (PCA)', types: NUMERIC, need: 'PCA needs numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' });
    return { table: await addRecipeStep(ctx, inputs.table, 'pca', { ...params }) };
  },
});
