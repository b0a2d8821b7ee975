import { defineNode, describeSelection } from '../core/spec/index.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { impute, imputeParams } from '../core/ml/prep/impute.ts';

export const imputeMissingNode = defineNode({
  type: 'prep.impute',
  version: 1,
  title: 'Impute Missing',
  category: 'Clean',
  description: 'Fill missing values with the mean, median, most frequent value or a constant, learned from the training rows only when a model is trained.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: imputeParams,
  exportable: true,
  summary: (p) => `${p.strategy}: ${describeSelection(p.columns) || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    const numericOnly = params.strategy === 'mean' || params.strategy === 'median';
    const check = {
      need: numericOnly ? `The ${params.strategy} needs numbers` : 'Only numbers and text can be filled',
      advice: numericOnly ? 'use "most_frequent" or "constant" for it in a second Impute Missing node, or remove it from the column list' : 'remove it from the column list',
    };
    return { table: await addRecipeStep(ctx, inputs.table, impute, params, { check }) };
  },
});
