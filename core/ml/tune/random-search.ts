/** Random search: every dimension drawn uniformly (log-uniformly when log-scaled), seeded. */
import { Rng } from '../../spec/random.ts';
import { decode, randomPoint, type Dim } from './space.ts';
import type { Sampler } from './types.ts';

export function randomSampler(dims: Dim[], seed: number): Sampler {
  const rng = new Rng(seed);
  return {
    propose(_history, count) {
      return Array.from({ length: count }, () => decode(dims, randomPoint(dims, rng)));
    },
  };
}
