import { z } from 'zod';
import { profileMetrics } from '../core/data/profile-report.ts';
import { profileOf } from '../core/data/profile.ts';
import { defineNode } from '../core/spec/index.ts';

export const profileTableNode = defineNode({
  type: 'data.profile',
  version: 1,
  title: 'Profile Table',
  category: 'Utility',
  description: 'Summarise every column (type, missing values, distinct values, range, mean, quantiles, most frequent values) with a histogram per numeric column. The table passes through unchanged.',
  help: {
    text:
      'Summarises every column: type, missing values, distinct values, range, mean, quantiles and the most frequent values, with a histogram per numeric column (in the Results tab). Values that are NaN or ±Infinity are counted apart, like missing values, and the range, mean, spread, quantiles and histogram describe the finite values. The table passes through unchanged, so the node can sit anywhere in a pipeline.',
    example: 'Right after Load CSV → a report that shows, for instance, which columns have missing values and which are skewed.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table (unchanged)' }, metrics: { type: 'metrics', label: 'Profile' } },
  params: z.object({
    bins: z.number().int().min(2).max(100).default(20).describe('Number of bars in each histogram'),
    top: z.number().int().min(1).max(50).default(10).describe('How many of the most frequent values to list per column'),
  }),
  exportable: false,
  columns: ({ inputs }) => ({ table: inputs.table }),
  async run({ inputs, params }) {
    const profile = await profileOf(inputs.table, { bins: params.bins, top: params.top });
    return { table: inputs.table, metrics: profileMetrics(inputs.table, profile) };
  },
});
