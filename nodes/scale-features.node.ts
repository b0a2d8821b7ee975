import { defineNode, describeSelection } from '../core/spec/index.ts';
import { knownAfterStep } from '../core/ml/prep/known-step.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { scale, scaleParams } from '../core/ml/prep/scale.ts';

export const scaleFeaturesNode = defineNode({
  type: 'prep.scale',
  version: 1,
  title: 'Scale Features',
  category: 'Features',
  description: 'Put numeric columns on a common scale (standard, min-max, robust or max-abs), with statistics learned from the training rows only.',
  help: {
    text:
      'Puts numeric columns on a common scale, which distance- and gradient-based learners need (kNN, linear models, linear SVM, the neural network); tree learners do not. standard: mean 0, standard deviation 1; minmax: between 0 and 1; robust: centred on the median and divided by the interquartile range, little moved by outliers; maxabs: between -1 and 1, zeros stay zero. The statistics are learned from the training rows only.',
    example: 'columns height_cm and weight_kg, method standard → both centred on 0 with a spread of 1.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: scaleParams,
  exportable: true,
  summary: (p) => `${p.method}: ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs, params }) => ({ table: knownAfterStep(inputs.table, scale, params) }),
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, scale, params, { check: { need: 'Scaling needs numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' } }) };
  },
});
