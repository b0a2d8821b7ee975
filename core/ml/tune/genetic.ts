/**
 * A genetic algorithm over the unit cube of space.ts: a random first generation, then each
 * generation breeds children from the best `population` trials seen so far (μ+λ): tournament
 * selection (3 contestants), uniform crossover, and per-gene mutation (a Gaussian nudge for
 * numbers, a fresh draw for choices). Seeded.
 */
import { Rng } from '../../spec/random.ts';
import { decode, randomPoint, type Dim, type Params } from './space.ts';
import type { Sampler, Trial } from './types.ts';

export interface GeneticOptions {
  population?: number;
  tournament?: number;
  crossoverRate?: number;
  /** Chance that a gene mutates; default max(1/dims, 0.2). */
  mutationRate?: number;
  /** Standard deviation of the numeric nudge, in unit-cube terms. */
  mutationScale?: number;
}

export function defaultPopulation(nTrials: number): number {
  return Math.max(4, Math.min(20, Math.round(nTrials / 5)));
}

export function geneticSampler(dims: Dim[], seed: number, nTrials: number, options: GeneticOptions = {}): Sampler {
  const rng = new Rng(seed);
  const size = options.population ?? defaultPopulation(nTrials);
  const tournament = options.tournament ?? 3;
  const crossoverRate = options.crossoverRate ?? 0.9;
  const mutationRate = options.mutationRate ?? Math.max(1 / dims.length, 0.2);
  const scale = options.mutationScale ?? 0.1;
  let queue: Params[] = [];

  const select = (pool: Trial[]): Trial => {
    let best = pool[rng.int(pool.length)];
    for (let i = 1; i < tournament; i++) {
      const c = pool[rng.int(pool.length)];
      if (c.loss < best.loss || (c.loss === best.loss && c.index < best.index)) best = c;
    }
    return best;
  };

  const breed = (history: Trial[]): Params[] => {
    const evaluated = history.filter((t) => Number.isFinite(t.loss));
    if (evaluated.length < 2) return Array.from({ length: size }, () => decode(dims, randomPoint(dims, rng)));
    const pool = [...evaluated].sort((a, b) => a.loss - b.loss || a.index - b.index).slice(0, size);
    return Array.from({ length: size }, () => {
      const a = select(pool), b = select(pool);
      const cross = rng.next() < crossoverRate;
      const child = dims.map((_, j) => (cross && rng.next() < 0.5 ? b.u[j] : a.u[j]));
      dims.forEach((d, j) => {
        if (rng.next() >= mutationRate) return;
        child[j] = d.kind === 'choice' ? rng.next() : Math.min(1, Math.max(0, child[j] + scale * rng.normal()));
      });
      return decode(dims, child);
    });
  };

  return {
    propose(history, count) {
      const out: Params[] = [];
      while (out.length < count) {
        if (queue.length === 0) queue = breed(history);
        out.push(queue.shift()!);
      }
      return out;
    },
  };
}
