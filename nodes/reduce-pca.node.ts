import { defineNode, describeSelection } from '../core/spec/index.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { pca, pcaParams } from '../core/ml/prep/pca.ts';

export const reducePcaNode = defineNode({
  type: 'prep.pca',
  version: 1,
  title: 'Reduce (PCA)',
  category: 'Features',
  description: 'Replace many numeric columns by a few principal components pc1, pc2, … that keep most of their variation.',
  help: {
    text:
      'Replaces many correlated numeric columns by a few principal components pc1, pc2, … that keep most of their variation; handy for wide data such as pixels or sensor readings. The columns must have no missing values (impute first) and are usually scaled first. The components are learned from the training rows.',
    example: '64 pixel columns, 10 components → pc1 … pc10 in their place.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: pcaParams,
  exportable: true,
  summary: (p) => `${p.n_components} components of ${describeSelection(p.columns) || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    return { table: await addRecipeStep(ctx, inputs.table, pca, params, { check: { need: 'PCA needs numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' } }) };
  },
});
