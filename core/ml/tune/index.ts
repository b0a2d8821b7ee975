/**
 * The tuning loop shared by the Tune node: a sampler proposes param sets, `evaluate` scores them
 * (cross-validated, in worker threads), `concurrency` at a time. Proposals are made in batches
 * from the history of finished trials only, and results are recorded in trial order, so a search
 * is reproducible for a seed whatever order the workers finish in.
 */
import { FlowlineError, isFlowlineError } from '../../spec/errors.ts';
import { deriveSeed } from '../../spec/random.ts';
import { geneticSampler } from './genetic.ts';
import { gridSampler } from './grid.ts';
import { randomSampler } from './random-search.ts';
import { encode, paramsKey, parseSpace, type Dim, type Params } from './space.ts';
import { tpeSampler } from './tpe.ts';
import type { Sampler, Trial } from './types.ts';

export { parseSpace, searchSpaceSchema, type Params, type SearchSpace } from './space.ts';
export type { Trial } from './types.ts';

export const TUNE_METHODS = ['grid', 'random', 'bayes', 'genetic'] as const;
export type TuneMethod = (typeof TUNE_METHODS)[number];

export interface TrialResult extends Trial {
  /** The score as the metric reports it (NaN when the trial failed). */
  score: number;
  /** Why the trial failed, if it did. */
  error?: string;
  /** Same params as an earlier trial: its score was reused, nothing was refitted. */
  repeatOf?: number;
}

export interface SearchOptions {
  space: unknown;
  method: TuneMethod;
  nTrials: number;
  seed: number;
  direction: 'max' | 'min';
  /** Trials evaluated at once (each one in its own worker). */
  concurrency?: number;
  evaluate(params: Params, trialIndex: number): Promise<number>;
  onTrial?(trial: TrialResult, done: number, total: number): void;
  checkCancelled?(): void;
}

export function makeSampler(method: TuneMethod, dims: Dim[], nTrials: number, seed: number): Sampler {
  const s = deriveSeed(seed, `tune:${method}`);
  switch (method) {
    case 'grid':
      return gridSampler(dims, nTrials, s);
    case 'random':
      return randomSampler(dims, s);
    case 'bayes':
      return tpeSampler(dims, s, { startup: Math.min(10, Math.max(3, Math.round(nTrials / 3))) });
    case 'genetic':
      return geneticSampler(dims, s, nTrials);
  }
}

export async function runSearch(opts: SearchOptions): Promise<{ trials: TrialResult[]; best: TrialResult }> {
  const dims = parseSpace(opts.space);
  const sampler = makeSampler(opts.method, dims, opts.nTrials, opts.seed);
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const trials: TrialResult[] = [];
  const seen = new Map<string, TrialResult>();
  let firstError: unknown;
  const toLoss = (score: number) => (Number.isFinite(score) ? (opts.direction === 'max' ? -score : score) : Infinity);

  while (trials.length < opts.nTrials) {
    opts.checkCancelled?.();
    const batch = sampler.propose(trials, Math.min(concurrency, opts.nTrials - trials.length));
    if (batch.length === 0) break;
    const start = trials.length;
    const keys = batch.map(paramsKey);
    const isRepeat = (b: number) => seen.has(keys[b]) || keys.indexOf(keys[b]) < b;
    const evaluated = await Promise.all(
      batch.map(async (params, b): Promise<TrialResult | null> => {
        if (isRepeat(b)) return null;
        const index = start + b;
        const u = encode(dims, params);
        try {
          const score = await opts.evaluate(params, index);
          return { index, params, u, loss: toLoss(score), score };
        } catch (e) {
          if (isFlowlineError(e) && e.code === 'CANCELLED') throw e;
          firstError ??= e;
          return { index, params, u, loss: Infinity, score: NaN, error: e instanceof Error ? e.message : String(e) };
        }
      }),
    );
    batch.forEach((params, b) => {
      let r = evaluated[b];
      if (!r) {
        const first = seen.get(keys[b]) ?? evaluated[keys.indexOf(keys[b])]!;
        r = { index: start + b, params, u: first.u, loss: first.loss, score: first.score, error: first.error, repeatOf: first.index };
      } else seen.set(keys[b], r);
      trials.push(r);
      opts.onTrial?.(r, trials.length, opts.nTrials);
    });
  }
  const ok = trials.filter((t) => Number.isFinite(t.loss));
  if (ok.length === 0) {
    // keep the first failure's code, column and hint (e.g. a feature with missing values)
    if (isFlowlineError(firstError)) throw new FlowlineError({ ...firstError.toJSON(), message: `Every tuning trial failed. The first failure: ${firstError.message}` });
    const why = trials.find((t) => t.error)?.error ?? 'no trial produced a score';
    throw new FlowlineError({ code: 'BAD_DATA', message: `Every tuning trial failed. The first failure: ${why}`, hint: 'Check the search space ranges against the learner\'s parameters.' });
  }
  const best = ok.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { trials, best };
}
