/**
 * Worker tasks for training (see RunContext.runInWorker): plain-data payloads in, plain data out,
 * so they run the same in a worker, in the executor's pool and in-process in a unit test. The
 * heavy lifting is the learner's own `fit` / `predict`. Registered in core/host/worker-tasks.ts.
 */
import { defineWorkerTask } from '../spec/worker-task.ts';
import type { Task } from '../spec/values.ts';
import { learnerByKind } from './learners/index.ts';
import { offerSharedPack, type SharedForestPack } from './learners/tree/packed-walk.ts';
import { checkFitMemory } from './learners/memory.ts';
import type { Matrix, Prediction, UnitFit } from './learners/types.ts';
import { scoreClassification, scoreRegression, type ScoreSet } from './metrics.ts';
import { isShared } from '../data/shared-arrays.ts';

export interface FitPayload {
  kind: string;
  /** Already validated against the learner's params schema (defaults filled in). */
  params: Record<string, unknown>;
  task: Task;
  seed: number;
  X: Matrix;
  y?: Float64Array;
  sampleWeight?: Float64Array;
  nClasses?: number;
  featureNames: string[];
  /** Threads the fit may use (FitOptions.threads); absent: 1. */
  threads?: number;
}

const fitData = (p: FitPayload) => ({ X: p.X, y: p.y, sampleWeight: p.sampleWeight, nClasses: p.nClasses, featureNames: p.featureNames });

/** The learner and its params, after checking that the fit fits in memory (every fit starts here). */
function prepareFit(p: FitPayload) {
  const learner = learnerByKind(p.kind);
  const params = learner.params.parse(p.params);
  checkFitMemory(learner, { rows: p.X.rows, cols: p.X.cols, classes: p.nClasses ?? 0 }, params);
  return { learner, params };
}

function fit(p: FitPayload, progress?: (f: number, m?: string) => void): unknown {
  const { learner, params } = prepareFit(p);
  return learner.fit(fitData(p), params, { task: p.task, seed: p.seed, progress, threads: p.threads });
}

function unitFitOf(kind: string): UnitFit {
  const unitFit = learnerByKind(kind).unitFit;
  if (!unitFit) throw new Error(`${kind} has no unit fit`);
  return unitFit;
}

/** First step of a fit spread over threads (Learner.unitFit): what every range of units shares. */
export const prepareUnitFitTask = defineWorkerTask('ml.prepareUnitFit', (p: FitPayload): { shared: unknown; units: number } => {
  const { params } = prepareFit(p);
  return unitFitOf(p.kind).prepare(fitData(p), params, { task: p.task, seed: p.seed });
});

export interface UnitRangeJob {
  kind: string;
  shared: unknown;
  from: number;
  to: number;
  units: number;
  /** One Int32 shared by every range of the fit: units done so far, for one progress figure. */
  done: SharedArrayBuffer;
}

/** Units [from, to) of a spread fit; progress counts the units done by all ranges together. */
export const fitUnitRangeTask = defineWorkerTask('ml.fitUnitRange', (job: UnitRangeJob, io): unknown[] => {
  const done = new Int32Array(job.done);
  return unitFitOf(job.kind).fitUnits(job.shared, job.from, job.to, () => {
    const n = Atomics.add(done, 0, 1) + 1;
    io.progress(n / job.units, `tree ${n} of ${job.units}`);
  });
});

/** Fit one learner; returns its state (stored in the ModelValue). Progress is forwarded. */
export const fitLearnerTask = defineWorkerTask('ml.fitLearner', (payload: FitPayload, io): unknown => fit(payload, (f, m) => io.progress(f, m)));

/** Predict with a fitted state. */
export const predictLearnerTask = defineWorkerTask('ml.predictLearner', (payload: { kind: string; state: unknown; X: Matrix; pack?: SharedForestPack; into?: PredictionInto }): PredictionPiece => {
  // The host's shared packing of a forest: this worker packs its share of the trees, or finds them packed (packed-walk.ts).
  if (payload.pack) offerSharedPack(payload.pack);
  const p = learnerByKind(payload.kind).predict(payload.state, payload.X);
  const into = payload.into;
  // Only shared memory reaches the host: a queued job's worker (flowline worker) gets plain copies
  // of the arrays, and writing there would leave the host reading the lent buffers' old contents.
  if (!into || !isShared(into.values) || (into.proba && !isShared(into.proba))) return p;
  const rows = payload.X.rows;
  const width = p.proba ? p.proba.length / rows : 0;
  const fits = p.values.length === rows && into.from + rows <= into.values.length && (!p.proba || (Number.isInteger(width) && !!into.proba && (into.from + rows) * width <= into.proba.length));
  if (!fits) return p;
  // Into the host's shared arrays at this piece's rows: nothing to copy back on the host's thread.
  into.values.set(p.values, into.from);
  if (p.proba) into.proba!.set(p.proba, into.from * width);
  return { written: true, probaWidth: width };
});

/** Where a piece of a prediction may be written: shared arrays for a whole chunk, and the piece's first row. */
export interface PredictionInto {
  values: Float64Array;
  /** Room for rows × the classes' probabilities. */
  proba?: Float64Array;
  from: number;
}

/** A prediction, or, when it was written into PredictionInto, its probabilities' width (0: none). */
export type PredictionPiece = Prediction | { written: true; probaWidth: number };

export interface FoldFitPayload extends FitPayload {
  /** The fold's held-out rows, and their actual values (class indices or numbers). */
  test: Matrix;
  testY: Float64Array;
}

/**
 * Fit on one fold's training rows, predict its held-out rows and score them, in one trip to the
 * worker (the fitted state never needs to come back). Used by cross-validation, tuning and
 * Compare, where several run at once: the learner's own progress is not forwarded, the caller
 * reports per fold.
 */
export const fitScoreFoldTask = defineWorkerTask('ml.fitScoreFold', (payload: FoldFitPayload): { prediction: Prediction; score: ScoreSet } => {
  const state = fit(payload);
  const prediction = learnerByKind(payload.kind).predict(state, payload.test);
  const score =
    payload.task === 'binary' || payload.task === 'multiclass'
      ? scoreClassification(payload.task, payload.testY, prediction.values, payload.nClasses!, prediction.proba)
      : scoreRegression(payload.testY, prediction.values);
  return { prediction, score };
});
