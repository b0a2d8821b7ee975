import { describe, expect, it } from 'vitest';
import { fitBinMapper } from '../../../../core/ml/learners/tree/binning.ts';
import { Rng } from '../../../../core/spec/random.ts';

/** A feature's bins depend on its own values only, however many features are read together. */
describe('fitBinMapper', () => {
  it('gives each feature of a wide matrix the thresholds it gets alone (NaN, few values, subsampled rows)', () => {
    const rows = 3000;
    const cols = 9; // two groups of four features read together, and one alone
    const rng = new Rng(21);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal() * (j + 1);
      data[i * cols + 2] = i % 13; // few distinct values: midpoints
      if (i % 7 === 0) data[i * cols + 1] = NaN;
      if (i % 11 === 0) data[i * cols + 5] = NaN;
      if (i === 2999) data[i * cols + 8] = NaN; // only outside a subsample's rows, perhaps
    }
    for (const subsample of [200_000, 1000]) {
      const wide = fitBinMapper({ data, rows, cols }, 255, 3, subsample);
      for (let j = 0; j < cols; j++) {
        const column = Float64Array.from({ length: rows }, (_, i) => data[i * cols + j]);
        const alone = fitBinMapper({ data: column, rows, cols: 1 }, 255, 3, subsample);
        expect(Array.from(wide.thresholds[j])).toEqual(Array.from(alone.thresholds[0]));
        expect(wide.nBinsNonMissing[j]).toBe(alone.nBinsNonMissing[0]);
        expect(wide.hasMissing[j]).toBe(alone.hasMissing[0]);
      }
      expect(Array.from(wide.hasMissing)).toEqual([0, 1, 0, 0, 0, 1, 0, 0, 1]);
      expect(wide.thresholds[2].length).toBe(12);
    }
  });
});
