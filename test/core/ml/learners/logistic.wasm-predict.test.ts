import { describe, expect, it } from 'vitest';
import { binaryLogisticKernel, linearDecisionKernel } from '../../../../core/ml/learners/linear-kernels.ts';
import { logisticRegression, margins, probaFromDecision, type LinearClassifierState } from '../../../../core/ml/learners/logistic.ts';
import type { Matrix, Prediction } from '../../../../core/ml/learners/types.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython, runPython } from '../../../support/python.ts';

/** |a − b| within 1e-12 of |b|, or 2 ulps of 1 (1 − p near 0 differs by p's last bit). */
const close = (a: number, b: number) => (Number.isNaN(b) ? Number.isNaN(a) : Math.abs(a - b) <= 1e-12 * Math.abs(b) + 2 * Number.EPSILON);

function binaryState(rng: Rng, p: number, scale: number): LinearClassifierState {
  return { coef: new Float64Array(p).map(() => rng.normal() * scale), intercept: Float64Array.of(rng.normal()), nFeatures: p, nClasses: 2, iterations: 1, converged: true };
}

/** The first row where labels differ or a probability is not close, or null. */
function firstDifference(ours: Prediction, before: { values: ArrayLike<number>; proba: ArrayLike<number> }, name: (i: number) => string): string | null {
  for (let i = 0; i < ours.values.length; i++) {
    if (ours.values[i] !== before.values[i]) return `${name(i)}: label ${ours.values[i]} vs ${before.values[i]}`;
    for (const c of [0, 1]) if (!close(ours.proba![2 * i + c], before.proba[2 * i + c])) return `${name(i)}, class ${c}: ${ours.proba![2 * i + c]} vs ${before.proba[2 * i + c]}`;
  }
  return null;
}

/** The JavaScript loops' decision values (margins(), class by class), n × k. */
function javascriptDecision(state: { coef: Float64Array; intercept: Float64Array; nFeatures: number }, X: Matrix): Float64Array {
  const p = state.nFeatures;
  const k = state.intercept.length;
  const out = new Float64Array(X.rows * k);
  const z = new Float64Array(X.rows);
  for (let c = 0; c < k; c++) {
    margins(X.data, X.rows, p, state.coef.subarray(c * p, c * p + p), state.intercept[c], z);
    for (let i = 0; i < X.rows; i++) out[i * k + c] = z[i];
  }
  return out;
}

/** What predict gave before the kernel: the JavaScript decision and sigmoid loops. */
const javascriptPredict = (state: LinearClassifierState, X: Matrix) => probaFromDecision(javascriptDecision(state, X), X.rows, 2);

describe('logistic regression predicts two classes with the WebAssembly kernel', () => {
  it('runs the kernel here (Node has WebAssembly SIMD), so the tests below compare two paths', () => {
    expect(binaryLogisticKernel(Float64Array.of(1), 0, Float64Array.of(1, 2, 3), 3, 1)).not.toBeNull();
    expect(linearDecisionKernel(Float64Array.of(1), Float64Array.of(0), Float64Array.of(1, 2, 3), 3, 1)).not.toBeNull();
  });

  it('gives multiclass (and linear SVM, SHAP) decision values bit for bit as the JavaScript loops, over several blocks, so 4-class probabilities are identical', () => {
    const rng = new Rng(5);
    for (const [n, p, k] of [[10_003, 7, 4], [10_003, 7, 1], [13, 3, 3]]) {
      const X = { data: new Float64Array(n * p).map(() => rng.normal() * 2), rows: n, cols: p };
      const state: LinearClassifierState = { coef: new Float64Array(k * p).map(() => rng.normal()), intercept: new Float64Array(k).map(() => rng.normal()), nFeatures: p, nClasses: Math.max(k, 2), iterations: 1, converged: true };
      const ours = linearDecisionKernel(state.coef, state.intercept, X.data, n, p)!;
      const js = javascriptDecision(state, X);
      const differs = ours.findIndex((v, i) => !Object.is(v, js[i]));
      expect(differs, `n ${n}, p ${p}, k ${k}: first difference at ${differs}`).toBe(-1);
      if (k > 2) {
        const proba = logisticRegression.predict(state, X).proba!;
        const before = probaFromDecision(js, n, k).proba!;
        expect(proba.findIndex((v, i) => !Object.is(v, before[i]))).toBe(-1);
      }
    }
  });

  it('gives the same labels and probabilities within 1e-12 relative as the JavaScript path, over several blocks and a partial group of rows', () => {
    const rng = new Rng(16);
    // 20,000 features: past the kernel's widest, predicted by the JavaScript loops (the same numbers).
    for (const [n, p] of [[10_003, 7], [37, 1], [5, 20], [1_201, 300], [3, 20_000]]) {
      const X = { data: new Float64Array(n * p).map(() => rng.normal() * 2), rows: n, cols: p };
      const state = binaryState(rng, p, 3 / Math.sqrt(p));
      const ours = logisticRegression.predict(state, X);
      const before = javascriptPredict(state, X);
      expect(firstDifference(ours, { values: before.values, proba: before.proba! }, (i) => `n ${n}, p ${p}, row ${i}`)).toBeNull();
    }
  });

  it('matches the JavaScript path at every sign and extreme of the decision: ±0, tiny, ±36, ±709 (exp past the normal range), ±800, ±Infinity, NaN', () => {
    // One feature with coefficient 1 and intercept 0: each decision is exactly the row's value.
    const d = [0, -0, 1e-300, -1e-300, 1e-9, -1e-9, 36, -36, 40, -40, 700, -700, 708, -708, 708.5, -708.5, 709, -709, 745, -745, 800, -800, Infinity, -Infinity, NaN];
    const X = { data: Float64Array.from(d), rows: d.length, cols: 1 };
    const state: LinearClassifierState = { coef: Float64Array.of(1), intercept: Float64Array.of(0), nFeatures: 1, nClasses: 2, iterations: 1, converged: true };
    const ours = logisticRegression.predict(state, X);
    const before = javascriptPredict(state, X);
    expect(firstDifference(ours, { values: before.values, proba: before.proba! }, (i) => `decision ${d[i]}`)).toBeNull();
    // Beyond exp's normal range the rows are recomputed with Math.exp: bit for bit the JavaScript path.
    for (const i of d.flatMap((v, i) => (Math.abs(v) > 708 || Number.isNaN(v) ? [i] : []))) {
      expect(Object.is(ours.proba![2 * i + 1], before.proba![2 * i + 1]), `decision ${d[i]}`).toBe(true);
    }
  });

  it('computes every decision value bit for bit as the plain dot product, so labels flip only where the decision is exactly 0', () => {
    // A decision of exactly 0 is label 0 with probability 1/2 on both paths.
    const X = { data: Float64Array.of(1, -1, 0.5, -0.5, 2, -2, 0, 0, 1, 1), rows: 5, cols: 2 };
    const state: LinearClassifierState = { coef: Float64Array.of(1, 1), intercept: Float64Array.of(0), nFeatures: 2, nClasses: 2, iterations: 1, converged: true };
    const ours = logisticRegression.predict(state, X);
    expect(Array.from(ours.values)).toEqual([0, 0, 0, 0, 1]);
    expect(Array.from(ours.proba!.subarray(0, 8))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});

describePython('sklearn', 'logistic regression predict_proba matches scikit-learn given the same coefficients', () => {
  it("probabilities within 1e-12 relative of LogisticRegression.predict_proba's, labels identical, on 2,000 × 20 rows", () => {
    const rng = new Rng(3);
    const n = 2_000;
    const p = 20;
    const X = { data: new Float64Array(n * p).map(() => rng.normal() * 1.5), rows: n, cols: p };
    const state = binaryState(rng, p, 1);
    const sk = runPython<{ proba: number[]; labels: number[] }>(
      String.raw`
import json, sys, numpy as np
from sklearn.linear_model import LogisticRegression
a = json.load(sys.stdin)
m = LogisticRegression()
m.coef_ = np.array([a['coef']]); m.intercept_ = np.array([a['intercept']]); m.classes_ = np.array([0.0, 1.0])
X = np.array(a['X']).reshape(-1, a['p'])
print(json.dumps({'proba': m.predict_proba(X).ravel().tolist(), 'labels': m.predict(X).tolist()}))
`,
      { X: Array.from(X.data), p, coef: Array.from(state.coef), intercept: state.intercept[0] },
    );
    const ours = logisticRegression.predict(state, X);
    expect(firstDifference(ours, { values: sk.labels, proba: sk.proba }, (i) => `row ${i}`)).toBeNull();
  });
});
