import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addLagFeatures } from '../core/data/lag-table.ts';
import { LAG_STATS } from '../core/data/lag-features.ts';

export const addLagFeaturesNode = defineNode({
  type: 'data.lag_features',
  version: 1,
  title: 'Lag & Rolling Features',
  category: 'Features',
  description:
    "Per entity (key columns), ordered by a time column: earlier values (lags) and statistics over the last N rows or a time span — from rows strictly before each row only, so no row sees its own future. E.g. each store's sales 1 and 7 days ago and their 28-day mean.",
  help: {
    text:
      'Adds, for every row, values from earlier rows of the same series: a series is the rows sharing the key columns (a store, a machine), ordered by the time column. A lag k takes the value k rows earlier; a window of N rows summarises the N rows just before; a time span ("7 days") summarises the rows whose time lies in the span before this row\'s time. Only rows strictly before the current one are used, so a feature never sees the value it helps to predict, and rows added or changed later never change an earlier row\'s features.\n\nAt the start of a series there is not enough history: with start = missing the value is missing until the whole lag or window is covered (Impute Missing or a learner that takes missing values handles it); with partial, a window uses the earlier rows there are. Rows with the same time are not each other\'s history. Put this node before the split, then split by time so the test rows come after the training rows.',
    example: 'keys store, time date, columns sales, lags [1, 7], spans ["28 days"], stats [mean] → new columns sales_lag1, sales_lag7 and sales_mean_28d for every store and day.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    keys: param.columns('Columns that identify a series (a store, a machine, a customer). Empty: the whole table is one series.').default([]),
    time: param.column('Column that orders each series: a date, a timestamp or a number', { types: ['date', 'timestamp', 'number', 'integer'] }).default(''),
    columns: param.columns('Numeric columns to lag and roll', { types: ['number', 'integer', 'boolean'] }).default([]),
    lags: z.array(z.number().int().min(1).max(10_000)).max(50).default([1]).describe('Lags: the value k rows earlier in the series → <column>_lag<k>'),
    windows: z.array(z.number().int().min(1).max(10_000)).max(20).default([]).describe('Windows over the last N earlier rows → <column>_<stat>_last<N>'),
    spans: z.array(z.string().min(1)).max(20).default([]).describe('Windows over a time span before each row, e.g. "7 days", "24 hours" (a plain number for a numeric time column) → <column>_<stat>_7d'),
    stats: z.array(z.enum(LAG_STATS)).default(['mean']).describe('Statistics of each window (missing values skipped; std is the sample standard deviation)'),
    start: z
      .enum(['missing', 'partial'])
      .default('missing')
      .describe('Rows at the start of a series: missing — a window is missing until the series has history covering all of it (N earlier rows, or a first row the whole span before); partial — use the earlier rows there are'),
  }),
  exportable: false,
  summary: (p) => {
    const what = [...p.lags.map((k) => `lag ${k}`), ...p.windows.map((n) => `last ${n}`), ...p.spans];
    return `${p.columns.join(', ') || '(no column)'}: ${what.join(', ') || '—'}${p.keys.length ? ` per ${p.keys.join(', ')}` : ''}`;
  },
  async run({ inputs, params, ctx }) {
    return { table: await addLagFeatures(ctx, inputs.table, params) };
  },
});
