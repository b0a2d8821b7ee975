import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../core/spec/random.ts';
import { linspace, pairwiseSum, percentiles, percentileSorted, sortedFinite } from '../../../../core/ml/prep/stats.ts';

describe('statistics helpers', () => {
  it('quickselect percentiles equal the sort-based definition (duplicates, gaps, tiny arrays)', () => {
    const rng = new Rng(5);
    for (const n of [1, 2, 3, 7, 25, 100, 1001, 5000]) {
      for (const dupes of [false, true]) {
        const v = Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : dupes ? rng.int(4) : rng.normal()));
        const qs = [...linspace(0, 100, 11), 33.3, 99.9];
        const sorted = sortedFinite(v);
        expect(percentiles(v, qs)).toEqual(qs.map((q) => percentileSorted(sorted, q)));
      }
    }
    expect(percentiles(Float64Array.from([NaN]), [50])).toEqual([NaN]);
    // heavy skew (most values in one value bucket) and infinities take the recursive / fallback paths
    const skewed = Float64Array.from({ length: 20000 }, (_, i) => (i === 7 ? 1e300 : Math.exp(8 * rng.normal())));
    const withInf = Float64Array.from({ length: 6000 }, (_, i) => (i === 3 ? Infinity : i === 4 ? -Infinity : rng.normal()));
    for (const v of [skewed, withInf]) {
      const qs = [0, 1, 25, 50, 75, 99.5, 100];
      expect(percentiles(v, qs)).toEqual(qs.map((q) => percentileSorted(sortedFinite(v), q)));
    }
  });

  it('pairwise sum follows numpy blocks (exact on integers, any length)', () => {
    for (const n of [0, 5, 8, 127, 128, 129, 1000]) {
      const v = Float64Array.from({ length: n }, (_, i) => i + 1);
      expect(pairwiseSum(v)).toBe((n * (n + 1)) / 2);
    }
  });
});
