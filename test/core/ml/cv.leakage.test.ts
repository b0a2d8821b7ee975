import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { prepareFolds, stratifiedKFold } from '../../../core/ml/cv.ts';
import { STEP_KINDS } from '../../../core/ml/prep/index.ts';
import { deriveSeed } from '../../../core/spec/random.ts';
import { pick } from '../../../core/ml/frame.ts';
import { tuneModel } from '../../../core/ml/tune/tune-model.ts';
import { compareModels } from '../../../core/ml/tune/compare-models.ts';
import type { RecipeStep } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { makeRows, rawTable, scaleStep, withRecipe } from './model-fixtures.ts';

/** A recipe step that learns nothing but records which rows (by their `id` column) it was fitted on. */
const fittedOn: number[][] = [];
STEP_KINDS.spy = {
  kind: 'spy',
  title: 'Spy',
  params: z.object({}),
  exportable: true,
  fit(frame, _params, rowIndex) {
    fittedOn.push(Array.from(pick(frame.columns.id as Float64Array, rowIndex)));
    return {};
  },
  apply: (_state, frame) => frame,
  io: () => ({ inputs: ['id'], outputs: [] }),
};
afterAll(() => {
  delete STEP_KINDS.spy;
});
const spyStep: RecipeStep = { nodeId: 'spy', kind: 'spy', params: {}, inputs: ['id'], outputs: [], exportable: true };

const n = 90;
const rows = makeRows(n, 3);
const ctx = fakeContext({ nodeId: 'cv', seed: 5 });
const cols = [
  { name: 'id', data: Float64Array.from({ length: n }, (_, i) => i) },
  { name: 'x1', data: rows.x1 },
  { name: 'x2', data: rows.x2 },
  { name: 'label', data: rows.label },
];
const expectedFolds = (k: number) => {
  const y = rows.label.map((v) => (v === 'yes' ? 1 : 0));
  return stratifiedKFold(y, 2, k, deriveSeed(ctx.seed, 'folds'));
};

describe('no leakage across folds', () => {
  it('cross-validation: a scale step fitted in each fold has exactly the mean of that fold\'s training rows', async () => {
    const t = withRecipe(await rawTable(ctx, cols), [scaleStep(['x1'])]);
    const cv = await prepareFolds(ctx, t, { target: 'label', task: 'auto', folds: 4, features: ['x1', 'x2'] });
    const folds = expectedFolds(4);
    const allMean = rows.x1.reduce((a, b) => a + b, 0) / n;
    cv.folds.forEach((fold, f) => {
      let sum = 0;
      for (const i of folds[f].train) sum += rows.x1[i];
      const offset = (fold.recipe[0].state as { offset: number[] }).offset[0];
      expect(offset).toBe(sum / folds[f].train.length);
      expect(Math.abs(offset - allMean)).toBeGreaterThan(1e-6);
      // the held-out rows are transformed with the training rows' statistics
      const scaleOf = (fold.recipe[0].state as { scale: number[] }).scale[0];
      const firstTest = folds[f].test[0];
      expect(fold.test.data[0]).toBe((rows.x1[firstTest] - offset) / scaleOf);
      expect(Array.from(fold.testRowIds)).toEqual(Array.from(folds[f].test));
    });
  });

  it('tuning and Compare fit every recipe step on the fold\'s training rows, never its held-out rows', async () => {
    const t = withRecipe(await rawTable(ctx, cols), [spyStep, scaleStep(['x1', 'x2'])]);
    const folds = expectedFolds(3);
    const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);

    fittedOn.length = 0;
    await tuneModel(ctx, t, { target: 'label', task: 'auto', folds: 3, features: ['x1', 'x2'], learner: 'decision_tree', learnerParams: {}, space: { max_depth: { int: [1, 4] } }, method: 'random', nTrials: 4, metric: 'auto' });
    // 3 fold fits (once, shared by every trial; folds are prepared on several workers, in any
    // order) + the final refit on all rows
    expect(fittedOn).toHaveLength(4);
    // each fit saw exactly one fold's training rows, so never a held-out row
    const foldFits = fittedOn.slice(0, 3).map(sorted);
    folds.forEach((f) => expect(foldFits).toContainEqual(sorted(f.train)));
    expect(sorted(fittedOn[3])).toEqual(Array.from({ length: n }, (_, i) => i));

    fittedOn.length = 0;
    await compareModels(ctx, t, { target: 'label', task: 'auto', folds: 3, features: ['x1', 'x2'], learners: ['decision_tree', 'logistic_regression'], learnerParams: {}, metric: 'auto' });
    expect(fittedOn).toHaveLength(3);
    folds.forEach((f) => expect(fittedOn.map(sorted)).toContainEqual(sorted(f.train)));
  });
});
