import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns } from '../core/ml/prep/table-step.ts';

export const splitTextNode = defineNode({
  type: 'prep.split_text',
  version: 1,
  title: 'Split Text',
  category: 'Features',
  description: 'Split a text column on a delimiter into parts <column>_1, <column>_2, … (e.g. "Paris, FR" → "Paris" and "FR").',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    column: param.column('Text column to split', { types: ['string'] }).default(''),
    delimiter: z.string().min(1).default(',').describe('Text between the parts'),
    parts: z.number().int().min(1).max(50).default(2).describe('Number of parts; the last part keeps the rest of the text'),
    trim: z.boolean().default(true).describe('Remove spaces around each part'),
    keep_original: z.boolean().default(false).describe('Keep the source column'),
  }),
  exportable: false,
  summary: (p) => `${p.column || '(no column)'} on "${p.delimiter}" → ${p.parts} parts`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.column ? [params.column] : [], { who: 'Split Text', types: ['string'], need: 'Splitting needs text', advice: 'convert it with Cast Types first, or pick a text column' });
    return { table: await addRecipeStep(ctx, inputs.table, 'split_text', { ...params }) };
  },
});
