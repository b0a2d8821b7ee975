import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { evaluateTable } from '../core/ml/evaluate-stream.ts';

export const evaluateNode = defineNode({
  type: 'ml.evaluate',
  version: 1,
  title: 'Evaluate Model',
  category: 'Evaluate',
  description:
    'Score a trained model on rows it has not seen (usually the test side of a split): every metric, a confusion matrix, ROC, precision–recall, calibration and lift charts, and the worst-predicted rows. With a group column, the scores per group and how far apart the groups are (demographic parity, equal opportunity, equalised odds). For yes/no targets the positive class is the second label in sorted order.',
  help: {
    text:
      'Scores a trained model on rows it has not seen, usually the test output of a split: every metric for the task, a confusion matrix, ROC, precision–recall, calibration and lift charts, and the worst-predicted rows.\n\nWith a group column (a sex, an age band, a region), it also scores each group apart and says how far apart they are: demographic parity, equal opportunity and equalised odds differences. For a yes/no target the positive class is the second label in sorted order (yes in no/yes, 1 in 0/1).\n\nFor a clustering model (k-means) there is no actual value: it gives the silhouette score of the rows as the model sees them (1 = tight, well-separated clusters, near 0 = overlapping ones; as scikit-learn\'s silhouette_score) and the rows per cluster.',
    example: 'The model of Train Model and the test rows of the split → accuracy, precision, recall, F1, ROC AUC and the charts, in the Results tab.',
  },
  inputs: {
    model: { type: 'model', label: 'Model' },
    table: { type: 'table', label: 'Rows with actual values' },
  },
  outputs: { metrics: { type: 'metrics', label: 'Metrics' } },
  params: z.object({
    worst_rows: z.number().int().min(0).max(1000).default(20).describe('How many of the worst-predicted rows to list'),
    group_column: param
      .column('Column whose groups are scored apart (e.g. sex, age band): selection rate, accuracy, precision and recall per group, and the parity differences between groups. Empty: none.')
      .optional(),
  }),
  exportable: false,
  async run({ inputs, params, ctx }) {
    const model = inputs.model;
    const group = params.group_column || undefined;
    if (group && !inputs.table.columns.some((c) => c.name === group) && !inputs.table.recipe.base?.columns.some((c) => c.name === group)) {
      throw ctx.error({ code: 'COLUMN_NOT_FOUND', column: group, message: `Evaluate: the group column '${group}' is not in the scored table.`, hint: `Columns: ${inputs.table.columns.map((c) => c.name).slice(0, 15).join(', ')}.` });
    }
    // Chunk by chunk: a table larger than memory is evaluated within a bounded footprint.
    const metrics = await evaluateTable(ctx, model, inputs.table, { worstRows: params.worst_rows, group });
    return { metrics };
  },
});
