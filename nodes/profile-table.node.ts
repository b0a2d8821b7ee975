import { z } from 'zod';
import { profileMetrics } from '../core/data/profile-report.ts';
import { EXACT_LIMIT, profileOf } from '../core/data/profile.ts';
import { SAMPLE_ROWS } from '../core/data/profile-plan.ts';
import { defineNode } from '../core/spec/index.ts';

/** Up to this many rows every statistic counts every row (EXACT_LIMIT), as the help says. */
const ROWS = EXACT_LIMIT.toLocaleString('en');

export const profileTableNode = defineNode({
  type: 'data.profile',
  version: 1,
  title: 'Profile Table',
  category: 'Utility',
  description: 'Summarise every column (type, missing values, distinct values, range, mean, quantiles, most frequent values) with a histogram per numeric column. The table passes through unchanged.',
  help: {
    text:
      `Summarises every column: type, missing values, distinct values, range, mean, quantiles and the most frequent values, with a histogram per numeric column (in the Results tab). On tables over ${ROWS} rows the quantiles and histograms come from a sample of about ${SAMPLE_ROWS.toLocaleString('en')} rows (each histogram says so in its title; its counts are scaled to the column's count) and large distinct counts are estimated; tick Exact to count every row. Values that are NaN or ±Infinity are counted apart, like missing values, and the range, mean, spread, quantiles and histogram describe the finite values. The table passes through unchanged, so the node can sit anywhere in a pipeline.`,
    example: 'Right after Load CSV → a report that shows, for instance, which columns have missing values and which are skewed.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table (unchanged)' }, metrics: { type: 'metrics', label: 'Profile' } },
  params: z.object({
    bins: z.number().int().min(2).max(100).default(20).describe('Number of bars in each histogram'),
    top: z.number().int().min(1).max(50).default(10).describe('How many of the most frequent values to list per column'),
    exact: z.boolean().default(false).describe(`Count every row for quantiles, distinct values and histograms, however large the table (past ${ROWS} rows they otherwise come from a sample, which is quicker)`),
  }),
  exportable: false,
  columns: ({ inputs }) => ({ table: inputs.table }),
  async run({ inputs, params }) {
    const profile = await profileOf(inputs.table, { bins: params.bins, top: params.top, exact: params.exact });
    return { table: inputs.table, metrics: profileMetrics(inputs.table, profile) };
  },
});
