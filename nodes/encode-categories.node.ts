import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { deriveSeed } from '../core/spec/random.ts';
import { addRecipeStep, CATEGORICAL, checkColumns } from '../core/ml/prep/table-step.ts';

export const encodeCategoriesNode = defineNode({
  type: 'prep.encode',
  version: 2,
  title: 'Encode Categories',
  category: 'Features',
  description: 'Turn text categories into numbers: one-hot columns (rare ones grouped as "other"), ordinal codes, hashed columns, or target encoding fitted out-of-fold.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Category columns to encode', { types: CATEGORICAL }).default([]),
    method: z.enum(['onehot', 'ordinal', 'hashing', 'target']).default('onehot').describe('onehot: a 0/1 column per category; ordinal: 0..k-1 in sorted order; hashing: a fixed number of hashed columns; target: the mean target per category'),
    max_categories: z.number().int().min(2).optional().describe('One-hot: most columns per input column, counting "other"; the rarest categories share <column>_other'),
    handle_unknown: z.enum(['ignore', 'other']).default('ignore').describe('One-hot, categories not seen in training: ignore = all zeros; other = count them as "other" (when there is an "other" column)'),
    unknown_value: z.union([z.number(), z.null()]).default(-1).describe('Ordinal: code for unseen categories (null = missing)'),
    n_features: z.number().int().min(1).max(4096).default(16).describe('Hashing: columns per input column'),
    target: param.column('Target encoding: the column to predict (binary or numeric)').optional(),
    smooth: z.union([z.literal('auto'), z.number().min(0)]).default('auto').describe('Target encoding: shrinkage toward the overall mean ("auto" = empirical Bayes, as scikit-learn)'),
    cv: z.number().int().min(2).max(20).default(5).describe('Target encoding: folds for the out-of-fold training values'),
    seed: param.seed(),
  }),
  exportable: true,
  summary: (p) => `${p.method}: ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Encode Categories', types: CATEGORICAL, need: 'Categories are text, whole numbers or true/false', advice: 'use Discretize to bin continuous numbers, or remove it from the column list' });
    const { columns } = params;
    switch (params.method) {
      case 'onehot':
        return { table: await addRecipeStep(ctx, inputs.table, 'onehot', { columns, max_categories: params.max_categories ?? null, handle_unknown: params.handle_unknown }) };
      case 'ordinal':
        return { table: await addRecipeStep(ctx, inputs.table, 'ordinal', { columns, unknown_value: params.unknown_value }) };
      case 'hashing':
        return { table: await addRecipeStep(ctx, inputs.table, 'hashing', { columns, n_features: params.n_features }) };
      case 'target': {
        if (!params.target) throw ctx.error({ code: 'INVALID_PARAM', path: ['target'], message: 'Encode Categories: target encoding needs the target column.', hint: 'Choose the column the model will predict.' });
        checkColumns(inputs.table, [params.target], { who: 'Encode Categories' });
        const stepParams = { columns, target: params.target, smooth: params.smooth, cv: params.cv, seed: deriveSeed(ctx.seed, 'target_encode') };
        return { table: await addRecipeStep(ctx, inputs.table, 'target_encode', stepParams, [params.target]) };
      }
    }
  },
});
