/**
 * What the Tune node does: cross-validated search over a learner's params (folds prepared once,
 * with the recipe re-fitted inside each fold), two trials at a time on worker threads, then the
 * best params refitted on every row.
 */
import { FlowlineError } from '../../spec/errors.ts';
import type { RunContext } from '../../spec/context.ts';
import type { ChartSpec, MetricsValue, ModelValue, ResultTable, TableRef } from '../../spec/values.ts';
import { prepareFolds, scoreFolds, summarizeFolds, type CvSpec } from '../cv.ts';
import { learnerByKind } from '../learners/index.ts';
import { METRIC_DIRECTION } from '../metrics.ts';
import { trainModel } from '../model.ts';
import { runSearch, type TrialResult, type TuneMethod } from './index.ts';
import { DEFAULT_SPACES } from './spaces.ts';

export interface TuneSpec extends CvSpec {
  learner: string;
  /** Fixed learner params; the searched ones override them. */
  learnerParams: Record<string, unknown>;
  /** What to search (the node's params schema checks it against the learner); empty = DEFAULT_SPACES[learner]. */
  space: Record<string, unknown>;
  method: TuneMethod;
  nTrials: number;
  /** 'auto' = accuracy for classification, r2 for regression (scikit-learn's default score). */
  metric: string;
}

export function resolveMetric(metric: string, task: string): string {
  if (metric !== 'auto') return metric;
  return task === 'regression' ? 'r2' : 'accuracy';
}

export function checkMetric(metric: string, task: string): void {
  const regression = ['rmse', 'mae', 'r2'];
  const fits = task === 'regression' ? regression.includes(metric) : !regression.includes(metric) && (task === 'binary' || !['precision', 'recall', 'f1'].includes(metric));
  if (!(metric in METRIC_DIRECTION) || !fits) {
    throw new FlowlineError({ code: 'INVALID_PARAM', path: ['metric'], message: `The metric "${metric}" does not apply to ${task}.`, hint: task === 'regression' ? 'Use rmse, mae or r2.' : task === 'binary' ? 'Use accuracy, precision, recall, f1, f1_macro, roc_auc or log_loss.' : 'Use accuracy, f1_macro, precision_macro, recall_macro, roc_auc or log_loss.' });
  }
}

export interface TuneOutcome {
  model: ModelValue;
  metrics: MetricsValue;
  best: TrialResult;
  trials: TrialResult[];
}

export async function tuneModel(ctx: RunContext, table: TableRef, spec: TuneSpec): Promise<TuneOutcome> {
  const learner = learnerByKind(spec.learner);
  const space: Record<string, unknown> | undefined = Object.keys(spec.space ?? {}).length ? spec.space : DEFAULT_SPACES[learner.kind];
  if (!space) throw new FlowlineError({ code: 'INVALID_PARAM', path: ['space'], message: `There is no default search space for ${learner.title}.`, hint: 'Write one, e.g. {"param": {"int": [1, 10]}}.' });

  ctx.progress(0, 'preparing folds');
  const cv = await prepareFolds(ctx, table, spec);
  const metric = resolveMetric(spec.metric, cv.task);
  checkMetric(metric, cv.task);
  const direction = METRIC_DIRECTION[metric];
  let bestScore: number | null = null;
  const summaries = new Map<number, { mean: Record<string, number>; std: Record<string, number> }>();

  const { trials, best } = await runSearch({
    space,
    method: spec.method,
    nTrials: spec.nTrials,
    seed: ctx.seed,
    direction,
    concurrency: 2,
    checkCancelled: () => ctx.throwIfCancelled(),
    evaluate: async (params, index) => {
      const merged = learner.params.parse({ ...spec.learnerParams, ...params }) as Record<string, unknown>;
      // the same fold seeds in every trial: trials differ by their params only
      const scores = await scoreFolds(ctx, cv, { kind: learner.kind, params: merged }, { seedLabel: 'tune' });
      const summary = summarizeFolds(scores);
      summaries.set(index, summary);
      const { mean } = summary;
      if (!(metric in mean)) {
        const why = scores.flatMap((s) => s.notes)[0] ?? 'it could not be computed';
        throw new FlowlineError({ code: 'BAD_DATA', message: `Trial ${index + 1}: ${metric} is not available (${why})` });
      }
      return mean[metric];
    },
    onTrial: (t, done, total) => {
      if (Number.isFinite(t.score) && (bestScore === null || (direction === 'max' ? t.score > bestScore : t.score < bestScore))) bestScore = t.score;
      const what = t.error ? `failed: ${t.error}` : `${metric} ${t.score.toFixed(4)}`;
      const line = `trial ${done} of ${total}: ${what}${bestScore !== null ? ` (best ${bestScore.toFixed(4)})` : ''}`;
      ctx.progress(done / (total + 1), line);
      // progress events are coalesced by the executor; the log keeps one line per trial
      ctx.log(`${line} · ${Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'number' ? +v.toPrecision(6) : v}`).join(', ')}`);
    },
  });

  if (trials.some((t) => t.error)) ctx.log(`${trials.filter((t) => t.error).length} of ${trials.length} trials failed; the first: ${trials.find((t) => t.error)!.error}`);
  ctx.progress(spec.nTrials / (spec.nTrials + 1), 'refitting the best params on all rows');
  const bestParams = { ...spec.learnerParams, ...best.params };
  const { model } = await trainModel(ctx, table, { target: spec.target, task: cv.task, learner: learner.kind, learnerParams: bestParams, features: spec.features, classWeight: spec.classWeight });

  const names = Object.keys(space).sort();
  const trialsTable: ResultTable = {
    id: 'trials',
    title: 'Trials',
    columns: ['trial', ...names, metric, 'note'],
    rows: trials.map((t) => [t.index + 1, ...names.map((n) => t.params[n] ?? null), Number.isFinite(t.score) ? round(t.score) : null, t.error ?? (t.repeatOf !== undefined ? `same as trial ${t.repeatOf + 1}` : null)]),
  };
  const bestTable: ResultTable = { id: 'best_params', title: 'Best params', columns: ['param', 'value'], rows: names.map((n) => [n, best.params[n] ?? null]) };
  let running = direction === 'max' ? -Infinity : Infinity;
  const ok = trials.filter((t) => Number.isFinite(t.score));
  const chart: ChartSpec = {
    kind: 'line',
    id: 'trials',
    title: `${metric} per trial (${spec.method})`,
    x: { label: 'Trial' },
    y: { label: metric },
    series: [
      { name: 'trial', points: ok.map((t) => [t.index + 1, t.score]) },
      { name: 'best so far', points: ok.map((t) => [t.index + 1, (running = direction === 'max' ? Math.max(running, t.score) : Math.min(running, t.score))]), dashed: true },
    ],
  };
  const bestSummary = summaries.get(best.repeatOf ?? best.index);
  const metrics: MetricsValue = {
    kind: 'metrics',
    task: cv.task,
    scope: 'tuning',
    // every metric of the best trial, cross-validated (the optimised one included)
    values: { ...bestSummary?.mean, [metric]: best.score },
    std: bestSummary?.std,
    charts: [chart],
    tables: [bestTable, trialsTable],
  };
  return { model, metrics, best, trials };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
