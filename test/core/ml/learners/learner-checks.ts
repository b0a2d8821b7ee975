import { expect } from 'vitest';
import type { Learner, Matrix } from '../../../../core/ml/learners/types.ts';
import { isFlowlineError } from '../../../../core/spec/errors.ts';
import { type DatasetName, loadDataset, standardize } from '../../../support/datasets.ts';
import type { ParityScores } from '../../../support/sklearn-parity.ts';

/** Shared checks every learner in this folder must pass (not a test file itself). */

function withExtraColumn(X: Matrix, value: number): Matrix {
  const p = X.cols + 1;
  const data = new Float64Array(X.rows * p);
  for (let i = 0; i < X.rows; i++) {
    data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), i * p);
    data[i * p + X.cols] = value;
  }
  return { data, rows: X.rows, cols: p };
}

function fitData(dataset: DatasetName, scale: boolean) {
  const { train, test } = loadDataset(dataset);
  const [Xtr, Xte] = scale ? standardize(train.X, test.X) : [train.X, test.X];
  const task = train.task;
  return { train, Xtr, Xte, task, y: task === 'clustering' ? undefined : train.y, nClasses: train.classes?.length };
}

/** Two fits with the same seed give bit-identical predictions (and probabilities). */
export function expectDeterministic(learner: Learner, params: Record<string, unknown>, dataset: DatasetName, taskOverride?: 'clustering'): void {
  const d = fitData(dataset, true);
  const task = taskOverride ?? d.task;
  const run = () => {
    const state = learner.fit({ X: d.Xtr, y: task === 'clustering' ? undefined : d.y, featureNames: d.train.featureNames, nClasses: d.nClasses }, learner.params.parse(params), { task, seed: 7 });
    return learner.predict(state, d.Xte);
  };
  const a = run();
  const b = run();
  expect(Buffer.from(a.values.buffer).equals(Buffer.from(b.values.buffer))).toBe(true);
  if (a.proba) expect(Buffer.from(a.proba.buffer).equals(Buffer.from(b.proba!.buffer))).toBe(true);
}

/** Every number in a fitted state (typed arrays, arrays, nested objects). */
function numbersIn(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out.push(...Array.from(v as unknown as ArrayLike<number>));
  else if (Array.isArray(v)) v.forEach((x) => numbersIn(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => numbersIn(x, out));
  return out;
}

/** A constant feature appended to the data: the state and the predictions stay finite. */
export function expectConstantFeatureFinite(learner: Learner, params: Record<string, unknown>, dataset: DatasetName, taskOverride?: 'clustering'): void {
  const d = fitData(dataset, true);
  const task = taskOverride ?? d.task;
  const Xtr = withExtraColumn(d.Xtr, 3.7);
  const Xte = withExtraColumn(d.Xte, 3.7);
  const state = learner.fit({ X: Xtr, y: task === 'clustering' ? undefined : d.y, featureNames: [...d.train.featureNames, 'constant'], nClasses: d.nClasses }, learner.params.parse(params), { task, seed: 1 });
  const nums = numbersIn(state);
  expect(nums.length).toBeGreaterThan(0);
  expect(nums.filter((x) => Number.isNaN(x))).toEqual([]);
  const pred = learner.predict(state, Xte);
  expect(Array.from(pred.values).every(Number.isFinite)).toBe(true);
  if (pred.proba) expect(Array.from(pred.proba).every(Number.isFinite)).toBe(true);
}

/** An all-missing feature is refused with BAD_DATA naming the feature. */
export function expectAllNaNColumnRefused(learner: Learner, params: Record<string, unknown>, dataset: DatasetName, taskOverride?: 'clustering'): void {
  const d = fitData(dataset, true);
  const task = taskOverride ?? d.task;
  const Xtr = withExtraColumn(d.Xtr, NaN);
  let caught: unknown;
  try {
    learner.fit({ X: Xtr, y: task === 'clustering' ? undefined : d.y, featureNames: [...d.train.featureNames, 'empty_feature'], nClasses: d.nClasses }, learner.params.parse(params), { task, seed: 1 });
  } catch (e) {
    caught = e;
  }
  expect(isFlowlineError(caught)).toBe(true);
  const err = caught as { code: string; message: string; column?: string; hint?: string };
  expect(err.code).toBe('BAD_DATA');
  expect(err.column).toBe('empty_feature');
  expect(err.message).toContain('"empty_feature"');
  expect(err.message).toContain('all');
  expect(err.hint).toBeTruthy();
}

/** The bar: accuracy and ROC-AUC within 0.01, RMSE within 3%. */
export function expectClose(ours: ParityScores, theirs: ParityScores): void {
  const msg = `ours ${JSON.stringify(ours)} vs sklearn ${JSON.stringify(theirs)}`;
  console.log(`parity: ${expect.getState().currentTestName}: ${msg}`);
  if (theirs.rmse !== undefined) expect(Math.abs(ours.rmse! - theirs.rmse) / theirs.rmse, msg).toBeLessThanOrEqual(0.03);
  if (theirs.accuracy !== undefined) expect(Math.abs(ours.accuracy! - theirs.accuracy), msg).toBeLessThanOrEqual(0.01);
  if (theirs.roc_auc !== undefined) expect(Math.abs(ours.roc_auc! - theirs.roc_auc), msg).toBeLessThanOrEqual(0.01);
}
