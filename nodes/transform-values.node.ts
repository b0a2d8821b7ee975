import { defineNode, describeSelection } from '../core/spec/index.ts';
import { knownAfterStep } from '../core/ml/prep/known-step.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { power, powerParams } from '../core/ml/prep/power.ts';

export const transformValuesNode = defineNode({
  type: 'prep.transform',
  version: 1,
  title: 'Transform Values',
  category: 'Features',
  description: 'Reshape skewed numbers: log1p, square root, a power, or Box-Cox / Yeo-Johnson with the best exponent learned from the data.',
  help: {
    text:
      'Reshapes skewed numbers so that a few large values do not dominate: log1p, square root, a power, or Box-Cox / Yeo-Johnson with the exponent learned from the training rows (Box-Cox needs values above 0). It helps linear models and kNN; trees rarely need it.',
    example: 'column income, method yeo-johnson → a more bell-shaped income, rescaled to mean 0 and standard deviation 1.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: powerParams,
  exportable: true,
  summary: (p) => `${p.method}${p.method === 'power' ? ` ${p.exponent}` : ''}: ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs, params }) => ({ table: knownAfterStep(inputs.table, power, params) }),
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, power, params, { check: { need: 'Math transforms need numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' } }) };
  },
});
