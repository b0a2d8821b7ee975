import { describe, expect, it } from 'vitest';
import { sortDoubles } from '../../../../core/ml/learners/tree/sort-doubles.ts';
import { Rng } from '../../../../core/spec/random.ts';

// HGB and forest binning take their thresholds from the sorted column: any other order (−0 and
// +0, infinities, subnormals, ties) would move a threshold and change the trees.
describe('sortDoubles (the radix sort binning uses)', () => {
  const rng = new Rng(11);
  const cases: Record<string, (i: number) => number> = {
    'spread values': () => rng.normal() * 3,
    'few distinct values (ties)': () => Math.round(rng.normal() * 4),
    'signed zeros among small values': (i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : rng.normal() * 1e-3),
    'infinities, subnormals and huge values': () => [Infinity, -Infinity, 1e-310, -1e-310, 5e300, -5e300, 1, -1][Math.floor(rng.next() * 8)],
    'one repeated value': () => 7.25,
    'magnitudes over 40 orders': () => Math.exp(rng.normal() * 40) * (rng.next() < 0.5 ? -1 : 1),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(`orders ${name} exactly as Float64Array.prototype.sort does`, () => {
      for (const n of [0, 1, 7, 255, 256, 4_001, 50_000]) {
        const a = Float64Array.from({ length: n }, (_, i) => make(i));
        const expected = a.slice().sort();
        sortDoubles(a, new Float64Array(n));
        let firstDiff = -1;
        for (let i = 0; i < n && firstDiff < 0; i++) if (!Object.is(a[i], expected[i])) firstDiff = i;
        expect(firstDiff, `n = ${n}`).toBe(-1);
      }
    });
  }

  it('sorts a subarray in place without touching its neighbours', () => {
    const a = Float64Array.from({ length: 1_000 }, () => rng.normal());
    const before = a.slice();
    sortDoubles(a.subarray(100, 900), new Float64Array(800));
    expect(Array.from(a.subarray(0, 100))).toEqual(Array.from(before.subarray(0, 100)));
    expect(Array.from(a.subarray(900))).toEqual(Array.from(before.subarray(900)));
    expect(Array.from(a.subarray(100, 900))).toEqual(Array.from(before.subarray(100, 900).sort()));
  });
});
