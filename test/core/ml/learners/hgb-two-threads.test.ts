import { afterEach, describe, expect, it, vi } from 'vitest';
import { histGradientBoosting, type HgbState } from '../../../../core/ml/learners/tree/hist-gradient-boosting.ts';
import { histHelperStats, setHistHelperSchedule } from '../../../../core/ml/learners/tree/hist-helper.ts';
import { sharedKernelMemory } from '../../../../core/ml/learners/tree/tree-kernels.ts';
import type { FitData, FlatTree } from '../../../../core/ml/learners/types.ts';
import { Rng } from '../../../../core/spec/random.ts';

// Big enough for the helper thread (rows × features ≥ 2^20), an odd feature count, NaN in two
// features (one with signal in its missingness), signal in the features of both threads.
const ROWS = 40_000;
const COLS = 27;

function problem(k: number): FitData {
  const rng = new Rng(3);
  const data = new Float64Array(ROWS * COLS);
  const y = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    let s = 0;
    for (let j = 0; j < COLS; j++) {
      const v = rng.normal();
      const missing = (j === 0 && i % 7 === 0) || (j === COLS - 1 && i % 11 === 3);
      data[i * COLS + j] = missing ? NaN : v;
      s += j % 2 === 0 ? v * (1 + (j % 3)) * 0.3 : 0; // signal in both halves of the features
    }
    if (i % 7 === 0) s += 2;
    y[i] = k === 0 ? s + rng.normal() : Math.min(k - 1, Math.max(0, Math.floor((s + 3) / (6 / k) + rng.normal() * 0.3)));
  }
  return { X: { data, rows: ROWS, cols: COLS }, y, nClasses: k || undefined, featureNames: Array.from({ length: COLS }, (_, j) => `x${j}`) };
}

const params = (p: Record<string, unknown>) => histGradientBoosting.params.parse({ max_leaf_nodes: 40, early_stopping: false, ...p });

function fitWith(threads: '1' | '2', d: FitData, task: 'binary' | 'multiclass' | 'regression', p: Record<string, unknown>): HgbState {
  vi.stubEnv('FLOWLINE_HGB_THREADS', threads);
  try {
    return histGradientBoosting.fit(d, params(p), { task, seed: 4 });
  } finally {
    vi.unstubAllEnvs();
  }
}

/** Index of the first value that differs (Object.is), or -1. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameTrees(a: FlatTree[], b: FlatTree[]): void {
  expect(a.length).toBe(b.length);
  for (let t = 0; t < a.length; t++) {
    for (const key of ['feature', 'threshold', 'child', 'missingLeft', 'cover', 'value'] as const) {
      expect(firstDiff(a[t][key], b[t][key]), `tree ${t} ${key}`).toBe(-1);
    }
  }
}

/** Commands posted during `fit`, and how many of them the caller took back and ran itself. */
function countWork<T>(fit: () => T): { result: T; posted: number; ranHere: number } {
  const [posted, ranHere] = [histHelperStats.commands, histHelperStats.ranHere];
  const result = fit();
  return { result, posted: histHelperStats.commands - posted, ranHere: histHelperStats.ranHere - ranHere };
}

// Which thread runs a command depends on scheduling (the caller takes back what the helper has
// not claimed yet), so the tests pin the schedule to check each path instead of counting on luck.
describe('hist_gradient_boosting on two threads', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    setHistHelperSchedule('adaptive');
  });

  it('has shared WebAssembly memory here, so the two-thread path is the one tested', () => {
    expect(sharedKernelMemory(1)).not.toBeNull();
  });

  function expectSameModel(d: FitData, two: HgbState, one: HgbState): void {
    expect(two.nIter).toBe(one.nIter);
    expectSameTrees(two.trees, one.trees);
    const p1 = histGradientBoosting.predict(one, d.X);
    const p2 = histGradientBoosting.predict(two, d.X);
    expect(firstDiff(p2.values, p1.values)).toBe(-1);
    if (p1.proba) expect(firstDiff(p2.proba!, p1.proba)).toBe(-1);
  }

  for (const [task, k, iters] of [['binary', 2, 15], ['regression', 0, 10], ['multiclass', 3, 5]] as const) {
    it(`${task}: the same trees and predictions, bit for bit, as on one thread, whichever thread runs each command`, () => {
      const d = problem(k);
      const one = fitWith('1', d, task, { max_iter: iters });

      setHistHelperSchedule('helper');
      const helperRuns = countWork(() => fitWith('2', d, task, { max_iter: iters }));
      expect(helperRuns.posted).toBeGreaterThan(20); // work went to the helper
      expect(helperRuns.ranHere).toBe(0); // and the helper ran all of it
      expect(histHelperStats.live).toBe(0); // and was closed
      expectSameModel(d, helperRuns.result, one);

      setHistHelperSchedule('caller');
      const callerRuns = countWork(() => fitWith('2', d, task, { max_iter: iters }));
      expect(callerRuns.posted).toBeGreaterThan(0);
      expect(callerRuns.ranHere).toBe(callerRuns.posted); // every command taken back and run here
      expect(histHelperStats.live).toBe(0);
      expectSameModel(d, callerRuns.result, one);

      setHistHelperSchedule('adaptive'); // as in use: any split between the threads
      expectSameModel(d, fitWith('2', d, task, { max_iter: iters }), one);
    });
  }

  it('uses the helper only when the fit may use several threads (Train), not for side-by-side fits (folds, trials)', () => {
    const d = problem(2);
    setHistHelperSchedule('helper'); // so that a helper, once started, surely gets work
    const posted = histHelperStats.commands;
    histGradientBoosting.fit(d, params({ max_iter: 15 }), { task: 'binary', seed: 4 });
    expect(histHelperStats.commands).toBe(posted);
    histGradientBoosting.fit(d, params({ max_iter: 15 }), { task: 'binary', seed: 4, threads: 2 });
    expect(histHelperStats.commands).toBeGreaterThan(posted);
    expect(histHelperStats.live).toBe(0);
  });

  it('leaves no helper thread behind when the fit throws', () => {
    const d = problem(2);
    let calls = 0;
    let liveThen = 0;
    const stop = () => {
      if (++calls < 5) return;
      liveThen = histHelperStats.live;
      throw new Error('cancelled');
    };
    vi.stubEnv('FLOWLINE_HGB_THREADS', '2');
    expect(() => histGradientBoosting.fit(d, params({ max_iter: 20 }), { task: 'binary', seed: 4, checkCancelled: stop })).toThrow('cancelled');
    expect(liveThen).toBe(1); // a helper ran when the fit threw
    expect(histHelperStats.live).toBe(0);
  });
});
