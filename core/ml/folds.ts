/**
 * K-fold assignment for cross-validation, tuning and model comparison. Seeded; stratified for
 * classification (every fold holds each class in the same proportion as the whole table, ±1 row).
 * The folds say which rows a recipe and a learner may see: foldsTask re-fits the recipe inside
 * every fold on that fold's training rows only, on a worker (cv.ts prepareFolds sends it there).
 */
import type { ColumnSelection } from '../spec/columns.ts';
import { FlowlineError } from '../spec/errors.ts';
import { Rng } from '../spec/random.ts';
import type { RecipeStep, TableRef, Task } from '../spec/values.ts';
import { defineWorkerTask } from '../spec/worker-task.ts';
import { frameToMatrix } from './frame.ts';
import type { Matrix } from './learners/types.ts';
import { fitTransformRecipe, loadRawFrame } from './recipe.ts';
import { balancedWeights, featureColumns, prepareTarget, type TaskChoice } from './training-data.ts';

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

/**
 * The rows `idx` of X, in shared memory: every fit of this fold (one per tuning trial, per
 * compared learner) hands the same matrix to a worker, and shared memory crosses for free where
 * a plain buffer would be copied on the host's thread each time. Only fold matrices are shared:
 * nothing made from them is stored (a model's state, a cache entry cannot hold shared memory).
 */
function rowsOf(X: Matrix, idx: Uint32Array): Matrix {
  const p = X.cols;
  const data = new Float64Array(new SharedArrayBuffer(idx.length * p * Float64Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < idx.length; i++) data.set(X.data.subarray(idx[i] * p, idx[i] * p + p), i * p);
  return { data, rows: idx.length, cols: p };
}

export interface FoldsPayload {
  /** The table: its raw rows are read here, its recipe re-fitted per fold. */
  table: TableRef;
  spec: CvSpec;
  /** Seed of the fold assignment. */
  seed: number;
  /** Only these folds' data (a worker prepares some folds, another the others); default all. */
  only?: number[];
}

/**
 * Read the rows, assign folds and build the matrices of the folds in `only`: the target and the
 * assignment are recomputed by every worker (cheap, seeded, identical); the re-fits are the CPU work.
 */
export const foldsTask = defineWorkerTask('ml.prepareFolds', async (p: FoldsPayload): Promise<PreparedCv> => {
  const { spec } = p;
  const steps = p.table.recipe.steps;
  const { frame: raw, rowIds } = await loadRawFrame(p.table);
  // the target is read from the raw rows (see training-data.ts targetSource); one made by a step
  // is read after replaying the recipe on all rows
  const targetFrame = spec.target in raw.columns ? raw : fitTransformRecipe(steps, raw).frame;
  const target = prepareTarget(targetFrame, spec.target, spec.task);
  if (target.task !== 'binary' && target.task !== 'multiclass' && target.task !== 'regression') {
    throw new FlowlineError({ code: 'INVALID_PARAM', path: ['task'], message: `Cross-validation scores supervised tasks only (not ${target.task}).`, hint: 'Pick a target and a classification or regression task.' });
  }
  const y = target.y!;
  const k = target.classes?.length ?? 0;
  const assignment = target.classes ? stratifiedKFold(y, k, spec.folds, p.seed, target.classes) : kFold(raw.rows, spec.folds, p.seed);
  const folds: FoldData[] = [];
  for (const [index, f] of assignment.entries()) {
    if (p.only && !p.only.includes(index)) continue;
    // fitted on the fold's training rows only; held-out rows are transformed, never learned from
    const { steps: recipe, frame } = fitTransformRecipe(steps, raw, f.train);
    const features = featureColumns(frame, spec.target, spec.features, p.table.columns);
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
});
