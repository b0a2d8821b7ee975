import { defineNode, describeSelection } from '../core/spec/index.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { dateParts, datePartsParams } from '../core/ml/prep/date-parts.ts';

export const datePartsNode = defineNode({
  type: 'prep.date_parts',
  version: 1,
  title: 'Date Parts',
  category: 'Features',
  description: 'Split dates into numbers a model can use: year, month, day, weekday, hour, quarter, weekend flag (UTC).',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: datePartsParams,
  exportable: false,
  summary: (p) => `${p.parts.join(', ')} of ${describeSelection(p.columns) || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, dateParts, params, { check: { need: 'Date parts come from dates', advice: 'remove it from the column list' } }) };
  },
});
