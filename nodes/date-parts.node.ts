import { defineNode, describeSelection } from '../core/spec/index.ts';
import { knownAfterStep } from '../core/ml/prep/known-step.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { dateParts, datePartsParams } from '../core/ml/prep/date-parts.ts';

export const datePartsNode = defineNode({
  type: 'prep.date_parts',
  version: 1,
  title: 'Date Parts',
  category: 'Features',
  description: 'Split dates into numbers a model can use: year, month, day, weekday, hour, quarter, weekend flag (UTC).',
  help: {
    text:
      'Splits date and timestamp columns into numbers a model can use: year, month, day, weekday (0 = Monday), hour, quarter, a weekend flag. A model cannot read a raw date, but it can learn from its month or its weekday. Times are read in UTC.',
    example: 'column order_date, parts month and weekday → order_date_month (1 to 12) and order_date_weekday (0 to 6).',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: datePartsParams,
  exportable: false,
  summary: (p) => `${p.parts.join(', ')} of ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs, params }) => ({ table: knownAfterStep(inputs.table, dateParts, params) }),
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, dateParts, params, { check: { need: 'Date parts come from dates', advice: 'remove it from the column list' } }) };
  },
});
