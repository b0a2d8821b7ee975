import { z } from 'zod';
import { joinTables } from '../core/data/ops.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const joinTablesNode = defineNode({
  type: 'data.join',
  version: 1,
  title: 'Join Tables',
  category: 'Clean',
  description: 'Add the columns of a second table to each row of the first, matching rows on key columns (like VLOOKUP or a SQL join).',
  help: {
    text:
      'Adds the columns of the right table to each row of the left table where the key columns match, like VLOOKUP or a SQL join. left keeps every left row (empty where nothing matches); inner keeps only the rows found in both. A key that appears several times on the right repeats its left row once per match.',
    example: 'orders (customer_id, amount) left-joined with customers (customer_id, region) on customer_id → every order with its customer’s region.',
  },
  inputs: { left: { type: 'table', label: 'Left table' }, right: { type: 'table', label: 'Right table' } },
  outputs: { table: { type: 'table', label: 'Joined' } },
  params: z.object({
    how: z.enum(['inner', 'left', 'right', 'full']).default('left').describe('inner: only rows found in both; left: every left row; right: every right row; full: every row of both'),
    left_keys: param.columns('Key columns of the left table', { port: 'left' }).default([]),
    right_keys: param.columns('Matching key columns of the right table (empty: same names as the left keys)', { port: 'right' }).default([]),
    suffix: z.string().min(1).default('_right').meta({ description: 'Added to right column names that already exist on the left', ui: { advanced: true } }),
  }),
  exportable: false,
  summary: (p) => `${p.how} on ${p.left_keys.join(', ') || '(no keys)'}`,
  async run({ inputs, params, ctx }) {
    const rightKeys = params.right_keys.length ? params.right_keys : params.left_keys;
    const table = await joinTables(ctx, inputs.left, inputs.right, { kind: params.how, leftKeys: params.left_keys, rightKeys, suffix: params.suffix });
    ctx.log(`Joined: ${table.rowCount} rows (${inputs.left.rowCount} left, ${inputs.right.rowCount} right).`);
    return { table };
  },
});
