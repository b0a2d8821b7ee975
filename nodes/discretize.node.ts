import { defineNode, describeSelection } from '../core/spec/index.ts';
import { knownAfterStep } from '../core/ml/prep/known-step.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { discretize, discretizeParams } from '../core/ml/prep/discretize.ts';

export const discretizeNode = defineNode({
  type: 'prep.discretize',
  version: 1,
  title: 'Discretize',
  category: 'Features',
  description: 'Turn numbers into bin numbers 0, 1, 2…: equal-width bins, equal-count (quantile) bins, or your own edges.',
  help: {
    text:
      'Turns numbers into bin numbers 0, 1, 2…: bins of equal width (uniform), bins holding about as many rows each (quantile), or bins between edges you give. Use it to make a relationship step-shaped or to tame a skewed column. The edges are learned from the training rows.',
    example: 'column age, strategy custom, edges [0, 18, 65, 120] → 0 for minors, 1 for adults under 65, 2 for 65 and over.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: discretizeParams,
  exportable: true,
  summary: (p) => `${p.strategy === 'custom' ? `edges ${p.edges.join(', ')}` : `${p.n_bins} ${p.strategy} bins`}: ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs, params }) => ({ table: knownAfterStep(inputs.table, discretize, params) }),
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, discretize, params, { check: { need: 'Binning needs numbers', advice: 'use Encode Categories for text, or remove it from the column list' } }) };
  },
});
