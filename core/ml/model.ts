/**
 * From a training table to a ModelValue, and from a ModelValue + table to predictions.
 *
 * Leakage-safe by construction (DESIGN.md §3): the table's raw rows are re-read from its recipe
 * base, every recipe step is re-fitted on the training rows only, and the fitted recipe travels
 * inside the model, so Predict / Evaluate replay exactly what Train learned on any table.
 */
import { availableParallelism } from 'node:os';
import { isSelector, resolveColumns, type ColumnSelection } from '../spec/columns.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { RunContext } from '../spec/context.ts';
import { ROW_ID, type ColumnSchema, type ModelValue, type RecipeStep, type TableRef, type Task } from '../spec/values.ts';
import { frameFingerprint, type Frame } from './frame.ts';
import { learnerByKind } from './learners/index.ts';
import type { Learner, Matrix, Prediction } from './learners/types.ts';
import { deriveSeed } from '../spec/random.ts';
import { applyRecipe, fitTransformRecipe, frameToMatrix, loadRawFrame } from './recipe.ts';
import { fitLearnerTask, fitUnitRangeTask, predictLearnerTask, prepareUnitFitTask, type FitPayload, type UnitRangeJob } from './tasks.ts';

export type TaskChoice = 'auto' | Task;
export const TASK_CHOICES = ['auto', 'binary', 'multiclass', 'regression', 'clustering', 'anomaly'] as const;

export interface TrainSpec {
  /** Target column; absent for clustering and anomaly detection. */
  target?: string;
  task: TaskChoice;
  learner: string;
  /** The learner's settings, as the node's params schema checked them (defaults filled in when left out). */
  learnerParams: Record<string, unknown>;
  /** Columns (after the recipe) the estimator sees, or a selector; default: every column but the target. */
  features?: ColumnSelection;
  classWeight?: 'none' | 'balanced';
}

/** A target column turned into what learners take: class indices, or numbers for regression. */
export interface Target {
  task: Task;
  classes?: (string | number)[];
  y?: Float64Array;
}

const MAX_INTEGER_CLASSES = 20;

// ---------------------------------------------------------------- target and task

function sortClasses(values: (string | number)[]): (string | number)[] {
  return typeof values[0] === 'number' ? [...values].sort((a, b) => (a as number) - (b as number)) : [...values].map(String).sort();
}

/**
 * Read the target and decide the task. Auto: text or boolean, or a whole-number column with at
 * most 20 distinct values → classification (binary with 2 classes); other numbers → regression.
 */
export function prepareTarget(frame: Frame, target: string, choice: TaskChoice, rowIndex?: ArrayLike<number>): Target {
  const col = frame.columns[target];
  if (!col) {
    throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: target, message: `The target column "${target}" is not in the table.`, hint: 'Pick the target column again on the Train node.' });
  }
  const type = frame.types[target];
  const idx = rowIndex ? Array.from(rowIndex) : Array.from({ length: frame.rows }, (_, i) => i);
  const numeric = col instanceof Float64Array;
  const raw: (string | number | null)[] = idx.map((i) => {
    const v = col[i];
    if (numeric) return Number.isNaN(v as number) ? null : type === 'boolean' ? ((v as number) ? 'true' : 'false') : (v as number);
    return v as string | null;
  });
  const missing = raw.filter((v) => v === null).length;
  if (missing > 0) {
    throw new FlowlineError({
      code: 'BAD_TARGET',
      column: target,
      message: `The target "${target}" is missing in ${missing} of ${raw.length} rows.`,
      hint: `Drop those rows first (Filter Rows: ${target} IS NOT NULL), or fill them in.`,
    });
  }
  const distinct = [...new Set(raw as (string | number)[])];
  let task: Task;
  if (choice === 'auto') {
    const textLike = !numeric || type === 'boolean';
    const fewIntegers = numeric && distinct.length <= MAX_INTEGER_CLASSES && distinct.every((v) => Number.isInteger(v));
    task = textLike || fewIntegers ? (distinct.length <= 2 ? 'binary' : 'multiclass') : 'regression';
  } else task = choice;

  if (task === 'regression') {
    if (!numeric || type === 'boolean') {
      throw new FlowlineError({
        code: 'COLUMN_TYPE',
        column: target,
        message: `Regression needs a numeric target, but "${target}" holds text (e.g. "${distinct[0]}").`,
        hint: 'Set task to classification (binary or multiclass), or convert the column to numbers with Change Type.',
      });
    }
    return { task, y: Float64Array.from(raw as number[]) };
  }
  if (task === 'binary' || task === 'multiclass') {
    if (distinct.length < 2) {
      throw new FlowlineError({
        code: 'BAD_TARGET',
        column: target,
        message: `The target "${target}" has a single class ("${distinct[0]}") in the ${raw.length} training rows; there is nothing to learn.`,
        hint: 'Check the target column, and any filter or split before Train.',
      });
    }
    if (task === 'binary' && distinct.length > 2) {
      throw new FlowlineError({ code: 'BAD_TARGET', column: target, message: `Task is binary, but the target "${target}" has ${distinct.length} classes.`, hint: 'Set task to multiclass (or auto).' });
    }
    const classes = sortClasses(distinct);
    const index = new Map(classes.map((c, i) => [c, i]));
    return { task, classes, y: Float64Array.from(raw, (v) => index.get(v as string | number)!) };
  }
  return { task };
}

/** Class indices of `frame`'s target with a model's classes; unseen labels are -1. */
export function encodeTarget(frame: Frame, target: string, classes: (string | number)[]): Int32Array {
  const col = frame.columns[target];
  const index = new Map(classes.map((c, i) => [c, i]));
  const boolean = frame.types[target] === 'boolean';
  return Int32Array.from({ length: frame.rows }, (_, i) => {
    const v = col[i];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) return -1;
    const key = boolean ? (v ? 'true' : 'false') : typeof classes[0] === 'number' ? Number(v) : String(v);
    return index.get(key) ?? -1;
  });
}

function resolveTask(learner: Learner, spec: TrainSpec): TaskChoice {
  if (spec.task !== 'auto' || spec.target) return spec.task;
  const unsupervised = learner.tasks.find((t) => t === 'clustering' || t === 'anomaly');
  if (unsupervised) return unsupervised;
  throw new FlowlineError({ code: 'INVALID_PARAM', path: ['target'], message: `${learner.title} needs a target column.`, hint: 'Pick the column to predict as the target.' });
}

function checkLearnerTask(learner: Learner, task: Task): void {
  if (learner.tasks.includes(task)) return;
  throw new FlowlineError({
    code: 'INVALID_PARAM',
    path: ['learner'],
    message: `${learner.title} cannot do ${task}; it does ${learner.tasks.join(', ')}.`,
    hint: `Pick a learner that supports ${task}, or change the task.`,
  });
}

/**
 * Where the target is read: the raw rows, as scikit-learn's Pipeline leaves y alone even when a
 * feature step lists the target column; the transformed frame only when a step created it.
 */
export function targetSource(raw: Frame, transformed: Frame, target: string): Frame {
  return target in raw.columns ? raw : transformed;
}

/**
 * Feature steps must leave the target alone: a step that transforms it (Scale or Encode with the
 * target among its columns) would leak the answer into features (one-hot of the label) and make
 * the model need the target to predict. Supervised steps that only *read* it (target encoding,
 * k-best selection) do not list it among their inputs and are fine.
 */
export function checkRecipeLeavesTarget(steps: RecipeStep[], target: string): void {
  const step = steps.find((s) => s.inputs.includes(target));
  if (!step) return;
  throw new FlowlineError({
    code: 'BAD_TARGET',
    column: target,
    message: `The feature step in node '${step.nodeId}' (${step.kind}) transforms the target "${target}". Feature steps must not touch the target: it would leak the answer into the features.`,
    hint: step.selectors?.columns ? `Add "${target}" to the "except" list of node '${step.nodeId}''s column selector.` : `Remove "${target}" from the columns of node '${step.nodeId}'.`,
  });
}

// ---------------------------------------------------------------- features and inputs

/**
 * The estimator's columns: the chosen list, or what a selector picks ("all numeric") among the
 * columns after the recipe but the target, or every column but the target and ROW_ID.
 */
export function featureColumns(frame: Frame, target: string | undefined, chosen?: ColumnSelection): string[] {
  const all = Object.keys(frame.columns).filter((c) => c !== target && c !== ROW_ID);
  const features = isSelector(chosen) ? resolveColumns(chosen, all.map((name) => ({ name, type: frame.types[name] }))) : chosen?.length ? chosen : all;
  for (const f of features) {
    if (!(f in frame.columns)) {
      throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: f, message: `Feature "${f}" is not a column after the recipe.`, hint: `Columns are: ${Object.keys(frame.columns).filter((c) => c !== ROW_ID).join(', ')}.` });
    }
    if (f === target) throw new FlowlineError({ code: 'INVALID_PARAM', path: ['features'], column: f, message: `The target "${f}" cannot also be a feature.`, hint: 'Remove it from the features list.' });
    if (!(frame.columns[f] instanceof Float64Array)) {
      throw new FlowlineError({
        code: 'COLUMN_TYPE',
        column: f,
        message: `Feature "${f}" holds text; the learner needs numbers.`,
        hint: `Add an Encode Categories step (one-hot or ordinal) for "${f}" before Train, or leave it out of the features list.`,
      });
    }
  }
  if (features.length === 0) throw new FlowlineError({ code: 'BAD_DATA', message: 'There are no feature columns to train on.', hint: 'The table needs at least one column besides the target.' });
  return features;
}

/** Raw columns the fitted recipe + features depend on (walking the recipe backwards). */
export function inputColumnsOf(base: ColumnSchema[], steps: RecipeStep[], features: string[], target?: string): ColumnSchema[] {
  const needed = new Set(features);
  for (let s = steps.length - 1; s >= 0; s--) {
    if (steps[s].outputs.some((o) => needed.has(o))) for (const i of steps[s].inputs) needed.add(i);
  }
  return base.filter((c) => needed.has(c.name) && c.name !== target && c.name !== ROW_ID);
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

/** "balanced" class weights as sample weights: n / (k · count of the row's class), as sklearn. */
export function balancedWeights(y: Float64Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (const c of y) counts[c]++;
  return Float64Array.from(y, (c) => y.length / (k * counts[c]));
}

// ---------------------------------------------------------------- train

export interface TrainResult {
  model: ModelValue;
  /** Predictions on the training rows, and their targets (for training metrics). */
  trainPrediction: Prediction;
  target: Target;
  rowIds: ArrayLike<number>;
}

export async function trainModel(ctx: RunContext, table: TableRef, spec: TrainSpec): Promise<TrainResult> {
  const learner = learnerByKind(spec.learner);
  const params = learner.params.parse(spec.learnerParams) as Record<string, unknown>;
  const choice = resolveTask(learner, spec);
  if (table.rowCount === 0) throw new FlowlineError({ code: 'NO_ROWS', message: 'The training table has no rows.', hint: 'Check the filters and the split before Train.' });

  if (spec.target) checkRecipeLeavesTarget(table.recipe.steps, spec.target);
  const { frame: raw, rowIds, base } = await readRaw(table);
  if (raw.rows === 0) throw new FlowlineError({ code: 'NO_ROWS', message: 'The training table has no rows.', hint: 'Check the filters and the split before Train.' });
  ctx.throwIfCancelled();
  // fit + the training transform in one (target encoding gives its fitting rows out-of-fold values)
  const { steps: fitted, frame } = fitTransformRecipe(table.recipe.steps, raw);
  const target: Target = spec.target ? prepareTarget(targetSource(raw, frame, spec.target), spec.target, choice) : { task: choice as Task };
  checkLearnerTask(learner, target.task);
  const features = featureColumns(frame, spec.target, spec.features);
  const X = frameToMatrix(frame, features);
  checkAllMissing(X, features);

  const k = target.classes?.length;
  const payload: FitPayload = {
    kind: learner.kind,
    params,
    task: target.task,
    seed: deriveSeed(ctx.seed, 'fit'),
    X,
    y: target.y,
    nClasses: k,
    sampleWeight: spec.classWeight === 'balanced' && target.y && k ? balancedWeights(target.y, k) : undefined,
    featureNames: features,
    // The one fit of this node: it may use every core (a forest spreads its trees instead).
    threads: FIT_THREADS,
  };
  ctx.progress(0.05, `fitting ${learner.title} on ${X.rows} rows × ${X.cols} features`);
  const state = await fitInWorkers(ctx, learner, payload);
  const trainPrediction = await predictInWorkers(ctx, learner.kind, state, X);

  const inputColumns = inputColumnsOf(base, fitted, features, spec.target);
  const model: ModelValue = {
    kind: 'model',
    task: target.task,
    target: spec.target ?? null,
    classes: target.classes,
    inputColumns,
    recipe: fitted,
    features,
    estimator: { kind: learner.kind, params, state },
    trainedOn: { nodeId: ctx.nodeId, rows: X.rows, dataFingerprint: frameFingerprint(raw) },
    sample: sampleRows(raw, inputColumns.map((c) => c.name), MODEL_SAMPLE_ROWS),
  };
  return { model, trainPrediction, target, rowIds };
}

/** Raw training rows a model keeps (ModelValue.sample). */
export const MODEL_SAMPLE_ROWS = 64;

/** Up to `max` evenly spaced rows of `columns`, copied: a model's sample of its raw inputs. */
export function sampleRows(frame: Frame, columns: string[], max: number): NonNullable<ModelValue['sample']> {
  const n = Math.min(frame.rows, max);
  const index = Array.from({ length: n }, (_, i) => Math.floor((i * frame.rows) / n));
  const out: NonNullable<ModelValue['sample']> = { rows: n, columns: {}, types: {} };
  for (const name of columns) {
    const col = frame.columns[name];
    out.columns[name] = col instanceof Float64Array ? Float64Array.from(index, (i) => col[i]) : index.map((i) => col[i]);
    out.types[name] = frame.types[name];
  }
  return out;
}

/** Most worker threads one fit spreads over (the pool queues what it cannot run at once). */
export const FIT_THREADS = Math.max(1, Math.min(availableParallelism(), 8));

/**
 * The learner's fit off the main thread: one worker task, or, for a learner made of independent
 * units (a forest's trees), a prepare task then contiguous ranges of units on up to FIT_THREADS
 * workers at once, assembled in unit order: the same state as one task, bit for bit.
 */
export async function fitInWorkers(ctx: Pick<RunContext, 'runInWorker'>, learner: Learner, payload: FitPayload, threads = FIT_THREADS): Promise<unknown> {
  if (!learner.unitFit) return ctx.runInWorker(fitLearnerTask, payload);
  const { shared, units } = await ctx.runInWorker(prepareUnitFitTask, payload);
  const parts = Math.max(1, Math.min(threads, units));
  const done = new SharedArrayBuffer(4);
  const ranges = Array.from({ length: parts }, (_, i) => [Math.floor((i * units) / parts), Math.floor(((i + 1) * units) / parts)]);
  const pieces = await Promise.all(
    ranges.map(([from, to]) => {
      const job: UnitRangeJob = { kind: learner.kind, shared, from, to, units, done };
      return ctx.runInWorker(fitUnitRangeTask, job);
    }),
  );
  return learner.unitFit.assemble(shared, pieces.flat());
}

/** The table's raw rows (before its row-wise steps), and the raw schema. */
async function readRaw(table: TableRef, columns?: string[]): Promise<{ frame: Frame; rowIds: ArrayLike<number>; base: ColumnSchema[] }> {
  const { frame, rowIds } = await loadRawFrame(table, columns);
  const base = table.recipe.base?.columns ?? table.columns;
  return { frame, rowIds, base };
}

// ---------------------------------------------------------------- predict

export interface TablePrediction {
  rowIds: ArrayLike<number>;
  prediction: Prediction;
  /** The table with the model's recipe applied. */
  frame: Frame;
  /** The raw rows the recipe was applied to (holds the target when the table has it). */
  raw: Frame;
}

/** Predictions for every row of `table`, in the table's row order, through the train-fitted recipe. */
/** The names of `table`'s raw columns; a COLUMN_NOT_FOUND naming them when it lacks one the model reads. */
export function requireInputColumns(model: ModelValue, table: TableRef): Set<string> {
  const base = table.recipe.base?.columns ?? table.columns;
  const have = new Set(base.map((c) => c.name));
  const lacking = model.inputColumns.filter((c) => !have.has(c.name)).map((c) => c.name);
  if (lacking.length) {
    throw new FlowlineError({
      code: 'COLUMN_NOT_FOUND',
      column: lacking[0],
      message: `The model reads column${lacking.length > 1 ? 's' : ''} ${lacking.map((c) => `"${c}"`).join(', ')}, which this table does not have.`,
      hint: 'Connect a table with the same columns the model was trained on.',
    });
  }
  return have;
}

export async function predictTable(ctx: RunContext, model: ModelValue, table: TableRef, extraColumns: string[] = []): Promise<TablePrediction> {
  const have = requireInputColumns(model, table);
  const wanted = [...new Set([...model.inputColumns.map((c) => c.name), ...extraColumns.filter((c) => have.has(c))])];
  const { frame: raw, rowIds } = await loadRawFrame(table, wanted);
  const frame = applyRecipe(model.recipe, raw);
  const X = frameToMatrix(frame, model.features);
  const prediction = await predictInWorkers(ctx, model.estimator.kind, model.estimator.state, X);
  return { rowIds, prediction, frame, raw };
}

/** Rows from which a prediction is split over several workers (below, one worker is quicker). */
const PARALLEL_PREDICT_ROWS = 20_000;

/**
 * A fitted state's predictions off the main thread: large batches as contiguous row ranges on up
 * to FIT_THREADS workers at once, joined in row order. Every learner predicts each row on its own,
 * so the numbers are those of one predict call, bit for bit.
 */
export async function predictInWorkers(ctx: Pick<RunContext, 'runInWorker'>, kind: string, state: unknown, X: Matrix, threads = FIT_THREADS): Promise<Prediction> {
  const parts = Math.max(1, Math.min(threads, Math.floor(X.rows / (PARALLEL_PREDICT_ROWS / 2))));
  if (parts === 1) return ctx.runInWorker(predictLearnerTask, { kind, state, X });
  const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.floor((i * X.rows) / parts));
  const pieces = await Promise.all(
    bounds.slice(1).map((to, i) => {
      const from = bounds[i];
      // A copy, not a view: a view would carry the whole matrix to every worker.
      const part: Matrix = { data: X.data.slice(from * X.cols, to * X.cols), rows: to - from, cols: X.cols };
      return ctx.runInWorker(predictLearnerTask, { kind, state, X: part });
    }),
  );
  const join = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    arrays.reduce((at, a) => (out.set(a, at), at + a.length), 0);
    return out;
  };
  const prediction: Prediction = { values: join(pieces.map((p) => p.values)) };
  if (pieces.every((p) => p.proba)) prediction.proba = join(pieces.map((p) => p.proba!));
  return prediction;
}

/** Predicted labels (class names for classifiers). */
export function predictedLabels(model: ModelValue, p: Prediction): (string | number)[] {
  return model.classes ? Array.from(p.values, (v) => model.classes![v]) : Array.from(p.values);
}

/**
 * Output columns of Predict, in ascending ROW_ID order (what writeColumns expects): `prediction`
 * (class label, number, cluster id or anomaly score) and `proba_<class>` per class.
 */
export function predictionColumns(model: ModelValue, p: TablePrediction, options: { probabilities?: boolean } = {}): Record<string, Float64Array | (string | null)[]> {
  const n = p.rowIds.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p.rowIds[a] - p.rowIds[b]);
  const values = p.prediction.values;
  const out: Record<string, Float64Array | (string | null)[]> = {};
  const classes = model.classes;
  if (classes && typeof classes[0] !== 'number') out.prediction = order.map((i) => String(classes[values[i]]));
  else if (classes) out.prediction = Float64Array.from(order, (i) => classes[values[i]] as number);
  else out.prediction = Float64Array.from(order, (i) => values[i]);
  const proba = p.prediction.proba;
  if (classes && proba && options.probabilities !== false) {
    const k = classes.length;
    probaColumnNames(classes, Object.keys(out)).forEach((name, j) => {
      out[name] = Float64Array.from(order, (i) => proba[i * k + j]);
    });
  }
  return out;
}

/** Names of the probability columns, one per class: proba_<class> (punctuation as _), never clashing. */
export function probaColumnNames(classes: (string | number)[], taken: string[] = ['prediction']): string[] {
  const used = new Set(taken);
  return classes.map((c, j) => {
    let name = `proba_${String(c).replace(/[^\p{L}\p{N}_]+/gu, '_')}`;
    // two labels that differ only in punctuation ("a b", "a_b") must not share a column
    while (used.has(name)) name += `_${j}`;
    used.add(name);
    return name;
  });
}

/** The actual target of a scored table: class indices (-1 unknown) or numbers (NaN missing). */
export function actualValues(model: ModelValue, p: TablePrediction): Float64Array {
  const target = model.target;
  if (!target) return new Float64Array(0);
  const frame = targetSource(p.raw, p.frame, target);
  if (!(target in frame.columns)) {
    throw new FlowlineError({
      code: 'COLUMN_NOT_FOUND',
      column: target,
      message: `To evaluate, the table needs the actual values: it has no column "${target}".`,
      hint: 'Connect rows that still hold the target, e.g. the test side of a split.',
    });
  }
  if (model.classes) return Float64Array.from(encodeTarget(frame, target, model.classes));
  const col = frame.columns[target];
  if (!(col instanceof Float64Array)) {
    throw new FlowlineError({ code: 'COLUMN_TYPE', column: target, message: `The target "${target}" holds text here, but the model predicts numbers.`, hint: 'Convert the column to numbers (Change Type) before evaluating.' });
  }
  return col;
}
