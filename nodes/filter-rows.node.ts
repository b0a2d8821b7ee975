import { z } from 'zod';
import { filterRows } from '../core/data/ops.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const filterRowsNode = defineNode({
  type: 'data.filter_rows',
  version: 1,
  title: 'Filter Rows',
  category: 'Clean',
  description: "Keep the rows where a condition holds, e.g. age >= 18 AND country = 'FR'. Rows where the condition is unknown (a missing value) are dropped.",
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    condition: param
      .code('Condition in SQL: compare columns with = <> < > <= >=, combine with AND / OR / NOT; text in single quotes; "name with spaces" in double quotes; x IS NULL for missing', 'sql')
      .default('TRUE'),
  }),
  exportable: false,
  summary: (p) => p.condition,
  async run({ inputs, params, ctx }) {
    const table = await filterRows(ctx, inputs.table, params.condition);
    ctx.log(`Kept ${table.rowCount} of ${inputs.table.rowCount} rows.`);
    return { table };
  },
});
