import type { Params } from './space.ts';

/** One evaluated trial. `loss` is lower-is-better (the score negated when larger is better); Infinity if it failed. */
export interface Trial {
  index: number;
  params: Params;
  /** Unit-cube coordinates of `params` (see space.ts). */
  u: number[];
  loss: number;
}

/**
 * A search method. `propose` is called with every trial evaluated so far and returns up to
 * `count` new param sets, or an empty list when it has nothing left (a finished grid). Proposals
 * depend only on the history and the seeded RNG, so a search is reproducible for a seed.
 */
export interface Sampler {
  propose(history: Trial[], count: number): Params[];
}
