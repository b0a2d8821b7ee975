import { defineNode } from '../core/spec/index.ts';
import { z } from 'zod';
import { writeColumns } from '../core/data/tables.ts';
import { predictionColumns, predictTable } from '../core/ml/model.ts';

export const predictNode = defineNode({
  type: 'ml.predict',
  version: 1,
  title: 'Predict',
  category: 'Evaluate',
  description: 'Score a table with a trained model: adds a prediction column (and one probability column per class for classifiers).',
  help: {
    text:
      'Scores a table with a trained model: adds a prediction column and, for a classifier, a probability column per class. The model applies its own feature steps, so give it raw rows shaped like its training input.',
    example: 'A churn model and new_customers.csv → each customer with prediction and proba_no / proba_yes.',
  },
  inputs: {
    model: { type: 'model', label: 'Model' },
    table: { type: 'table', label: 'Rows to score' },
  },
  outputs: { table: { type: 'table', label: 'With predictions' } },
  params: z.object({
    probabilities: z.boolean().default(true).describe('Add a proba_<class> column per class (classifiers that give probabilities)'),
  }),
  exportable: true,
  async run({ inputs, params, ctx }) {
    const p = await predictTable(ctx, inputs.model, inputs.table);
    const columns = predictionColumns(inputs.model, p, { probabilities: params.probabilities });
    ctx.progress(0.9, 'writing predictions');
    return { table: await writeColumns(ctx, inputs.table, columns) };
  },
});
