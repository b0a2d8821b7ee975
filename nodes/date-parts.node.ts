import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { DATE_PARTS } from '../core/ml/prep/date-parts.ts';
import { addRecipeStep, checkColumns } from '../core/ml/prep/table-step.ts';

export const datePartsNode = defineNode({
  type: 'prep.date_parts',
  version: 1,
  title: 'Date Parts',
  category: 'Features',
  description: 'Split dates into numbers a model can use: year, month, day, weekday, hour, quarter, weekend flag (UTC).',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Date, timestamp or ISO-date text columns', { types: ['date', 'timestamp', 'string'] }).default([]),
    parts: z.array(z.enum(DATE_PARTS)).min(1).default(['year', 'month', 'day', 'weekday']).describe('Parts to add as <column>_<part>; weekday 0 = Monday'),
    keep_original: z.boolean().default(false).describe('Keep the date column itself (a model cannot use it directly)'),
  }),
  exportable: false,
  summary: (p) => `${p.parts.join(', ')} of ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Date Parts', types: ['date', 'timestamp', 'string'], need: 'Date parts come from dates', advice: 'remove it from the column list' });
    return { table: await addRecipeStep(ctx, inputs.table, 'date_parts', { ...params }) };
  },
});
