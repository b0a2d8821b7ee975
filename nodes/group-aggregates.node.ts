import { defineNode } from '../core/spec/index.ts';
import { knownAfterStep } from '../core/ml/prep/known-step.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';
import { groupAgg, groupAggParams } from '../core/ml/prep/group-agg.ts';

export const groupAggregatesNode = defineNode({
  type: 'prep.group_features',
  version: 1,
  title: 'Group Aggregates',
  category: 'Features',
  description: "Add per-group statistics as columns, e.g. each customer's average order value, learned from the training rows only.",
  help: {
    text:
      'Adds per-group statistics as columns: on each row, the mean, count, sum, min or max of a numeric column over the rows that share its key values. The statistics are learned from the training rows only, so the test rows do not shape them.',
    example: 'keys customer_id, column amount, statistic mean → every row gains amount_mean_by_customer_id, the customer’s average order.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: groupAggParams,
  exportable: true,
  summary: (p) => `${p.aggs.join(', ')} of ${p.column || '?'} by ${p.keys.join(', ') || '?'}`,
  columns: ({ inputs, params }) => ({ table: knownAfterStep(inputs.table, groupAgg, params) }),
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.keys, { who: 'Group Aggregates' });
    checkColumns(inputs.table, params.column ? [params.column] : [], { who: 'Group Aggregates', types: NUMERIC, need: 'Statistics need a numeric column', advice: 'pick a numeric column' });
    return { table: await addRecipeStep(ctx, inputs.table, groupAgg, params) };
  },
});
