import { z } from 'zod';
import { CATEGORICAL, defineNode, deriveSeed, describeSelection, knownColumn, knownSelection, param, retyped, withColumns, withMore, withoutColumns, type KnownTable } from '../core/spec/index.ts';
import { hashName, hashing, hashingParams } from '../core/ml/prep/hashing.ts';
import { onehot, oneHotParams } from '../core/ml/prep/onehot.ts';
import { ordinal, ordinalParams } from '../core/ml/prep/ordinal.ts';
import { addRecipeStep, checkColumns } from '../core/ml/prep/table-step.ts';
import { targetEncode, targetEncodeParams } from '../core/ml/prep/target-encode.ts';

const check = { need: 'Categories are text, whole numbers or true/false', advice: 'use Discretize to bin continuous numbers, or remove it from the column list' };

export const encodeCategoriesNode = defineNode({
  type: 'prep.encode',
  version: 2,
  title: 'Encode Categories',
  category: 'Features',
  description: 'Turn text categories into numbers: one-hot columns (rare ones grouped as "other"), ordinal codes, hashed columns, or target encoding fitted out-of-fold.',
  help: {
    text:
      'Turns text categories into numbers a learner can use. onehot: one 0/1 column per category (the rarest can share an "other" column); ordinal: codes 0, 1, 2… in sorted order; hashing: a fixed number of columns however many categories there are; target: the average target per category, fitted out-of-fold so the encoding does not leak the answer.\n\nThe categories are learned from the training rows; one never seen before is handled as handle unknown says.',
    example: 'column colour with red, green and blue, method onehot → colour_blue, colour_green and colour_red, each 0 or 1.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  // Each method's settings are its recipe step's own params (core/ml/prep), reused here.
  params: z.object({
    columns: oneHotParams.shape.columns,
    method: z.enum(['onehot', 'ordinal', 'hashing', 'target']).default('onehot').describe('onehot: a 0/1 column per category; ordinal: 0..k-1 in sorted order; hashing: a fixed number of hashed columns; target: the mean target per category'),
    max_categories: oneHotParams.shape.max_categories,
    handle_unknown: oneHotParams.shape.handle_unknown,
    unknown_value: ordinalParams.shape.unknown_value,
    n_features: hashingParams.shape.n_features,
    target: targetEncodeParams.shape.target.optional(),
    smooth: targetEncodeParams.shape.smooth,
    cv: targetEncodeParams.shape.cv,
    seed: param.seed(),
  }),
  exportable: true,
  summary: (p) => `${p.method}: ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs: { table: t }, params }) => ({ table: t && encodedColumns(t, params) }),
  async run({ inputs, params, ctx }) {
    const { columns } = params;
    switch (params.method) {
      case 'onehot':
        return { table: await addRecipeStep(ctx, inputs.table, onehot, { columns, max_categories: params.max_categories ?? null, handle_unknown: params.handle_unknown }, { check }) };
      case 'ordinal':
        return { table: await addRecipeStep(ctx, inputs.table, ordinal, { columns, unknown_value: params.unknown_value }, { check }) };
      case 'hashing':
        return { table: await addRecipeStep(ctx, inputs.table, hashing, { columns, n_features: params.n_features }, { check }) };
      case 'target': {
        if (!params.target) throw ctx.error({ code: 'INVALID_PARAM', path: ['target'], message: 'Encode Categories: target encoding needs the target column.', hint: 'Choose the column the model will predict.' });
        checkColumns(inputs.table, [params.target], { who: 'Encode Categories' });
        const stepParams = { columns, target: params.target, smooth: params.smooth, cv: params.cv, seed: deriveSeed(ctx.seed, 'target_encode') };
        return { table: await addRecipeStep(ctx, inputs.table, targetEncode, stepParams, { check, extraReads: [params.target] }) };
      }
    }
  },
});

/** The table after encoding, before running: one-hot's columns are named by the categories a run finds. */
function encodedColumns(t: KnownTable, p: { columns: Parameters<typeof knownSelection>[1]; method: string; n_features: number }): KnownTable {
  const names = knownSelection(t, p.columns, CATEGORICAL);
  switch (p.method) {
    case 'onehot':
      return withMore(withoutColumns(t, names), names.map((n) => `${n}_`));
    case 'hashing':
      return withColumns(withoutColumns(t, names), names.flatMap((n) => Array.from({ length: p.n_features }, (_, j) => knownColumn(hashName(n, j), 'number'))));
    default:
      return retyped(t, names, 'number');
  }
}
