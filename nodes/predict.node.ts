import { defineNode } from '../core/spec/index.ts';
import { z } from 'zod';
import { predictToTable } from '../core/ml/predict-stream.ts';

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
    // Chunk by chunk: a table larger than memory is scored within a bounded footprint.
    return { table: await predictToTable(ctx, inputs.model, inputs.table, { probabilities: params.probabilities }) };
  },
});
