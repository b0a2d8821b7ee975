/**
 * From a training table to a ModelValue, and from a ModelValue + table to predictions.
 *
 * Leakage-safe by construction: the table's raw rows are re-read from its recipe
 * base, every recipe step is re-fitted on the training rows only, and the fitted recipe travels
 * inside the model, so Predict / Evaluate replay exactly what Train learned on any table.
 */
import { predictionReference } from './drift/reference.ts';
import { availableParallelism } from 'node:os';
import type { ColumnSelection } from '../spec/columns.ts';
import type { AutoPrepOptions } from './auto-prep.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { RunContext } from '../spec/context.ts';
import type { ModelValue, TableRef } from '../spec/values.ts';
import type { Frame } from './frame.ts';
import { convergenceWarning } from './learners/convergence.ts';
import { learnerByKind } from './learners/index.ts';
import type { Learner, Matrix, Prediction } from './learners/types.ts';
import { deriveSeed } from '../spec/random.ts';
import { fitLearnerTask, fitUnitRangeTask, predictLearnerTask, prepareUnitFitTask, type FitPayload, type PredictionInto, type PredictionPiece, type UnitRangeJob } from './tasks.ts';
import { sharedRows, sharedState } from './model-sharing.ts';
import { sharedForestPack } from './learners/tree/packed-walk.ts';
import { checkRecipeLeavesTarget, encodeTarget, targetSource, type Target, type TaskChoice } from './training-data.ts';
import { recipeMatrixTask, trainingMatrixTask, unpackFrame } from './matrix-tasks.ts';

// The target/feature helpers live in training-data.ts (the worker pool's matrix tasks use them); callers keep importing them from here.
export {
  balancedWeights,
  checkRecipeLeavesTarget,
  encodeTarget,
  featureColumns,
  inputColumnsOf,
  MODEL_SAMPLE_ROWS,
  prepareTarget,
  sampleRows,
  targetSource,
  TASK_CHOICES,
  type Target,
  type TaskChoice,
} from './training-data.ts';

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
  /** Automatic preparation (auto-prep.ts): encode text and fill missing numbers in the features; absent = off. */
  autoPrep?: AutoPrepOptions;
}

function resolveTask(learner: Learner, spec: TrainSpec): TaskChoice {
  if (spec.task !== 'auto' || spec.target) return spec.task;
  const unsupervised = learner.tasks.find((t) => t === 'clustering' || t === 'anomaly');
  if (unsupervised) return unsupervised;
  throw new FlowlineError({ code: 'INVALID_PARAM', path: ['target'], message: `${learner.title} needs a target column.`, hint: 'Pick the column to predict as the target.' });
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
  // Reading the rows, re-fitting the recipe and building the matrix are a worker's job.
  const { steps: fitted, X, target, features, sampleWeight, rowIds, dataFingerprint, inputColumns, sample, reference } = await ctx.runInWorker(trainingMatrixTask, {
    table,
    target: spec.target,
    choice,
    learner: learner.kind,
    features: spec.features,
    classWeight: spec.classWeight,
    autoPrep: spec.autoPrep,
    nodeId: ctx.nodeId,
  });

  const payload: FitPayload = {
    kind: learner.kind,
    params,
    task: target.task,
    seed: deriveSeed(ctx.seed, 'fit'),
    X,
    y: target.y,
    nClasses: target.classes?.length,
    sampleWeight,
    featureNames: features,
    // The one fit of this node: it may use every core (a forest spreads its trees instead).
    threads: FIT_THREADS,
  };
  ctx.progress(0.05, `fitting ${learner.title} on ${X.rows} rows × ${X.cols} features`);
  const state = await fitInWorkers(ctx, learner, payload);
  const notConverged = convergenceWarning(learner.title, state);
  if (notConverged) ctx.warn(notConverged);
  const trainPrediction = await predictInWorkers(ctx, learner.kind, state, X);

  const model: ModelValue = {
    kind: 'model',
    task: target.task,
    target: spec.target ?? null,
    classes: target.classes,
    inputColumns,
    recipe: fitted,
    features,
    estimator: { kind: learner.kind, params, state },
    trainedOn: { nodeId: ctx.nodeId, rows: X.rows, dataFingerprint },
    sample,
    reference: { ...reference, prediction: predictionReference(target.task, target.classes, trainPrediction.values) },
  };
  return { model, trainPrediction, target, rowIds };
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

// ---------------------------------------------------------------- predict

export interface TablePrediction {
  rowIds: ArrayLike<number>;
  prediction: Prediction;
  /** Columns the model's recipe made that the caller asked for (extraColumns), e.g. a derived target. */
  frame: Frame;
  /** The raw rows the recipe was applied to (holds the target when the table has it). */
  raw: Frame;
  /** The rows as the estimator saw them: the model's features after its recipe. */
  X: Matrix;
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
  // Reading the rows and replaying the recipe are a worker's job; the raw rows come back packed.
  const r = await ctx.runInWorker(recipeMatrixTask, { table, columns: wanted, recipe: model.recipe, features: model.features, keep: extraColumns });
  const prediction = await predictInWorkers(ctx, model.estimator.kind, model.estimator.state, r.X);
  return { rowIds: r.rowIds, prediction, frame: unpackFrame(r.made), raw: unpackFrame(r.raw), X: r.X };
}

/** Rows from which a prediction is split over several workers (below, one worker is quicker). */
const PARALLEL_PREDICT_ROWS = 20_000;

/**
 * A fitted state's predictions off the main thread: large batches as contiguous row ranges on up
 * to FIT_THREADS workers at once, joined in row order. Every learner predicts each row on its own,
 * so the numbers are those of one predict call, bit for bit.
 */
export async function predictInWorkers(ctx: Pick<RunContext, 'runInWorker'>, kind: string, fitted: unknown, X: Matrix, threads = FIT_THREADS, into?: PredictionBuffers): Promise<Prediction> {
  // The model crosses to the workers as shared memory: no copy per worker, per call (model-sharing.ts).
  const state = sharedState(fitted);
  const parts = Math.max(1, Math.min(threads, Math.floor(X.rows / (PARALLEL_PREDICT_ROWS / 2))));
  const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.floor((i * X.rows) / parts));
  // Shared arrays with room for every row (a streamed loop's, reused chunk after chunk): each piece writes its rows there.
  const target = into && into.values.length >= X.rows ? into : undefined;
  const at = (from: number): PredictionInto | undefined => target && { values: target.values, proba: target.proba, from };
  let pieces: PredictionPiece[];
  if (parts === 1) pieces = [await ctx.runInWorker(predictLearnerTask, { kind, state, X, into: at(0) })];
  else {
    const rows = sharedRows(X.data);
    // A forest is packed for the walk once, in one shared memory, by the workers together (packed-walk.ts).
    const pack = sharedForestPack(state, X.data) ?? undefined;
    pieces = await Promise.all(
      bounds.slice(1).map((to, i) => {
        const from = bounds[i];
        // Views on shared memory cross to the workers for free; without it, a copy (a view on a
        // plain buffer would carry the whole matrix to every worker).
        const range = rows ? rows.subarray(from * X.cols, to * X.cols) : X.data.slice(from * X.cols, to * X.cols);
        const part: Matrix = { data: range, rows: to - from, cols: X.cols };
        return ctx.runInWorker(predictLearnerTask, { kind, state, X: part, pack, into: at(from) });
      }),
    );
  }
  const written = pieces.map((p) => ('written' in p ? p : null));
  const width = written[0]?.probaWidth;
  if (target && written.every((w) => w && w.probaWidth === width)) {
    // Every piece is in the shared arrays, in row order: views, no join.
    const prediction: Prediction = { values: target.values.subarray(0, X.rows) };
    if (width) prediction.proba = target.proba!.subarray(0, X.rows * width);
    return prediction;
  }
  // A piece written to the shared arrays is read back from them (rare: pieces that disagree on their width).
  const full = pieces.map((p, i): Prediction => {
    if (!('written' in p)) return p;
    const [from, to] = [bounds[i], bounds[i + 1]];
    const w = p.probaWidth;
    return { values: target!.values.slice(from, to), ...(w ? { proba: target!.proba!.slice(from * w, to * w) } : {}) };
  });
  if (full.length === 1) return full[0];
  const join = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    arrays.reduce((at, a) => (out.set(a, at), at + a.length), 0);
    return out;
  };
  const prediction: Prediction = { values: join(full.map((p) => p.values)) };
  if (full.every((p) => p.proba)) prediction.proba = join(full.map((p) => p.proba!));
  return prediction;
}

/** Shared arrays a streamed loop lends predictInWorkers for one chunk's predictions (reused chunk after chunk). */
export interface PredictionBuffers {
  values: Float64Array;
  /** Room for the chunk's rows × the model's classes. */
  proba?: Float64Array;
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
  return predictionColumnsInOrder(model, p.prediction, order, options);
}

/** Predict's output columns for the rows of `prediction` taken in `order` (every row, as they are, when absent). */
export function predictionColumnsInOrder(model: ModelValue, prediction: Prediction, rowOrder?: number[], options: { probabilities?: boolean } = {}): Record<string, Float64Array | (string | null)[]> {
  // Plain loops: Float64Array.from over an order array, with a callback per value, was 8 s of
  // Predict's 36 s on 16M rows (a prediction and two probabilities a row).
  const values = prediction.values;
  const n = rowOrder ? rowOrder.length : values.length;
  const rowAt = (r: number) => (rowOrder ? rowOrder[r] : r);
  const out: Record<string, Float64Array | (string | null)[]> = {};
  const classes = model.classes;
  if (classes && typeof classes[0] !== 'number') {
    const labels = classes.map(String);
    const col: string[] = new Array(n);
    for (let r = 0; r < n; r++) {
      const v = values[rowAt(r)];
      col[r] = labels[v] ?? String(classes[v]);
    }
    out.prediction = col;
  } else {
    const col = new Float64Array(n);
    if (classes) for (let r = 0; r < n; r++) col[r] = classes[values[rowAt(r)]] as number;
    else for (let r = 0; r < n; r++) col[r] = values[rowAt(r)];
    out.prediction = col;
  }
  const proba = prediction.proba;
  if (classes && proba && options.probabilities !== false) {
    const k = classes.length;
    probaColumnNames(classes, Object.keys(out)).forEach((name, j) => {
      const col = new Float64Array(n);
      for (let r = 0; r < n; r++) col[r] = proba[rowAt(r) * k + j];
      out[name] = col;
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
