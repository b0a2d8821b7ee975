import { defineNode, knownSelection, withMore, withoutColumns } from '../core/spec/index.ts';
import { addRecipeStep, checkColumns } from '../core/ml/prep/table-step.ts';
import { selectFeatures, selectParams, type SelectState } from '../core/ml/prep/select-features.ts';

export const selectFeaturesNode = defineNode({
  type: 'prep.select_features',
  version: 1,
  title: 'Select Features',
  category: 'Features',
  description: 'Keep the useful numeric columns: drop near-constant ones, drop one of each highly correlated pair, or keep the k best by an F-test against the target.',
  help: {
    text:
      'Keeps the useful numeric columns and lets the others through untouched: drop near-constant columns (variance), drop one of each highly correlated pair (correlation), or keep the k columns with the highest F-test score against the target (kbest). The choice is made on the training rows.',
    example: 'method correlation, threshold 0.95, on height_cm and height_in → only height_cm is kept.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: selectParams,
  exportable: true,
  summary: (p) => (p.method === 'kbest' ? `${p.k} best by ${p.score}` : `${p.method} ≤ ${p.threshold ?? (p.method === 'variance' ? 0 : 0.95)}`),
  // Which candidates stay shows when it runs: until then each may or may not be there.
  columns: ({ inputs: { table: t }, params }) => {
    const candidates = t && knownSelection(t, params.columns);
    return { table: t && candidates && withMore(withoutColumns(t, candidates), candidates) };
  },
  async run({ inputs, params, ctx }) {
    if (params.method === 'kbest') {
      if (!params.target) throw ctx.error({ code: 'INVALID_PARAM', path: ['target'], message: 'Select Features: k-best needs the target column to score against.', hint: 'Choose the column the model will predict.' });
      checkColumns(inputs.table, [params.target], { who: 'Select Features' });
    }
    const extra = params.method === 'kbest' && params.target ? [params.target] : [];
    const check = { need: 'Selection scores numbers', advice: 'encode it first with Encode Categories, or remove it from the column list' };
    const table = await addRecipeStep(ctx, inputs.table, selectFeatures, params, { check, extraReads: extra });
    const state = table.recipe.steps[table.recipe.steps.length - 1].state as SelectState;
    ctx.log(`kept ${state.kept.length} of ${state.kept.length + state.dropped.length}: dropped ${state.dropped.join(', ') || 'none'}`);
    return { table };
  },
});
