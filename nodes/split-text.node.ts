import { defineNode } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns } from '../core/ml/prep/table-step.ts';
import { splitText, splitTextParams } from '../core/ml/prep/split-text.ts';

export const splitTextNode = defineNode({
  type: 'prep.split_text',
  version: 1,
  title: 'Split Text',
  category: 'Features',
  description: 'Split a text column on a delimiter into parts <column>_1, <column>_2, … (e.g. "Paris, FR" → "Paris" and "FR").',
  help: {
    text:
      'Splits a text column on a delimiter into parts <column>_1, <column>_2, …; the last part keeps the rest of the text. Useful for fields such as "City, Country" or "last, first".',
    example: 'column place holding "Paris, FR", delimiter ",", 2 parts → place_1 = "Paris" and place_2 = "FR".',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: splitTextParams,
  exportable: false,
  summary: (p) => `${p.column || '(no column)'} on "${p.delimiter}" → ${p.parts} parts`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.column ? [params.column] : [], { who: 'Split Text', types: ['string'], need: 'Splitting needs text', advice: 'convert it with Cast Types first, or pick a text column' });
    return { table: await addRecipeStep(ctx, inputs.table, splitText, params) };
  },
});
