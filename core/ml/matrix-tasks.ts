/**
 * The matrices learners are fitted on and predict from, built on the worker pool, never on a
 * host's event loop (replaying a recipe on 100k rows is CPU work): Train's (trainingMatrixTask:
 * read the rows, re-fit the recipe, the target and features), a fitted recipe replayed on a table
 * (recipeMatrixTask: Predict, Evaluate) or on rows the caller read (rowsMatrixTask: one chunk of a
 * streamed Predict), and frames packed to cross between threads cheaply. These tasks read the raw
 * rows themselves (DuckDB runs in worker threads too): the host sends a table reference, never
 * 100k rows to copy on its own thread. The target and feature helpers are training-data.ts.
 */
import { trainingReference } from './drift/reference.ts';
import type { TrainingReference } from '../spec/drift.ts';
import type { ColumnSelection } from '../spec/columns.ts';
import { canShare, isShared, sharedFloat64 } from '../data/shared-arrays.ts';
import { FlowlineError } from '../spec/errors.ts';
import { defineWorkerTask } from '../spec/worker-task.ts';
import type { ColumnSchema, ModelValue, RecipeStep, TableRef, Task } from '../spec/values.ts';
import { frameFingerprint, frameToMatrix, type Frame, type FrameColumn } from './frame.ts';
import { learnerByKind } from './learners/index.ts';
import type { Matrix } from './learners/types.ts';
import { applyRecipe } from './prep/fit.ts';
import { fitTransformRecipe, loadRawFrame, stepKind } from './recipe.ts';
import { autoPrepSteps, preparedFeatures, type AutoPrepOptions } from './auto-prep.ts';
import { balancedWeights, checkLearnerTask, chosenFeatures, featureColumns, inputColumnsOf, MODEL_SAMPLE_ROWS, prepareTarget, sampleRows, targetSource, type Target, type TaskChoice } from './training-data.ts';

export interface TrainingMatrixPayload {
  /** The training table; its recipe is re-fitted on its raw rows. */
  table: TableRef;
  target?: string;
  /** Already resolved for unsupervised learners (model.ts resolveTask). */
  choice: TaskChoice;
  learner: string;
  features?: ColumnSelection;
  classWeight?: 'none' | 'balanced';
  /** Train's automatic preparation (auto-prep.ts); absent = off. */
  autoPrep?: AutoPrepOptions;
  /** The Train node: the steps automatic preparation adds carry its id. */
  nodeId: string;
}

export interface TrainingMatrix {
  /** The recipe fitted on these rows. */
  steps: RecipeStep[];
  X: Matrix;
  target: Target;
  features: string[];
  sampleWeight?: Float64Array;
  /** ROW_ID of each row of X. */
  rowIds: Int32Array;
  /** frameFingerprint of the raw rows (ModelValue.trainedOn). */
  dataFingerprint: string;
  /** Raw columns the fitted recipe and features read (ModelValue.inputColumns). */
  inputColumns: ColumnSchema[];
  /** A few raw rows of those columns (ModelValue.sample). */
  sample: NonNullable<ModelValue['sample']>;
  /** Per-column summaries of those columns over every training row (ModelValue.reference). */
  reference: TrainingReference;
}

/**
 * The features after the recipe and, when it is on, after automatic preparation: its steps are
 * fitted on the same (training) rows and appended to the fitted recipe.
 */
function prepareFeatures(afterRecipe: Frame, recipe: RecipeStep[], p: TrainingMatrixPayload): { steps: RecipeStep[]; frame: Frame; features: string[] } {
  if (!p.autoPrep) return { steps: recipe, frame: afterRecipe, features: featureColumns(afterRecipe, p.target, p.features, p.table.columns) };
  const candidates = chosenFeatures(afterRecipe, p.target, p.features, p.table.columns);
  const auto = autoPrepSteps(p.nodeId, afterRecipe, candidates.filter((c) => c in afterRecipe.columns), p.autoPrep);
  const { steps, frame } = fitTransformRecipe(auto, afterRecipe);
  const lineage = (s: RecipeStep) => stepKind(s).lineage?.(s.params, s.state) ?? {};
  return { steps: [...recipe, ...steps], frame, features: featureColumns(frame, p.target, preparedFeatures(candidates, steps, lineage)) };
}

function checkAllMissing(X: Matrix, features: string[]): void {
  for (let j = 0; j < X.cols; j++) {
    let any = false;
    for (let i = 0; i < X.rows && !any; i++) any = !Number.isNaN(X.data[i * X.cols + j]);
    if (!any) {
      throw new FlowlineError({ code: 'BAD_DATA', column: features[j], message: `Feature "${features[j]}" is missing in every training row.`, hint: `Drop "${features[j]}" (Select Columns) or leave it out of the features list.` });
    }
  }
}

/** Read the training rows, re-fit the recipe on them and build what the learner is fitted on (Train). */
export const trainingMatrixTask = defineWorkerTask('ml.trainingMatrix', async (p: TrainingMatrixPayload): Promise<TrainingMatrix> => {
  const learner = learnerByKind(p.learner);
  const { frame: raw, rowIds } = await loadRawFrame(p.table);
  if (raw.rows === 0) throw new FlowlineError({ code: 'NO_ROWS', message: 'The training table has no rows.', hint: 'Check the filters and the split before Train.' });
  // fit + the training transform in one (target encoding gives its fitting rows out-of-fold values)
  const { steps: recipe, frame: afterRecipe } = fitTransformRecipe(p.table.recipe.steps, raw);
  const target: Target = p.target ? prepareTarget(targetSource(raw, afterRecipe, p.target), p.target, p.choice) : { task: p.choice as Task };
  checkLearnerTask(learner, target.task);
  const { steps, frame, features } = prepareFeatures(afterRecipe, recipe, p);
  // On shared memory: the fit's worker and the training predictions' workers read these bytes
  // where they are, instead of a copy each (1M rows × 20 features is 160 MB a copy).
  const X = frameToMatrix(frame, features, canShare() ? sharedFloat64(frame.rows * features.length) : undefined);
  checkAllMissing(X, features);
  const k = target.classes?.length;
  const sampleWeight = p.classWeight === 'balanced' && target.y && k ? balancedWeights(target.y, k) : undefined;
  const inputColumns = inputColumnsOf(p.table.recipe.base?.columns ?? p.table.columns, steps, features, p.target);
  const sample = sampleRows(raw, inputColumns.map((c) => c.name), MODEL_SAMPLE_ROWS);
  const reference = trainingReference(raw, inputColumns);
  return { steps, X, target, features, sampleWeight, rowIds, dataFingerprint: frameFingerprint(raw), inputColumns, sample, reference };
});

export interface RecipeMatrixPayload {
  table: TableRef;
  /** Raw columns to read (the model's inputs, and what the caller wants back). */
  columns: string[];
  /** A fitted recipe (a model's). */
  recipe: RecipeStep[];
  features: string[];
  /** Columns to return as the recipe left them, when a step made them (a target a step derives). */
  keep?: string[];
}

export interface RecipeMatrix {
  X: Matrix;
  rowIds: Int32Array;
  /** The raw rows read, text columns packed (unpackFrame). */
  raw: PackedFrame;
  /** The `keep` columns a recipe step made. */
  made: PackedFrame;
}

/** Read rows and replay a fitted recipe on them: the model's input matrix (Predict, Evaluate). */
export const recipeMatrixTask = defineWorkerTask('ml.recipeMatrix', async (p: RecipeMatrixPayload): Promise<RecipeMatrix> => {
  const { frame: raw, rowIds } = await loadRawFrame(p.table, p.columns);
  return { ...replayRecipe(raw, p.recipe, p.features, p.keep), rowIds, raw: packFrame(raw) };
});

/**
 * A fitted recipe replayed on rows the caller read (one chunk of a streamed Predict or Evaluate):
 * the model's input matrix, and the `keep` columns a step made.
 */
export const rowsMatrixTask = defineWorkerTask('ml.rowsMatrix', (p: { raw: PackedFrame; recipe: RecipeStep[]; features: string[]; keep?: string[]; into?: Float64Array }): RowsMatrix => {
  // Into the caller's array only where it is shared memory, so the host sees what is written.
  const into = p.into && isShared(p.into) ? p.into : undefined;
  const { X, made } = replayRecipe(unpackFrame(p.raw), p.recipe, p.features, p.keep, into);
  // Written into the caller's shared array: only its shape goes back (the host has the bytes already).
  if (into && X.data.buffer === into.buffer) return { rows: X.rows, cols: X.cols, made };
  return { X, rows: X.rows, cols: X.cols, made };
});

/** rowsMatrixTask's answer: the matrix, or only its shape when it was written into `into`. */
export interface RowsMatrix {
  X?: Matrix;
  rows: number;
  cols: number;
  made: PackedFrame;
}

function replayRecipe(raw: Frame, recipe: RecipeStep[], features: string[], keep: string[] = [], into?: Float64Array): { X: Matrix; made: PackedFrame } {
  const frame = applyRecipe(recipe, raw);
  const made: Frame = { rows: frame.rows, columns: {}, types: {} };
  for (const name of keep) {
    if (name in raw.columns || !(name in frame.columns)) continue;
    made.columns[name] = frame.columns[name] as FrameColumn;
    made.types[name] = frame.types[name];
  }
  return { X: frameToMatrix(frame, features, into), made: packFrame(made) };
}

/**
 * A frame as it crosses between threads cheaply: text columns as codes into their distinct values
 * (a typed array moves for free; 100k strings would be copied one by one on the receiving thread).
 */
export interface PackedFrame {
  rows: number;
  types: Frame['types'];
  numeric: Record<string, Float64Array>;
  text: Record<string, { codes: Int32Array; values: string[] }>;
}

export function packFrame(frame: Frame): PackedFrame {
  const packed: PackedFrame = { rows: frame.rows, types: frame.types, numeric: {}, text: {} };
  for (const [name, col] of Object.entries(frame.columns)) {
    if (col instanceof Float64Array) {
      packed.numeric[name] = col;
      continue;
    }
    const index = new Map<string, number>();
    const values: string[] = [];
    const codes = new Int32Array(col.length);
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (v === null) {
        codes[i] = -1;
        continue;
      }
      let c = index.get(v);
      if (c === undefined) index.set(v, (c = values.push(v) - 1));
      codes[i] = c;
    }
    packed.text[name] = { codes, values };
  }
  return packed;
}

export function unpackFrame(packed: PackedFrame): Frame {
  const frame: Frame = { rows: packed.rows, columns: {}, types: packed.types };
  for (const name of Object.keys(packed.types)) {
    if (name in packed.numeric) frame.columns[name] = packed.numeric[name];
    else if (name in packed.text) {
      const { codes, values } = packed.text[name];
      // Written by index into an array of its length: Array.from(codes, fn) took 5× as long
      // (a streamed Predict's worker spent 1.3 s of 3.1 s here on 4M rows × 2 text columns).
      const column = new Array<string | null>(codes.length);
      for (let i = 0; i < codes.length; i++) column[i] = codes[i] < 0 ? null : values[codes[i]];
      frame.columns[name] = column;
    }
  }
  return frame;
}
