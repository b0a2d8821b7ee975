import { describe, expect, it } from 'vitest';
import { predictTable, trainModel, predictionColumns } from '../../../core/ml/model.ts';
import type { Matrix } from '../../../core/ml/learners/types.ts';
import type { RunContext, WorkerTask } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { makeRows, rawTable, scaleStep, subset, withRecipe } from './model-fixtures.ts';

const ctx = fakeContext({ nodeId: 'train' });
const rows = makeRows(120);

async function table(extra: Parameters<typeof rawTable>[1] = []) {
  return rawTable(ctx, [
    { name: 'x1', data: rows.x1 },
    { name: 'x2', data: rows.x2 },
    { name: 'label', data: rows.label },
    ...extra,
  ]);
}

describe('trainModel / predictTable', () => {
  it('classifies a text target: sorted classes, features = every other column, predictions aligned with rows', async () => {
    const t = await table();
    const { model } = await trainModel(ctx, t, { target: 'label', task: 'auto', learner: 'logistic_regression', learnerParams: {} });
    expect(model.task).toBe('binary');
    expect(model.classes).toEqual(['no', 'yes']);
    expect(model.features).toEqual(['x1', 'x2']);
    expect(model.inputColumns.map((c) => c.name)).toEqual(['x1', 'x2']);
    const p = await predictTable(ctx, model, t);
    expect(Array.from(p.rowIds)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    const cols = predictionColumns(model, p);
    const acc = (cols.prediction as string[]).filter((v, i) => v === rows.label[i]).length / 120;
    expect(acc).toBeGreaterThan(0.8);
    expect(Object.keys(cols)).toEqual(['prediction', 'proba_no', 'proba_yes']);
  });

  it('detects the task: ≤ 20 whole numbers → multiclass, other numbers → regression, override wins', async () => {
    const cls = Float64Array.from(rows.x1, (v) => (v < 0 ? 0 : v < 2 ? 1 : 2));
    const t = await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'x2', data: rows.x2 }, { name: 'c', data: cls, type: 'integer' }, { name: 'amount', data: rows.amount }]);
    const m1 = await trainModel(ctx, t, { target: 'c', task: 'auto', learner: 'decision_tree', learnerParams: { max_depth: 3 }, features: ['x1', 'x2'] });
    expect(m1.model.task).toBe('multiclass');
    expect(m1.model.classes).toEqual([0, 1, 2]);
    const m2 = await trainModel(ctx, t, { target: 'amount', task: 'auto', learner: 'ridge', learnerParams: {}, features: ['x1', 'x2'] });
    expect(m2.model.task).toBe('regression');
    const m3 = await trainModel(ctx, t, { target: 'c', task: 'regression', learner: 'ridge', learnerParams: {}, features: ['x1', 'x2'] });
    expect(m3.model.task).toBe('regression');
  });

  it('a text feature is a COLUMN_TYPE error naming the column and the fix; leaving it out works', async () => {
    const t = await table([{ name: 'city', data: rows.city }]);
    await expect(trainModel(ctx, t, { target: 'label', task: 'auto', learner: 'decision_tree', learnerParams: {} })).rejects.toMatchObject({ code: 'COLUMN_TYPE', column: 'city', hint: expect.stringMatching(/Encode Categories/) });
    const { model } = await trainModel(ctx, t, { target: 'label', task: 'auto', learner: 'decision_tree', learnerParams: {}, features: ['x1', 'x2'] });
    expect(model.features).toEqual(['x1', 'x2']);
  });

  it('clear errors: one class, missing targets, regression on text, empty table, all-missing column', async () => {
    const one = await rawTable(ctx, [{ name: 'x', data: rows.x1 }, { name: 'y', data: rows.label.map(() => 'a') }]);
    await expect(trainModel(ctx, one, { target: 'y', task: 'auto', learner: 'decision_tree', learnerParams: {} })).rejects.toMatchObject({ code: 'BAD_TARGET', message: expect.stringMatching(/single class \("a"\)/) });
    const holes = await rawTable(ctx, [{ name: 'x', data: rows.x1 }, { name: 'y', data: rows.label.map((v, i) => (i % 10 === 0 ? null : v)) }]);
    await expect(trainModel(ctx, holes, { target: 'y', task: 'auto', learner: 'decision_tree', learnerParams: {} })).rejects.toMatchObject({ code: 'BAD_TARGET', message: expect.stringMatching(/missing in 12 of 120 rows/) });
    await expect(trainModel(ctx, one, { target: 'y', task: 'regression', learner: 'ridge', learnerParams: {} })).rejects.toMatchObject({ code: 'COLUMN_TYPE', column: 'y' });
    const t = await table();
    const empty = await subset(ctx, t, 'ROW < 0', 'empty');
    await expect(trainModel(ctx, empty, { target: 'label', task: 'auto', learner: 'decision_tree', learnerParams: {} })).rejects.toMatchObject({ code: 'NO_ROWS' });
    const blank = await table([{ name: 'blank', data: new Float64Array(120).fill(NaN) }]);
    await expect(trainModel(ctx, blank, { target: 'label', task: 'auto', learner: 'decision_tree', learnerParams: {} })).rejects.toMatchObject({ code: 'BAD_DATA', column: 'blank' });
  });

  it('a constant feature is fine', async () => {
    const t = await table([{ name: 'k', data: new Float64Array(120).fill(5) }]);
    const { model } = await trainModel(ctx, t, { target: 'label', task: 'auto', learner: 'logistic_regression', learnerParams: {} });
    expect(model.features).toContain('k');
  });

  it('a learner that cannot do the task is an error naming the learner param', async () => {
    const t = await table();
    await expect(trainModel(ctx, t, { target: 'label', task: 'auto', learner: 'ridge', learnerParams: {} })).rejects.toMatchObject({ code: 'INVALID_PARAM', path: ['learner'] });
  });

  it('Train after a split re-fits the recipe on the training rows only', async () => {
    const t = withRecipe(await table(), [scaleStep(['x1'])]);
    const train = await subset(ctx, t, 'ROW < 80', 'train');
    const { model } = await trainModel(ctx, train, { target: 'label', task: 'auto', learner: 'logistic_regression', learnerParams: {} });
    const state = model.recipe[0].state as { offset: number[] };
    let sum = 0;
    for (let i = 0; i < 80; i++) sum += rows.x1[i];
    expect(state.offset[0]).toBe(sum / 80);
    const allMean = rows.x1.reduce((a, b) => a + b, 0) / 120;
    expect(Math.abs(state.offset[0] - allMean)).toBeGreaterThan(1e-3);
    expect(model.trainedOn.rows).toBe(80);
  });

  it('the same seed gives bit-identical predictions across two runs', async () => {
    const t = withRecipe(await table(), [scaleStep(['x1', 'x2'])]);
    const run = async () => {
      const c = fakeContext({ nodeId: 'train', seed: 7 });
      const { model } = await trainModel(c, t, { target: 'label', task: 'auto', learner: 'random_forest', learnerParams: { n_estimators: 15 } });
      return (await predictTable(c, model, t)).prediction;
    };
    const a = await run(), b = await run();
    expect(Buffer.from(a.proba!.buffer).equals(Buffer.from(b.proba!.buffer))).toBe(true);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  it('predicting on a table without a model input column says which column', async () => {
    const t = await table();
    const { model } = await trainModel(ctx, t, { target: 'label', task: 'auto', learner: 'logistic_regression', learnerParams: {} });
    const other = await rawTable(ctx, [{ name: 'x1', data: rows.x1 }]);
    await expect(predictTable(ctx, model, other)).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND', message: expect.stringMatching(/"x2"/) });
  });
});

describe('trainModel without a target, and boolean targets', () => {
  it('k-means with no target is a clustering model; predictions are cluster ids', async () => {
    const t = await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'x2', data: rows.x2 }]);
    const { model } = await trainModel(ctx, t, { task: 'auto', learner: 'kmeans', learnerParams: { n_clusters: 3 } });
    expect(model).toMatchObject({ task: 'clustering', target: null, features: ['x1', 'x2'] });
    const p = await predictTable(ctx, model, t);
    expect(new Set(p.prediction.values).size).toBe(3);
  });

  it('a boolean target is binary with classes "false" < "true"', async () => {
    const flag = Float64Array.from(rows.label, (v) => (v === 'yes' ? 1 : 0));
    const t = await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'x2', data: rows.x2 }, { name: 'flag', data: flag, type: 'boolean' }]);
    const { model } = await trainModel(ctx, t, { target: 'flag', task: 'auto', learner: 'gaussian_nb', learnerParams: {} });
    expect(model.task).toBe('binary');
    expect(model.classes).toEqual(['false', 'true']);
  });

  it('probability column names stay distinct when labels differ only in punctuation', async () => {
    const lab = rows.label.map((v, i) => (v === 'yes' ? 'a b' : i % 2 ? 'a_b' : 'c'));
    const t = await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'x2', data: rows.x2 }, { name: 'y', data: lab }]);
    const { model } = await trainModel(ctx, t, { target: 'y', task: 'auto', learner: 'gaussian_nb', learnerParams: {} });
    const cols = predictionColumns(model, await predictTable(ctx, model, t));
    expect(Object.keys(cols)).toEqual(['prediction', 'proba_a_b', 'proba_a_b_1', 'proba_c']);
  });
});

describe('the target is never transformed by feature steps', () => {
  it('a step whose columns include the target is a BAD_TARGET error naming the step', async () => {
    const t = withRecipe(await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'amount', data: rows.amount }]), [scaleStep(['x1', 'amount'])]);
    await expect(trainModel(ctx, t, { target: 'amount', task: 'auto', learner: 'ridge', learnerParams: {} })).rejects.toMatchObject({
      code: 'BAD_TARGET',
      message: expect.stringMatching(/node 'scale' \(scale\) transforms the target "amount"/),
      hint: expect.stringMatching(/Remove "amount" from the columns of node 'scale'/),
    });
  });
});

describe('class_weight', () => {
  it('balanced weights raise the recall of a rare class', async () => {
    const rare = rows.label.map((_, i) => (rows.x1[i] + rows.x2[i] > 3 ? 'yes' : 'no'));
    const yes = rare.filter((v) => v === 'yes').length;
    expect(yes).toBeGreaterThan(5);
    expect(yes).toBeLessThan(30);
    const t = await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'y', data: rare }]);
    const recall = async (classWeight: 'none' | 'balanced') => {
      const r = await trainModel(ctx, t, { target: 'y', task: 'auto', learner: 'logistic_regression', learnerParams: {}, classWeight });
      const pred = r.trainPrediction.values;
      let tp = 0;
      for (let i = 0; i < pred.length; i++) if (r.target.y![i] === 1 && pred[i] === 1) tp++;
      return tp / yes;
    };
    expect(await recall('balanced')).toBeGreaterThan(await recall('none'));
  });

  it('builds the training matrix once, on shared memory: the fit and the training predictions read it without a copy', async () => {
    // A 1M-row × 20-feature matrix is 160 MB: a copy per worker task put a 1M-row Train over its memory bound.
    const seen: { task: string; buffer: ArrayBufferLike }[] = [];
    const recording: RunContext = {
      ...ctx,
      runInWorker<P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> {
        const X = (payload as { X?: Matrix }).X;
        if (X) seen.push({ task: task.name, buffer: X.data.buffer });
        return ctx.runInWorker(task, payload);
      },
    };
    await trainModel(recording, await table(), { target: 'label', task: 'auto', learner: 'logistic_regression', learnerParams: {} });
    expect(seen.map((s) => s.task)).toEqual(['ml.fitLearner', 'ml.predictLearner']);
    expect(seen[0].buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(seen[1].buffer).toBe(seen[0].buffer);
  });
});
