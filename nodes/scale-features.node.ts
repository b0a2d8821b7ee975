import { defineNode, describeSelection } from '../core/spec/index.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { scale, scaleParams } from '../core/ml/prep/scale.ts';

export const scaleFeaturesNode = defineNode({
  type: 'prep.scale',
  version: 1,
  title: 'Scale Features',
  category: 'Features',
  description: 'Put numeric columns on a common scale (standard, min-max, robust or max-abs), with statistics learned from the training rows only.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: scaleParams,
  exportable: true,
  summary: (p) => `${p.method}: ${describeSelection(p.columns) || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, scale, params, { check: { need: 'Scaling needs numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' } }) };
  },
});
