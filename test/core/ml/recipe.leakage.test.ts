import { describe, expect, it } from 'vitest';
import { relation, writeTable } from '../../../core/data/tables.ts';
import { impute } from '../../../core/ml/prep/impute.ts';
import { onehot } from '../../../core/ml/prep/onehot.ts';
import { scale } from '../../../core/ml/prep/scale.ts';
import { addRecipeStep } from '../../../core/ml/prep/table-step.ts';
import { applyRecipe, fitRecipe, fitTransformRecipe, frameToMatrix, loadRawFrame } from '../../../core/ml/recipe.ts';
import type { ScaleState } from '../../../core/ml/prep/scale.ts';
import type { ImputeState } from '../../../core/ml/prep/impute.ts';
import { frameFromArrays } from '../../../core/ml/frame.ts';
import { fakeContext } from '../../support/fake-context.ts';

async function source() {
  const ctx = fakeContext({ nodeId: 'load' });
  // x: 1..10 with one gap; city text; the last 4 rows are "test" rows with large x
  const rows = [
    [1, 'a'], [2, 'b'], [null, 'a'], [4, 'c'], [5, 'a'], [6, 'b'],
    [100, 'z'], [200, 'a'], [300, null], [400, 'b'],
  ];
  const values = rows.map(([x, c]) => `(${x ?? 'NULL'}::DOUBLE, ${c === null ? 'NULL' : `'${c}'`})`).join(', ');
  return writeTable(ctx, `SELECT * FROM (VALUES ${values}) t(x, city)`, { newRowIds: true });
}

describe('recipe replay is leakage-safe', () => {
  it('re-fits every step on the training rows only, from the raw values', async () => {
    const raw = await source();
    const imputed = await addRecipeStep(fakeContext({ nodeId: 'impute' }), raw, impute, impute.params.parse({ columns: ['x'], strategy: 'mean' }));
    const scaled = await addRecipeStep(fakeContext({ nodeId: 'scale' }), imputed, scale, { columns: ['x'], method: 'standard' });
    const encoded = await addRecipeStep(fakeContext({ nodeId: 'encode' }), scaled, onehot, onehot.params.parse({ columns: ['city'] }));
    expect(encoded.recipe.base?.path).toBe(raw.path);
    expect(encoded.recipe.steps.map((s) => s.kind)).toEqual(['impute', 'scale', 'onehot']);
    // the preview fit saw all rows: mean of x over the 9 present values
    const allMean = (1 + 2 + 4 + 5 + 6 + 100 + 200 + 300 + 400) / 9;
    expect((encoded.recipe.steps[0].state as ImputeState).columns[0].fill).toBeCloseTo(allMean, 12);

    // a table step keeps the first 6 rows (as a split would) and carries the recipe through
    const train = await writeTable(fakeContext({ nodeId: 'split' }), `SELECT * FROM ${relation(encoded)} WHERE __row < 6`, { recipe: encoded.recipe });
    const { frame, rowIds } = await loadRawFrame(train);
    expect(Array.from(rowIds)).toEqual([0, 1, 2, 3, 4, 5]);
    // raw values, not the previewed (imputed, scaled) ones
    expect(Array.from(frame.columns.x as Float64Array)).toEqual([1, 2, NaN, 4, 5, 6]);
    const fitted = fitRecipe(train.recipe.steps, frame);
    const trainMean = (1 + 2 + 4 + 5 + 6) / 5;
    expect((fitted[0].state as ImputeState).columns[0].fill).toBe(trainMean);
    expect((fitted[1].state as ScaleState).offset[0]).toBeCloseTo(trainMean, 12);
    // the unseen test category 'z' gets no column: categories come from the training rows
    expect(fitted[2].outputs).toEqual(['city_a', 'city_b', 'city_c']);

    // apply the train-fitted recipe to the test rows
    const test = await writeTable(fakeContext({ nodeId: 'split2' }), `SELECT * FROM ${relation(encoded)} WHERE __row >= 6`, { recipe: encoded.recipe });
    const testRaw = await loadRawFrame(test);
    const out = applyRecipe(fitted, testRaw.frame);
    const X = frameToMatrix(out, ['x', 'city_a', 'city_b', 'city_c']);
    expect(X.rows).toBe(4);
    const sd = (fitted[1].state as ScaleState).scale[0];
    expect(X.data[0]).toBeCloseTo((100 - trainMean) / sd, 12);
    expect(Array.from(X.data.slice(4, 8))).toEqual([(200 - trainMean) / sd, 1, 0, 0]);
  });

  it('a column joined after the recipe began is re-read raw when a later step transforms it', async () => {
    const raw = await source();
    const scaled = await addRecipeStep(fakeContext({ nodeId: 'scale' }), raw, scale, { columns: ['x'], method: 'minmax' });
    // a table step (as a join would) adds j = 2·__row and keeps the recipe
    const joined = await writeTable(fakeContext({ nodeId: 'join' }), `SELECT *, 2.0 * __row AS j FROM ${relation(scaled)}`, { recipe: scaled.recipe });
    const scaledJ = await addRecipeStep(fakeContext({ nodeId: 'scale_j' }), joined, scale, { columns: ['j'], method: 'standard' });
    const { frame } = await loadRawFrame(scaledJ);
    expect(Array.from(frame.columns.j as Float64Array)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const fitted = fitRecipe(scaledJ.recipe.steps, frame, [0, 1, 2]);
    expect((fitted[1].state as ScaleState).offset[0]).toBe(2);
  });

  it('fitRecipe with a row index equals fitting on those rows alone', () => {
    const frame = frameFromArrays({ x: [1, 2, 3, 50, 60], c: ['a', 'b', 'a', 'q', 'q'] });
    const steps = [
      { nodeId: 's', kind: 'scale', params: { columns: ['x'], method: 'minmax' }, inputs: ['x'], outputs: ['x'], exportable: true },
      { nodeId: 'e', kind: 'onehot', params: { columns: ['c'] }, inputs: ['c'], outputs: [], exportable: true },
    ];
    const a = fitRecipe(steps, frame, [0, 1, 2]);
    const b = fitRecipe(steps, frameFromArrays({ x: [1, 2, 3], c: ['a', 'b', 'a'] }));
    expect(a.map((s) => s.state)).toEqual(b.map((s) => s.state));
    const { frame: out } = fitTransformRecipe(steps, frame, [0, 1, 2]);
    expect(Array.from(out.columns.x as Float64Array)).toEqual([0, 0.5, 1, 24.5, 29.5]);
  });

  it('says which text column is left unencoded', () => {
    const frame = frameFromArrays({ x: [1, 2], city: ['Paris', 'Lyon'] });
    expect(() => frameToMatrix(frame, ['x', 'city'])).toThrow("column 'city' is text; add Encode Categories before training");
  });
});
