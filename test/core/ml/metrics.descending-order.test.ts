import { describe, expect, it } from 'vitest';
import { descendingOrder } from '../../../core/ml/score-ranking.ts';
import { Rng } from '../../../core/spec/random.ts';

/** The order the curves used to sort their rows in: score descending, ties by row number. */
const byComparison = (score: Float64Array) => Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);

describe('descendingOrder ranks rows as the comparison sort the curves used', () => {
  it('gives the same order on ties, zeros of both signs, negatives, infinities and spread-out doubles', () => {
    const rng = new Rng(3);
    const pool = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 1e300, -1e300, Infinity, -Infinity, 0.1, 0.30000000000000004];
    const cases = [
      Float64Array.from({ length: 2000 }, () => pool[rng.int(pool.length)]),
      Float64Array.from({ length: 3000 }, () => Math.round(rng.next() * 20) / 20),
      Float64Array.from({ length: 70_000 }, () => (rng.next() - 0.5) * 1e6),
      new Float64Array(0),
      Float64Array.from([7]),
    ];
    for (const score of cases) expect(Array.from(descendingOrder(score))).toEqual(byComparison(score));
  });

  it('puts NaN scores last, in row order', () => {
    expect(Array.from(descendingOrder(Float64Array.from([0.5, NaN, 1, NaN, 0.5])))).toEqual([2, 0, 4, 1, 3]);
  });
});
