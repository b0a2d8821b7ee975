import { defineNode } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns, NUMERIC } from '../core/ml/prep/table-step.ts';
import { groupAgg, groupAggParams } from '../core/ml/prep/group-agg.ts';

export const groupAggregatesNode = defineNode({
  type: 'prep.group_features',
  version: 1,
  title: 'Group Aggregates',
  category: 'Features',
  description: "Add per-group statistics as columns, e.g. each customer's average order value, learned from the training rows only.",
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: groupAggParams,
  exportable: true,
  summary: (p) => `${p.aggs.join(', ')} of ${p.column || '?'} by ${p.keys.join(', ') || '?'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.keys, { who: 'Group Aggregates' });
    checkColumns(inputs.table, params.column ? [params.column] : [], { who: 'Group Aggregates', types: NUMERIC, need: 'Statistics need a numeric column', advice: 'pick a numeric column' });
    return { table: await addRecipeStep(ctx, inputs.table, groupAgg, params) };
  },
});
