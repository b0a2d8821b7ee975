/**
 * Cross-validation, as tuning and model comparison use it too: prepareFolds (the recipe re-fitted
 * inside every fold on that fold's training rows only, see folds.ts), scoreFolds (one learner
 * fitted and scored per fold), and the summaries of the scores.
 */
import { FlowlineError } from '../spec/errors.ts';
import type { RunContext } from '../spec/context.ts';
import type { ResultTable, TableRef } from '../spec/values.ts';
import type { Prediction } from './learners/types.ts';
import { foldsTask, type CvSpec, type PreparedCv } from './folds.ts';
import { FIT_THREADS } from './model.ts';
import { deriveSeed } from '../spec/random.ts';
import { fitScoreFoldTask, type FoldFitPayload } from './tasks.ts';
import { checkRecipeLeavesTarget } from './training-data.ts';

// Fold assignment and the per-fold matrices live in folds.ts (they run on the worker pool).
export { kFold, stratifiedKFold, type CvSpec, type Fold, type FoldData, type PreparedCv } from './folds.ts';

/**
 * Read the table's raw rows once, assign folds, and for every fold re-fit the recipe on that
 * fold's training rows only, then turn both sides into matrices — on the worker pool, the folds
 * split over up to FIT_THREADS workers. Tuning and Compare reuse the result for every trial and
 * learner: the recipe does not depend on the learner's params.
 */
export async function prepareFolds(ctx: RunContext, table: TableRef, spec: CvSpec): Promise<PreparedCv> {
  if (table.rowCount === 0) throw new FlowlineError({ code: 'NO_ROWS', message: 'The table has no rows to cross-validate.', hint: 'Check the filters before this node.' });
  checkRecipeLeavesTarget(table.recipe.steps, spec.target);
  const seed = deriveSeed(ctx.seed, 'folds');
  const groups = Math.max(1, Math.min(FIT_THREADS, spec.folds));
  const parts = await Promise.all(
    Array.from({ length: groups }, (_, g) => {
      const only = Array.from({ length: spec.folds }, (_, f) => f).filter((f) => f % groups === g);
      return ctx.runInWorker(foldsTask, { table, spec, seed, only });
    }),
  );
  const folds = parts.flatMap((p) => p.folds).sort((a, b) => a.index - b.index);
  return { ...parts[0], folds };
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
    const payload: FoldFitPayload = {
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
      testY: fold.testY,
    };
    const { prediction, score: s } = await ctx.runInWorker(fitScoreFoldTask, payload);
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
