import { describe, expect, it } from 'vitest';
import { kFold, stratifiedKFold } from '../../../core/ml/cv.ts';

describe('k-fold assignment', () => {
  it('k-fold: every row held out exactly once, train and test disjoint, sizes within 1', () => {
    const folds = kFold(103, 5, 1);
    const seen = new Uint8Array(103);
    for (const f of folds) {
      for (const i of f.test) seen[i]++;
      expect(f.train.length + f.test.length).toBe(103);
      const test = new Set(f.test);
      expect([...f.train].some((i) => test.has(i))).toBe(false);
      expect(f.test.length === 20 || f.test.length === 21).toBe(true);
    }
    expect([...seen].every((c) => c === 1)).toBe(true);
  });

  it('is seeded: same seed same folds, other seed other folds', () => {
    expect(kFold(50, 5, 3)).toEqual(kFold(50, 5, 3));
    expect(kFold(50, 5, 3)[0].test).not.toEqual(kFold(50, 5, 4)[0].test);
  });

  it('stratified: each fold keeps the class proportions (±1 row)', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
    const folds = stratifiedKFold(y, 3, 5, 9);
    for (const f of folds) {
      const counts = [0, 0, 0];
      for (const i of f.test) counts[y[i]]++;
      expect(counts).toEqual([14, 4, 2]);
    }
  });

  it('refuses a class with one row, more classes than rows per fold, and too few rows', () => {
    expect(() => stratifiedKFold([0, 0, 0, 1, 1, 1, 2], 3, 2, 1, ['a', 'b', 'c'])).toThrow(/Class 'c' has a single row/);
    expect(() => stratifiedKFold([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], 6, 5, 1)).toThrow(/6 classes but each of the 5 folds holds only about 2 rows/);
    expect(() => kFold(3, 5, 1)).toThrow(/at least 5 rows/);
    expect(() => kFold(10, 1, 1)).toThrow(/at least 2 folds/);
  });
});
