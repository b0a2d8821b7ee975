import { z } from 'zod';
import { removeDuplicates } from '../core/data/ops.ts';
import { defineNode, describeSelection, param, selectedColumns, fewerRows } from '../core/spec/index.ts';

export const removeDuplicatesNode = defineNode({
  type: 'data.remove_duplicates',
  version: 1,
  title: 'Remove Duplicates',
  category: 'Clean',
  description: 'Keep one row per distinct combination of values: of all columns, or of the columns you choose (e.g. one row per customer id).',
  help: {
    text:
      'Keeps one row per distinct combination of values: of every column (exact duplicate rows), or of the columns you choose. Keep first or last decides which copy stays, in table order.',
    example: 'columns customer_id, keep last → one row per customer: the last one in the file.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.selection('Columns that identify a duplicate (empty: all columns)').default([]),
    keep: z.enum(['first', 'last']).default('first').describe('Which of the duplicate rows to keep, in table order'),
  }),
  exportable: false,
  summary: (p) => (describeSelection(p.columns) ? `by ${describeSelection(p.columns)}` : 'all columns'),
  columns: ({ inputs }) => ({ table: fewerRows(inputs.table) }),
  async run({ inputs, params, ctx }) {
    return { table: await removeDuplicates(ctx, inputs.table, selectedColumns(params.columns, inputs.table.columns, { who: 'Remove Duplicates' }), params.keep) };
  },
});
