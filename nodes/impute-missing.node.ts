import { defineNode, describeSelection, knownColumn, knownSelection, rewritten, withColumns } from '../core/spec/index.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { impute, imputeParams, indicatorName } from '../core/ml/prep/impute.ts';

export const imputeMissingNode = defineNode({
  type: 'prep.impute',
  version: 1,
  title: 'Impute Missing',
  category: 'Clean',
  description: 'Fill missing values with the mean, median, most frequent value or a constant, learned from the training rows only when a model is trained.',
  help: {
    text:
      'Fills missing values: with the mean or median (numbers), or the most frequent value or a constant (numbers and text). When a model is trained downstream, the fill values are learned again from the training rows only, so nothing about the test rows leaks in. Add indicator also keeps a 0/1 column per filled column, in case the gaps themselves predict something.',
    example: 'columns age and income, strategy median → missing ages and incomes replaced by the medians of the training rows.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: imputeParams,
  exportable: true,
  summary: (p) => `${p.strategy}: ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs: { table: t }, params }) => {
    if (!t) return {};
    const names = knownSelection(t, params.columns);
    return { table: withColumns(rewritten(t, names), params.add_indicator ? names.map((n) => knownColumn(indicatorName(n), 'number')) : []) };
  },
  async run({ inputs, params, ctx }) {
    const numericOnly = params.strategy === 'mean' || params.strategy === 'median';
    const check = {
      need: numericOnly ? `The ${params.strategy} needs numbers` : 'Only numbers and text can be filled',
      advice: numericOnly ? 'use "most_frequent" or "constant" for it in a second Impute Missing node, or remove it from the column list' : 'remove it from the column list',
    };
    return { table: await addRecipeStep(ctx, inputs.table, impute, params, { check }) };
  },
});
