import { z } from 'zod';
import { defineNode } from '../core/spec/index.ts';
import { evaluationReport, withRowValues } from '../core/ml/curves.ts';
import { actualValues, predictTable } from '../core/ml/model.ts';

export const evaluateNode = defineNode({
  type: 'ml.evaluate',
  version: 1,
  title: 'Evaluate Model',
  category: 'Evaluate',
  description:
    'Score a trained model on rows it has not seen (usually the test side of a split): every metric, a confusion matrix, ROC, precision–recall, calibration and lift charts, and the worst-predicted rows. For yes/no targets the positive class is the second label in sorted order.',
  inputs: {
    model: { type: 'model', label: 'Model' },
    table: { type: 'table', label: 'Rows with actual values' },
  },
  outputs: { metrics: { type: 'metrics', label: 'Metrics' } },
  params: z.object({
    worst_rows: z.number().int().min(0).max(1000).default(20).describe('How many of the worst-predicted rows to list'),
  }),
  exportable: false,
  async run({ inputs, params, ctx }) {
    const model = inputs.model;
    const p = await predictTable(ctx, model, inputs.table, model.target ? [model.target] : []);
    ctx.progress(0.8, 'scoring');
    const metrics = evaluationReport({
      task: model.task,
      scope: 'test',
      classes: model.classes,
      yTrue: actualValues(model, p),
      prediction: p.prediction,
      rowIds: p.rowIds,
      detail: true,
      worstRows: params.worst_rows,
    });
    const rawInputs = Object.fromEntries(model.inputColumns.filter((c) => c.name in p.raw.columns).map((c) => [c.name, p.raw.columns[c.name]]));
    metrics.tables = metrics.tables.map((t) => (t.id === 'worst_rows' ? withRowValues(t, p.rowIds, rawInputs) : t));
    return { metrics };
  },
});
