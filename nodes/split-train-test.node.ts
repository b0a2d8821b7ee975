import { z } from 'zod';
import { splitTable } from '../core/data/sampling.ts';
import { defineNode, param, splitColumns } from '../core/spec/index.ts';

export const splitTrainTestNode = defineNode({
  type: 'data.split',
  version: 2,
  title: 'Train/Test Split',
  category: 'Split',
  description: 'Divide rows into a training set and a test set (and optionally a validation set): at random, keeping the share of each target class, or by time (the latest rows for testing).',
  help: {
    text:
      'Divides rows into a training set and a test set, and optionally a validation set. random shuffles; stratified keeps each class\'s share in every part (use it for classification, above all with rare classes); time puts the oldest rows in training and the newest in the test set, as the model will meet the future.\n\nTrain on the train output and evaluate on the test output, so the score is honest. The same seed gives the same split.',
    example: 'test fraction 0.2, method stratified, column churned → 80% of the rows to train on and 20% to test on, each with the same churn rate.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: {
    train: { type: 'table', label: 'Train' },
    test: { type: 'table', label: 'Test' },
    validation: { type: 'table', label: 'Validation' },
  },
  params: z.object({
    test_fraction: z.number().min(0).max(0.95).default(0.2).describe('Share of rows held out for testing'),
    validation_fraction: z.number().min(0).max(0.95).default(0).describe('Share of rows for a validation set (0: none; the validation output is then empty)'),
    method: z.enum(['random', 'stratified', 'time']).default('random').describe('random; stratified: same share of each class of the column in every part; time: oldest rows train, newest rows test'),
    column: param.column('Target column (stratified) or date column (time)').optional(),
    seed: param.seed(),
  }),
  exportable: false,
  summary: (p) => `${p.method} ${Math.round((1 - p.test_fraction - p.validation_fraction) * 100)}/${p.validation_fraction ? `${Math.round(p.validation_fraction * 100)}/` : ''}${Math.round(p.test_fraction * 100)}`,
  columns: ({ inputs, params }) => splitColumns(inputs.table, params),
  async run({ inputs, params, ctx }) {
    return splitTable(ctx, inputs.table, { method: params.method, testFraction: params.test_fraction, validationFraction: params.validation_fraction, column: params.column || undefined });
  },
});
