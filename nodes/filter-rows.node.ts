import { z } from 'zod';
import { filterRows } from '../core/data/ops.ts';
import { expressionRefs } from '../core/spec/expression.ts';
import { defineNode, fewerRows, param } from '../core/spec/index.ts';

export const filterRowsNode = defineNode({
  type: 'data.filter_rows',
  version: 1,
  title: 'Filter Rows',
  category: 'Clean',
  description: "Keep the rows where a condition holds, e.g. age >= 18 and country = 'FR'. Rows where the condition is unknown (a missing value) are dropped. The condition is Flowline's expression language (as in Formula Column), not SQL: use the SQL Query node for queries.",
  help: {
    text:
      'Keeps the rows where a condition is true and drops the others; a row where the condition is unknown because of a missing value is dropped too. The condition is Flowline\'s expression language (as in Formula Column): compare with = != < > <= >=, combine with and / or / not, test for missing values with is null.\n\nA filter changes which rows reach training; it is not part of a served model.',
    example: 'age >= 18 and country in (\'FR\', \'BE\') → only the adult customers from France or Belgium.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    condition: param
      .code("Condition: compare with = != < > <= >=, x in ('a', 'b'), x is null / is not null; combine with and / or / not; text in quotes; `name with spaces` in backticks; functions as in Formula Column", 'expression')
      .default('TRUE'),
  }),
  exportable: false,
  summary: (p) => p.condition,
  columns: ({ inputs }) => ({ table: fewerRows(inputs.table) }),
  columnRefs: (p) => [{ param: 'condition', columns: expressionRefs(p.condition) }],
  async run({ inputs, params, ctx }) {
    const table = await filterRows(ctx, inputs.table, params.condition);
    ctx.log(`Kept ${table.rowCount} of ${inputs.table.rowCount} rows.`);
    return { table };
  },
});
