import { beforeAll, describe, expect, it } from 'vitest';
import { histGradientBoosting, hgbRawScores } from '../../../../core/ml/learners/tree/hist-gradient-boosting.ts';
import { binMatrix, fitBinMapper } from '../../../../core/ml/learners/tree/binning.ts';
import { HistGrower } from '../../../../core/ml/learners/tree/hist-grower.ts';
import { kernelMemory, loadTreeKernels } from '../../../../core/ml/learners/tree/tree-kernels.ts';
import type { FitData, Matrix } from '../../../../core/ml/learners/types.ts';
import { isFlowlineError } from '../../../../core/spec/errors.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { expectClose } from './learner-checks.ts';
import { type ParityCase, parityMany } from './tree-parity.ts';

function problem(n: number, cols: number, seed: number, k = 2, nanEvery = 0): FitData {
  const rng = new Rng(seed);
  const data = new Float64Array(n * cols);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const v = rng.normal();
      data[i * cols + j] = nanEvery > 0 && j === 0 && i % nanEvery === 0 ? NaN : v;
      s += j < 3 ? v * (j + 1) : 0;
    }
    if (nanEvery > 0 && i % nanEvery === 0) s += 2; // missingness carries signal
    y[i] = k === 0 ? s + rng.normal() * 0.3 : Math.min(k - 1, Math.max(0, Math.floor((s + 3) / (6 / k) + rng.normal() * 0.2)));
  }
  return { X: { data, rows: n, cols }, y, nClasses: k || undefined, featureNames: Array.from({ length: cols }, (_, j) => `x${j}`) };
}

const fit = (d: FitData, params: Record<string, unknown>, task: 'binary' | 'multiclass' | 'regression', seed = 0) =>
  histGradientBoosting.fit(d, histGradientBoosting.params.parse(params), { task, seed });

describePython('sklearn', 'hist_gradient_boosting matches scikit-learn 1.2', () => {
  const CASES: ParityCase[] = [
    { dataset: 'breast_cancer', estimator: 'HistGradientBoostingClassifier()' },
    { dataset: 'penguins_sex', estimator: 'HistGradientBoostingClassifier()' },
    { dataset: 'digits', estimator: 'HistGradientBoostingClassifier()' },
    { dataset: 'diabetes', estimator: 'HistGradientBoostingRegressor()' },
  ];
  let results: ReturnType<typeof parityMany>;
  beforeAll(() => {
    results = parityMany(histGradientBoosting, CASES, [0]);
  }, 300_000);
  it.each(CASES.map((c) => c.dataset))('%s', (dataset) => {
    const { ours, theirs } = results.get(dataset)!;
    expectClose(ours, theirs);
  });

  it('bins like sklearn\'s _BinMapper (midpoints, midpoint quantiles, missing bin)', () => {
    const d = problem(3000, 3, 4, 2, 9);
    for (let i = 0; i < 3000; i++) d.X.data[i * 3 + 2] = i % 17; // few distinct values
    const ours = fitBinMapper(d.X, 255, 0);
    const sk = runPython<{ t: number[][]; nb: number[]; miss: boolean[] }>(
      `import json,sys,numpy as np\nfrom sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper\na=json.load(sys.stdin)\nX=np.array([np.nan if v is None else v for v in a['X']]).reshape(-1,3)\nb=_BinMapper(n_bins=256).fit(X)\nprint(json.dumps({'t':[t.tolist() for t in b.bin_thresholds_],'nb':b.n_bins_non_missing_.tolist(),'miss':b.missing_values_bin_idx_ is not None and [bool(m) for m in np.isnan(X).any(axis=0)]}))`,
      { X: Array.from(d.X.data, (v) => (Number.isNaN(v) ? null : v)) },
    );
    for (let f = 0; f < 3; f++) {
      expect(ours.thresholds[f].length).toBe(sk.t[f].length);
      ours.thresholds[f].forEach((t, i) => expect(Math.abs(t - sk.t[f][i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(t))));
      expect(ours.nBinsNonMissing[f]).toBe(sk.nb[f]);
    }
    expect(Array.from(ours.hasMissing)).toEqual([1, 0, 0]);
  });

  it('handles missing values like sklearn (learned direction), same test accuracy', () => {
    const train = problem(2000, 5, 1, 2, 4);
    const test = problem(1000, 5, 2, 2, 4);
    const ours = histGradientBoosting.predict(fit(train, { max_iter: 50 }, 'binary'), test.X);
    const sk = runPython<{ p: number[] }>(
      `import os\nos.environ['OMP_NUM_THREADS']='1'\nimport json,sys,numpy as np\nfrom sklearn.ensemble import HistGradientBoostingClassifier\na=json.load(sys.stdin)\nf=lambda v: np.array([np.nan if x is None else x for x in v]).reshape(-1,5)\nm=HistGradientBoostingClassifier(max_iter=50).fit(f(a['X']),a['y'])\nprint(json.dumps({'p':m.predict(f(a['T'])).tolist()}))`,
      { X: Array.from(train.X.data, (v) => (Number.isNaN(v) ? null : v)), y: Array.from(train.y!), T: Array.from(test.X.data, (v) => (Number.isNaN(v) ? null : v)) },
    );
    const acc = (p: ArrayLike<number>) => Array.from(p).filter((v, i) => v === test.y![i]).length / test.X.rows;
    expect(Math.abs(acc(ours.values) - acc(sk.p))).toBeLessThanOrEqual(0.01);
    expect(acc(ours.values)).toBeGreaterThan(0.8);
  });
});

describe('binMatrix', () => {
  it('puts each value in the bin counting the thresholds below it (ties in the lower bin), NaN in the missing bin', () => {
    const rng = new Rng(3);
    // Columns with 0 to 6 distinct values (0 to 5 thresholds, values on them too), then a wide one.
    const cols = 8;
    const rows = 500;
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols - 1; j++) data[i * cols + j] = rng.int(j + 1);
      data[i * cols + cols - 1] = i % 50 === 0 ? NaN : Math.round(rng.normal() * 100) / 10;
    }
    const X: Matrix = { data, rows, cols };
    const mapper = fitBinMapper(X, 16, 0);
    const bins = binMatrix(X, mapper);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const v = data[i * cols + j];
        const expected = Number.isNaN(v) ? 255 : mapper.thresholds[j].filter((t) => t < v).length;
        expect(bins[j * rows + i]).toBe(expected);
      }
    }
    expect(mapper.thresholds[0]).toHaveLength(0);
    expect(mapper.thresholds[cols - 1]).toHaveLength(15);
  });
});

describe('hist_gradient_boosting', () => {
  it('is deterministic for a seed (bit-identical predictions), multiclass included', () => {
    const d = problem(1500, 6, 3, 3);
    const a = histGradientBoosting.predict(fit(d, { max_iter: 20 }, 'multiclass', 9), d.X);
    const b = histGradientBoosting.predict(fit(d, { max_iter: 20 }, 'multiclass', 9), d.X);
    expect(Buffer.from(a.proba!.buffer).equals(Buffer.from(b.proba!.buffer))).toBe(true);
  });

  it('starts multiclass from the log class priors and grows k trees per iteration', () => {
    const d = problem(900, 4, 5, 3);
    const s = fit(d, { max_iter: 4 }, 'multiclass');
    expect(s.treesPerIteration).toBe(3);
    expect(s.trees.length).toBe(12);
    const counts = [0, 0, 0];
    d.y!.forEach((c) => counts[c]++);
    const logs = counts.map((c) => Math.log(c / 900));
    const m = logs.reduce((a, b) => a + b) / 3;
    s.baseline.forEach((b, i) => expect(b).toBeCloseTo(logs[i] - m, 12));
  });

  it('leaf values shrink by the learning rate; cover is the hessian sum (= rows for squared error)', () => {
    const d = problem(600, 3, 6, 0);
    const s = fit(d, { max_iter: 1, max_leaf_nodes: 4 }, 'regression');
    const t = s.trees[0];
    expect(t.cover[0]).toBe(600);
    let leaves = 0;
    for (let i = 0; i < t.feature.length; i++) if (t.feature[i] < 0) leaves++;
    expect(leaves).toBe(4);
    // One iteration: raw = mean + 0.1 × (leaf mean − mean), so predictions sit between.
    const raw = hgbRawScores(s, d.X);
    const mean = d.y!.reduce((a, b) => a + b) / 600;
    expect(Math.abs(raw[0] - mean)).toBeLessThan(0.2 * Math.abs(d.y![0] - mean) + 0.5);
  });

  it('stops early above 10 000 rows ("auto") and records the validation loss', () => {
    const d = problem(12_000, 4, 7, 2);
    const s = fit(d, { max_iter: 300, learning_rate: 0.5 }, 'binary');
    expect(s.nIter).toBeLessThan(300);
    expect(s.validationLoss.length).toBe(s.nIter + 1);
    const off = fit(problem(2000, 4, 7, 2), { max_iter: 15 }, 'binary');
    expect(off.nIter).toBe(15);
    expect(off.validationLoss.length).toBe(0);
  });

  it('never splits on a constant or all-missing feature', () => {
    const d = problem(800, 4, 8, 2);
    for (let i = 0; i < 800; i++) {
      d.X.data[i * 4 + 2] = 3;
      d.X.data[i * 4 + 3] = NaN;
    }
    const s = fit(d, { max_iter: 10 }, 'binary');
    for (const t of s.trees) for (const f of t.feature) expect(f === 2 || f === 3).toBe(false);
    const x: Matrix = { data: Float64Array.from([0.5, 0.5, NaN, NaN]), rows: 1, cols: 4 };
    expect(Number.isFinite(histGradientBoosting.predict(s, x).proba![1])).toBe(true);
  });

  it('class_weight balanced raises the minority class\'s probability', () => {
    const d = problem(1000, 3, 9, 2);
    for (let i = 0; i < 1000; i++) if (d.y![i] === 1 && i % 4 !== 0) d.y![i] = 0;
    const mean = (p: Float64Array) => p.filter((_, i) => i % 2 === 1).reduce((a, b) => a + b) / 1000;
    const plain = histGradientBoosting.predict(fit(d, { max_iter: 10 }, 'binary'), d.X);
    const bal = histGradientBoosting.predict(fit(d, { max_iter: 10, class_weight: 'balanced' }, 'binary'), d.X);
    expect(mean(bal.proba!)).toBeGreaterThan(mean(plain.proba!) + 0.1);
  });

  it('rejects no rows and a missing target with plain messages', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isFlowlineError(e) ? `${e.code}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(codeOf(() => fit({ X: { data: new Float64Array(0), rows: 0, cols: 1 }, y: new Float64Array(0), nClasses: 2, featureNames: ['a'] }, {}, 'binary'))).toMatch(/^BAD_DATA: .*no training rows/i);
    expect(codeOf(() => fit({ X: { data: Float64Array.from([1, 2]), rows: 2, cols: 1 }, y: Float64Array.from([1, NaN]), featureNames: ['a'] }, {}, 'regression'))).toMatch(/^BAD_TARGET: .*row 2/);
  });

  it('grows the same trees, bit for bit, with the WebAssembly kernels as with the JavaScript loops', () => {
    expect(loadTreeKernels(kernelMemory(1))).not.toBeNull(); // Node has WebAssembly SIMD: the fast path is the one tested
    const d = problem(3000, 7, 11, 2, 5); // NaN in x0, 7 features (not a multiple of 4)
    const mapper = fitBinMapper(d.X, 255, 0);
    const bins = binMatrix(d.X, mapper, true);
    const params = { maxLeafNodes: 80, maxDepth: 12, minSamplesLeaf: 5, l2: 0.1, minHessianToSplit: 1e-3, learningRate: 0.3 };
    // 80 leaves: more live histograms than the pool starts with, so the memory grows mid-tree.
    const fast = new HistGrower({ bins, mapper }, 3000, 7, params);
    const slow = new HistGrower({ bins, mapper }, 3000, 7, { ...params, kernels: 'js' });
    const rng = new Rng(5);
    const g = new Float64Array(3000);
    const h = new Float64Array(3000);
    const rawFast = new Float64Array(3000);
    const rawSlow = new Float64Array(3000);
    for (let tree = 0; tree < 4; tree++) {
      for (let i = 0; i < 3000; i++) {
        g[i] = rng.normal() + d.y![i];
        h[i] = tree === 1 ? 1 : 0.1 + rng.next();
      }
      const a = fast.grow(g, h);
      const b = slow.grow(g, h);
      expect(a.feature.length).toBeGreaterThan(60);
      expect(a).toEqual(b);
      fast.addLeafValues(rawFast, 1, 0);
      slow.addLeafValues(rawSlow, 1, 0);
      expect(rawFast).toEqual(rawSlow);
    }
  });
});
