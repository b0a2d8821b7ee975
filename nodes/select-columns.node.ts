import { z } from 'zod';
import { selectColumns } from '../core/data/ops.ts';
import { defineNode, describeSelection, param, selectedColumns, selectedKnown } from '../core/spec/index.ts';

export const selectColumnsNode = defineNode({
  type: 'data.select_columns',
  version: 1,
  title: 'Select Columns',
  category: 'Clean',
  description: 'Keep only some columns (in the order listed), or drop some. Rows are unchanged.',
  help: {
    text:
      'Keeps only the columns you list, in that order, or drops the ones you list. Use it to remove identifiers, free text, or columns that leak the answer (something only known after the outcome) before training. Rows are not changed.',
    example: 'mode drop, columns customer_id and notes → every column except those two.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    mode: z.enum(['keep', 'drop']).default('keep').describe('"keep": only the listed columns, in that order; "drop": all but the listed columns'),
    columns: param.selection('Columns to keep or drop').default([]),
  }),
  exportable: false,
  summary: (p) => `${p.mode}: ${describeSelection(p.columns) || '(none)'}`,
  columns: ({ inputs, params }) => ({ table: inputs.table && selectedKnown(inputs.table, params.mode, params.columns) }),
  async run({ inputs, params, ctx }) {
    return { table: await selectColumns(ctx, inputs.table, selectedColumns(params.columns, inputs.table.columns, { who: 'Select Columns' }), params.mode) };
  },
});
