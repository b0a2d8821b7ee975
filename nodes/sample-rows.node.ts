import { z } from 'zod';
import { sampleTable } from '../core/data/sampling.ts';
import { defineNode, param, fewerRows } from '../core/spec/index.ts';

export const sampleRowsNode = defineNode({
  type: 'data.sample',
  version: 2,
  title: 'Sample Rows',
  category: 'Clean',
  description: 'Keep a random subset of rows: a number of rows or a fraction, optionally keeping the share of each value of a column. The same seed gives the same rows.',
  help: {
    text:
      'Keeps a random subset of rows: a number of rows or a fraction of them. With stratify by, each value of that column keeps its share, so a rare class does not vanish from a small sample. The same seed gives the same rows.',
    example: 'fraction 0.1, stratify by churned → 10% of the rows, with the same share of churned customers as the whole table.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Sample' } },
  params: z.object({
    size: z.enum(['rows', 'fraction']).default('rows').describe('Sample a number of rows or a fraction of them'),
    rows: z.number().int().min(0).default(1000).describe('Number of rows to keep (when size is "rows")'),
    fraction: z.number().min(0).max(1).default(0.1).describe('Fraction of rows to keep, 0 to 1 (when size is "fraction")'),
    stratify_by: param.column('Keep the share of each value of this column (optional)').optional(),
    seed: param.seed(),
  }),
  exportable: false,
  summary: (p) => (p.size === 'rows' ? `${p.rows} rows` : `${Math.round(p.fraction * 100)}%`) + (p.stratify_by ? ` by ${p.stratify_by}` : ''),
  columns: ({ inputs }) => ({ table: fewerRows(inputs.table) }),
  async run({ inputs, params, ctx }) {
    const size = params.size === 'rows' ? { rows: params.rows } : { fraction: params.fraction };
    return { table: await sampleTable(ctx, inputs.table, { size, stratifyBy: params.stratify_by || undefined }) };
  },
});
