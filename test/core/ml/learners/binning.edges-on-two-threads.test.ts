import { afterEach, describe, expect, it } from 'vitest';
import { fitBinMapper, type BinMapper } from '../../../../core/ml/learners/tree/binning.ts';
import { HistGrower, type HistGrowerParams } from '../../../../core/ml/learners/tree/hist-grower.ts';
import { histHelperStats, setHistHelperSchedule } from '../../../../core/ml/learners/tree/hist-helper.ts';
import { Rng } from '../../../../core/spec/random.ts';

// Big enough for the grower's helper thread (rows × features ≥ 2^20); 21 features: six groups of
// four read together (the last one short), every other group's edges found by the helper.
const ROWS = 50_000;
const COLS = 21;

function matrix(): Float64Array {
  const rng = new Rng(8);
  const data = new Float64Array(ROWS * COLS);
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < COLS; j++) data[i * COLS + j] = rng.normal() * (j + 1);
    data[i * COLS + 1] = i % 9; // few distinct values: midpoints (a helper group)
    data[i * COLS + 6] = 7; // one value: one bin
    if (i % 5 === 0) data[i * COLS + 0] = NaN; // missing in a helper group
    if (i % 13 === 0) data[i * COLS + 12] = NaN; // and in the caller's
    if (i % 50 === 0) data[i * COLS + 17] = i % 100 === 0 ? Infinity : 2e300; // top 2 %: the last threshold is clamped to 1e300
    if (i === ROWS - 1) data[i * COLS + 20] = NaN; // outside most subsamples' rows
  }
  return data;
}

const params: HistGrowerParams = { maxLeafNodes: 31, maxDepth: 100, minSamplesLeaf: 20, l2: 0, minHessianToSplit: 1e-3, learningRate: 0.1, threads: 2 };

function expectSameMapper(a: BinMapper, b: BinMapper): void {
  expect(a.thresholds.length).toBe(b.thresholds.length);
  for (let j = 0; j < a.thresholds.length; j++) expect(Array.from(a.thresholds[j]), `feature ${j}`).toEqual(Array.from(b.thresholds[j]));
  expect(Array.from(a.nBinsNonMissing)).toEqual(Array.from(b.nBinsNonMissing));
  expect(Array.from(a.hasMissing)).toEqual(Array.from(b.hasMissing));
}

describe('binning a histogram grower on two threads', () => {
  afterEach(() => setHistHelperSchedule('adaptive'));

  // 'helper': the thread finds its groups' edges; 'caller': it claims none and the caller's
  // take-back path finds them from the same slot. Either way the edges are one thread's.
  for (const schedule of ['helper', 'caller'] as const) {
    for (const subsample of [200_000, 20_000]) {
      it(`gives the one-thread bin edges with the helper's groups run by the ${schedule} (subsample ${subsample})`, () => {
        const X = { data: matrix(), rows: ROWS, cols: COLS };
        const alone = fitBinMapper(X, 255, 5, subsample);
        setHistHelperSchedule(schedule);
        const [posted, ranHere] = [histHelperStats.commands, histHelperStats.ranHere];
        const grower = new HistGrower({ X, maxBins: 255, seed: 5, subsample }, ROWS, COLS, params);
        try {
          // Groups 0, 2 and 4 (features 0–3, 8–11, 16–19) go to the helper. Under 'caller', each
          // take-back makes the caller skip a post or more (it works alone a while, hist-helper.ts).
          if (schedule === 'helper') expect([histHelperStats.commands - posted, histHelperStats.ranHere - ranHere]).toEqual([3, 0]);
          else {
            expect(histHelperStats.commands - posted).toBeGreaterThan(0);
            expect(histHelperStats.ranHere - ranHere).toBe(histHelperStats.commands - posted);
          }
          expectSameMapper(grower.mapper, alone);
          expect(grower.mapper.nBinsNonMissing[1]).toBe(9);
          expect(grower.mapper.nBinsNonMissing[6]).toBe(1);
          expect(grower.mapper.hasMissing[0]).toBe(1);
          expect(grower.mapper.thresholds[17][254 - 1]).toBe(1e300);
        } finally {
          grower.close();
        }
      });
    }
  }
});
