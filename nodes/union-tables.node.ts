import { z } from 'zod';
import { unionTables } from '../core/data/ops.ts';
import { defineNode } from '../core/spec/index.ts';

export const unionTablesNode = defineNode({
  type: 'data.union',
  version: 1,
  title: 'Stack Tables',
  category: 'Clean',
  description: 'Put the rows of several tables one after another, matching columns by name; a column missing from a table is left empty there.',
  help: {
    text:
      'Puts the rows of several tables one after another (SQL\'s UNION ALL), matching columns by name. A column that some tables lack is left empty in their rows. Distinct drops rows that appear more than once.',
    example: 'sales_2023 and sales_2024 with the same columns → one table with the rows of both years.',
  },
  inputs: { tables: { type: 'table', label: 'Tables', multiple: true } },
  outputs: { table: { type: 'table', label: 'Stacked' } },
  params: z.object({
    distinct: z.boolean().default(false).describe('Drop rows that appear more than once'),
  }),
  exportable: false,
  summary: (p) => (p.distinct ? 'distinct rows' : 'all rows'),
  async run({ inputs, params, ctx }) {
    return { table: await unionTables(ctx, inputs.tables, params.distinct) };
  },
});
