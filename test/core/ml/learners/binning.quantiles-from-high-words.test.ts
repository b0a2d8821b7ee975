import { describe, expect, it } from 'vitest';
import { columnEdges } from '../../../../core/ml/learners/tree/binning.ts';
import { sortDoubles } from '../../../../core/ml/learners/tree/sort-doubles.ts';
import { Rng } from '../../../../core/spec/random.ts';

/** The edges from a full sort, as fitBinMapper found them before (and as sklearn's _BinMapper does). */
function reference(values: Float64Array, maxBins: number): number[] {
  const s = Float64Array.from(values).sort();
  const k = s.length;
  let nDistinct = 0;
  for (let i = 0; i < k; i++) if (i === 0 || s[i] !== s[i - 1]) nDistinct++;
  const t: number[] = [];
  if (nDistinct <= maxBins) {
    for (let i = 1; i < k; i++) if (s[i] !== s[i - 1]) t.push((s[i - 1] + s[i]) * 0.5);
  } else {
    for (let b = 1; b < maxBins; b++) {
      const pos = ((b * 100) / maxBins / 100) * (k - 1);
      t.push((s[Math.floor(pos)] + s[Math.ceil(pos)]) * 0.5);
    }
  }
  return t.map((v) => (v > 1e300 ? 1e300 : v));
}

describe('columnEdges', () => {
  it("gives the full sort's edges when only the runs holding quantiles are sorted past the high 32 bits", () => {
    const rng = new Rng(4);
    const columns: Record<string, (i: number) => number> = {
      normal: () => rng.normal(),
      // Values sharing their high 32 bits by the thousand: long runs to sort fully.
      'narrow range': () => 1000 + rng.next() * 1e-7,
      'narrow, few runs': () => 1 + Math.floor(rng.next() * 300) * 2 ** -40 + rng.next() * 2 ** -45,
      // Exactly 255, 256 and 257 distinct values, and 256 with −0 and +0 (equal: 255 distinct).
      '255 values': (i) => i % 255,
      '256 values': (i) => i % 256,
      '257 values': (i) => i % 257,
      '−0 and +0 among 256 patterns': (i) => (i % 256 === 0 ? -0 : i % 256 === 1 ? 0 : i % 256),
      'huge and infinite': (i) => (i % 50 === 0 ? Infinity : i % 51 === 0 ? 2e300 : rng.normal() * 1e200),
      'many ties': () => Math.round(rng.normal() * 100) / 4,
    };
    for (const [name, make] of Object.entries(columns)) {
      for (const k of [100, 5000, 60_000]) {
        for (const maxBins of [255, 16]) {
          const values = Float64Array.from({ length: k }, (_, i) => make(i));
          const padded = new Float64Array(255);
          const n = columnEdges(Float64Array.from(values), new Float64Array(k), maxBins, padded, 0, sortDoubles);
          const want = reference(values, maxBins);
          expect(Array.from(padded.subarray(0, n - 1)), `${name}, ${k} values, ${maxBins} bins`).toEqual(want);
          expect(n).toBe(want.length + 1);
        }
      }
    }
  });
});
