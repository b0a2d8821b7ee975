/**
 * What the Compare node does: several learners scored on the same cross-validation folds (the
 * recipe re-fitted inside each fold), ranked by one metric into a leaderboard.
 */
import { FlowlineError, isFlowlineError } from '../../spec/errors.ts';
import type { RunContext } from '../../spec/context.ts';
import type { MetricsValue, ResultTable, TableRef } from '../../spec/values.ts';
import { prepareFolds, scoreFolds, summarizeFolds, type CvSpec } from '../cv.ts';
import { learnerByKind } from '../learners/index.ts';
import { METRIC_DIRECTION } from '../metrics.ts';
import { checkMetric, resolveMetric } from './tune-model.ts';

export interface CompareSpec extends CvSpec {
  learners: string[];
  /** Settings per learner kind, e.g. { random_forest: { n_estimators: 200 } }. */
  learnerParams: Record<string, Record<string, unknown>>;
  metric: string;
}

interface Entry {
  learner: string;
  mean: Record<string, number>;
  std: Record<string, number>;
  error?: string;
}

export async function compareModels(ctx: RunContext, table: TableRef, spec: CompareSpec): Promise<MetricsValue> {
  if (spec.learners.length === 0) throw new FlowlineError({ code: 'INVALID_PARAM', path: ['learners'], message: 'Pick at least one learner to compare.' });
  const learners = [...new Set(spec.learners)].map((kind) => {
    const learner = learnerByKind(kind);
    return { learner, params: learner.params.parse(spec.learnerParams[kind] ?? {}) as Record<string, unknown> };
  });
  ctx.progress(0, 'preparing folds');
  const cv = await prepareFolds(ctx, table, spec);
  const metric = resolveMetric(spec.metric, cv.task);
  checkMetric(metric, cv.task);
  const direction = METRIC_DIRECTION[metric];

  const entries: Entry[] = [];
  for (const [i, { learner, params }] of learners.entries()) {
    ctx.throwIfCancelled();
    if (!learner.tasks.includes(cv.task)) {
      entries.push({ learner: learner.kind, mean: {}, std: {}, error: `does not do ${cv.task}` });
      continue;
    }
    try {
      const scores = await scoreFolds(ctx, cv, { kind: learner.kind, params }, {
        seedLabel: 'compare',
        concurrency: 2,
        onFold: (done) => ctx.progress((i + done / cv.folds.length) / learners.length, `${learner.title}: fold ${done} of ${cv.folds.length}`),
      });
      entries.push({ learner: learner.kind, ...summarizeFolds(scores) });
    } catch (e) {
      if (isFlowlineError(e) && e.code === 'CANCELLED') throw e;
      entries.push({ learner: learner.kind, mean: {}, std: {}, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const scored = entries.filter((e) => metric in e.mean);
  if (scored.length === 0) {
    throw new FlowlineError({ code: 'BAD_DATA', message: `No learner could be scored on ${metric}. ${entries.map((e) => `${e.learner}: ${e.error ?? `${metric} not available`}`).join('; ')}` });
  }
  const ranked = [...scored].sort((a, b) => (direction === 'max' ? b.mean[metric] - a.mean[metric] : a.mean[metric] - b.mean[metric]));
  const unscored = entries.filter((e) => !(metric in e.mean));
  const others = Object.keys(ranked[0].mean).filter((m) => m !== metric);
  const r6 = (x: number | undefined) => (x === undefined ? null : Math.round(x * 1e6) / 1e6);
  const leaderboard: ResultTable = {
    id: 'leaderboard',
    title: `Leaderboard by ${metric} (${spec.folds}-fold cross-validation)`,
    columns: ['rank', 'learner', metric, `${metric}_std`, ...others, 'note'],
    rows: [
      ...ranked.map((e, r) => [r + 1, e.learner, r6(e.mean[metric]), r6(e.std[metric]), ...others.map((m) => r6(e.mean[m])), null]),
      ...unscored.map((e) => [null, e.learner, null, null, ...others.map(() => null), e.error ?? `${metric} not available`]),
    ],
  };
  const best = ranked[0];
  return {
    kind: 'metrics',
    task: cv.task,
    scope: 'cv',
    values: { ...best.mean },
    std: { ...best.std },
    charts: [{ kind: 'bar', id: 'leaderboard', title: `${metric} by learner`, categories: ranked.map((e) => e.learner), series: [{ name: metric, values: ranked.map((e) => e.mean[metric]) }], horizontal: true }],
    tables: [leaderboard, { id: 'notes', title: 'Notes', columns: ['note'], rows: [[`values are those of the best learner, ${best.learner}.`]] }],
  };
}
