/**
 * K-fold assignment for cross-validation, tuning and model comparison. Seeded; stratified for
 * classification (every fold holds each class in the same proportion as the whole table, ±1 row).
 * The folds say which rows a recipe and a learner may see: see model.ts `prepareFolds`, which
 * re-fits the recipe inside every fold on that fold's training rows only.
 */
import type { ColumnSelection } from '../spec/columns.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { RunContext } from '../spec/context.ts';
import type { RecipeStep, ResultTable, TableRef, Task } from '../spec/values.ts';
import type { Matrix, Prediction } from './learners/types.ts';
import { scoreClassification, scoreRegression, type ClassificationTask } from './metrics.ts';
import { balancedWeights, checkRecipeLeavesTarget, featureColumns, prepareTarget, type TaskChoice } from './model.ts';
import { Rng, deriveSeed } from '../spec/random.ts';
import { fitTransformRecipe, frameToMatrix, loadRawFrame } from './recipe.ts';
import { fitPredictTask, type FitPayload } from './tasks.ts';

export interface Fold {
  train: Uint32Array;
  test: Uint32Array;
}

function toFolds(assign: Int32Array, k: number): Fold[] {
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [], test: number[] = [];
    for (let i = 0; i < assign.length; i++) (assign[i] === f ? test : train).push(i);
    folds.push({ train: Uint32Array.from(train), test: Uint32Array.from(test) });
  }
  return folds;
}

function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) {
    throw new FlowlineError({ code: 'INVALID_PARAM', path: ['folds'], message: `Cross-validation needs at least 2 folds (got ${k}).`, hint: 'Set folds to 2 or more; 5 is usual.' });
  }
  if (n < k) {
    throw new FlowlineError({ code: 'NO_ROWS', message: `Cross-validation with ${k} folds needs at least ${k} rows; the table has ${n}.`, hint: 'Use fewer folds or a larger table.' });
  }
}

/** Rows shuffled with the seed, then dealt into k folds of equal size (±1). */
export function kFold(n: number, k: number, seed: number): Fold[] {
  checkK(n, k);
  const order = new Rng(seed).permutation(n);
  const assign = new Int32Array(n);
  for (let i = 0; i < n; i++) assign[order[i]] = i % k;
  return toFolds(assign, k);
}

/**
 * Stratified k-fold: rows of each class shuffled with the seed and laid end to end, class by
 * class, then dealt round-robin; each fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c.
 * `y` holds class indices 0..nClasses-1.
 */
export function stratifiedKFold(y: ArrayLike<number>, nClasses: number, k: number, seed: number, classNames?: (string | number)[]): Fold[] {
  const n = y.length;
  checkK(n, k);
  const byClass: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < n; i++) byClass[y[i]].push(i);
  const perFold = Math.floor(n / k);
  const present = byClass.filter((rows) => rows.length > 0).length;
  if (present > perFold) {
    throw new FlowlineError({
      code: 'BAD_TARGET',
      message: `The target has ${present} classes but each of the ${k} folds holds only about ${perFold} rows, fewer than the number of classes.`,
      hint: 'Use fewer folds, more rows, or — if the target is really a number — set task to regression.',
    });
  }
  for (let c = 0; c < nClasses; c++) {
    if (byClass[c].length === 1) {
      const name = classNames ? `'${classNames[c]}'` : `${c}`;
      throw new FlowlineError({
        code: 'BAD_TARGET',
        message: `Class ${name} has a single row, so some fold would train without it.`,
        hint: 'Remove or merge that class (Filter Rows / Replace Values), or collect more rows of it.',
      });
    }
  }
  const rng = new Rng(seed);
  const assign = new Int32Array(n);
  let pos = 0;
  for (const rows of byClass) {
    rng.shuffle(rows);
    for (const r of rows) assign[r] = pos++ % k;
  }
  return toFolds(assign, k);
}

// ---------------------------------------------------------------- folds with their own recipe

export interface FoldData {
  index: number;
  features: string[];
  train: Matrix;
  trainY?: Float64Array;
  trainWeight?: Float64Array;
  test: Matrix;
  /** Class indices or numbers of the held-out rows. */
  testY: Float64Array;
  testRowIds: Float64Array;
  /** The recipe as re-fitted on this fold's training rows (tests read it to prove no leakage). */
  recipe: RecipeStep[];
}

export interface PreparedCv {
  task: Task;
  classes?: (string | number)[];
  target: string;
  folds: FoldData[];
  rows: number;
}

export interface CvSpec {
  target: string;
  task: TaskChoice;
  features?: ColumnSelection;
  folds: number;
  classWeight?: 'none' | 'balanced';
}

function rowsOf(X: Matrix, idx: Uint32Array): Matrix {
  const p = X.cols;
  const data = new Float64Array(idx.length * p);
  for (let i = 0; i < idx.length; i++) data.set(X.data.subarray(idx[i] * p, idx[i] * p + p), i * p);
  return { data, rows: idx.length, cols: p };
}

/**
 * Read the table's raw rows once, assign folds, and for every fold re-fit the recipe on that
 * fold's training rows only, then turn both sides into matrices. Tuning and Compare reuse the
 * result for every trial and learner: the recipe does not depend on the learner's params.
 */
export async function prepareFolds(ctx: RunContext, table: TableRef, spec: CvSpec): Promise<PreparedCv> {
  if (table.rowCount === 0) throw new FlowlineError({ code: 'NO_ROWS', message: 'The table has no rows to cross-validate.', hint: 'Check the filters before this node.' });
  checkRecipeLeavesTarget(table.recipe.steps, spec.target);
  const { frame: raw, rowIds } = await loadRawFrame(table);
  // the target is read from the raw rows (see model.ts targetSource); one made by a step is read
  // after replaying the recipe on all rows
  const targetFrame = spec.target in raw.columns ? raw : fitTransformRecipe(table.recipe.steps, raw).frame;
  const target = prepareTarget(targetFrame, spec.target, spec.task);
  if (target.task !== 'binary' && target.task !== 'multiclass' && target.task !== 'regression') {
    throw new FlowlineError({ code: 'INVALID_PARAM', path: ['task'], message: `Cross-validation scores supervised tasks only (not ${target.task}).`, hint: 'Pick a target and a classification or regression task.' });
  }
  const y = target.y!;
  const k = target.classes?.length ?? 0;
  const seed = deriveSeed(ctx.seed, 'folds');
  const assignment = target.classes ? stratifiedKFold(y, k, spec.folds, seed, target.classes) : kFold(raw.rows, spec.folds, seed);
  const folds: FoldData[] = [];
  for (const [index, f] of assignment.entries()) {
    ctx.throwIfCancelled();
    // fitted on the fold's training rows only; held-out rows are transformed, never learned from
    const { steps: recipe, frame } = fitTransformRecipe(table.recipe.steps, raw, f.train);
    const features = featureColumns(frame, spec.target, spec.features);
    const X = frameToMatrix(frame, features);
    const trainY = Float64Array.from(f.train, (i) => y[i]);
    folds.push({
      index,
      features,
      train: rowsOf(X, f.train),
      trainY,
      trainWeight: spec.classWeight === 'balanced' && k ? balancedWeights(trainY, k) : undefined,
      test: rowsOf(X, f.test),
      testY: Float64Array.from(f.test, (i) => y[i]),
      testRowIds: Float64Array.from(f.test, (i) => rowIds[i]),
      recipe,
    });
  }
  return { task: target.task, classes: target.classes, target: spec.target, folds, rows: raw.rows };
}

export interface FoldScore {
  fold: number;
  values: Record<string, number>;
  notes: string[];
  prediction: Prediction;
}

/** Fit one learner on every fold (in workers, `concurrency` folds at a time) and score its held-out rows. */
export async function scoreFolds(
  ctx: RunContext,
  cv: PreparedCv,
  learner: { kind: string; params: Record<string, unknown> },
  options: { seedLabel?: string; concurrency?: number; onFold?: (done: number) => void } = {},
): Promise<FoldScore[]> {
  const k = cv.classes?.length;
  let done = 0;
  return mapLimit(cv.folds, options.concurrency ?? 1, async (fold) => {
    ctx.throwIfCancelled();
    const payload: FitPayload & { test: Matrix } = {
      kind: learner.kind,
      params: learner.params,
      task: cv.task,
      seed: deriveSeed(ctx.seed, `${options.seedLabel ?? 'cv'}:fold${fold.index}`),
      X: fold.train,
      y: fold.trainY,
      sampleWeight: fold.trainWeight,
      nClasses: k,
      featureNames: fold.features,
      test: fold.test,
    };
    const prediction = await ctx.runInWorker(fitPredictTask, payload);
    const s = cv.classes ? scoreClassification(cv.task as ClassificationTask, fold.testY, prediction.values, k!, prediction.proba) : scoreRegression(fold.testY, prediction.values);
    options.onFold?.(++done);
    return { fold: fold.index, values: s.values, notes: s.notes, prediction };
  });
}

/** Mean and (population, as numpy's default) standard deviation of every metric across folds. */
export function summarizeFolds(scores: FoldScore[]): { mean: Record<string, number>; std: Record<string, number> } {
  const mean: Record<string, number> = {}, std: Record<string, number> = {};
  const names = Object.keys(scores[0]?.values ?? {}).filter((m) => scores.every((s) => m in s.values));
  for (const m of names) {
    const v = scores.map((s) => s.values[m]);
    const mu = v.reduce((a, b) => a + b, 0) / v.length;
    mean[m] = mu;
    std[m] = Math.sqrt(v.reduce((a, b) => a + (b - mu) ** 2, 0) / v.length);
  }
  return { mean, std };
}

/** Run `fn` over `items`, at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Out-of-fold predictions of every row, gathered from the folds (for charts over all rows). */
export function outOfFold(cv: PreparedCv, scores: FoldScore[]): { yTrue: Float64Array; prediction: Prediction; rowIds: Float64Array } {
  const k = cv.classes?.length ?? 0;
  const n = cv.folds.reduce((a, f) => a + f.testY.length, 0);
  const yTrue = new Float64Array(n), values = new Float64Array(n), rowIds = new Float64Array(n);
  const withProba = k > 0 && scores.every((s) => s.prediction.proba);
  const proba = withProba ? new Float64Array(n * k) : undefined;
  let at = 0;
  cv.folds.forEach((f, i) => {
    yTrue.set(f.testY, at);
    values.set(scores[i].prediction.values, at);
    rowIds.set(f.testRowIds, at);
    if (proba) proba.set(scores[i].prediction.proba!, at * k);
    at += f.testY.length;
  });
  return { yTrue, prediction: { values, proba }, rowIds };
}

/** The per-fold ResultTable. */
export function foldTable(scores: FoldScore[], id = 'folds', title = 'Scores per fold'): ResultTable {
  const names = Object.keys(scores[0]?.values ?? {});
  return { id, title, columns: ['fold', ...names], rows: scores.map((s) => [s.fold + 1, ...names.map((m) => (m in s.values ? Math.round(s.values[m] * 1e6) / 1e6 : null))]) };
}
