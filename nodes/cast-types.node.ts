import { defineNode, describeSelection } from '../core/spec/index.ts';
import { knownAfterStep } from '../core/ml/prep/known-step.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { cast, castParams } from '../core/ml/prep/cast.ts';

export const castTypesNode = defineNode({
  type: 'prep.cast',
  version: 1,
  title: 'Cast Types',
  category: 'Clean',
  description: 'Change the type of columns: text to numbers (unreadable values become missing), numbers to text, yes/no text to true/false.',
  help: {
    text:
      'Changes the type of columns: text to numbers (a value that cannot be read becomes missing), numbers to text (codes that are labels, not quantities), or yes/no text to true/false.',
    example: 'The text values "12.5", "n/a" and "7" cast to number → 12.5, missing, 7.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: castParams,
  exportable: true,
  summary: (p) => `${describeSelection(p.columns) || '(no columns)'} → ${p.to}`,
  columns: ({ inputs, params }) => ({ table: knownAfterStep(inputs.table, cast, params, params.to) }),
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, cast, params, { check: { need: 'Only numbers, true/false and text can be converted', advice: 'use Date Parts for dates, or remove it from the column list' } }) };
  },
});
