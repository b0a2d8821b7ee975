import { describe, expect, it } from 'vitest';
import { summariseBackground } from '../../../../core/ml/explain/background.ts';
import { kernelShap, type Background, type OutputFn } from '../../../../core/ml/explain/kernel-shap.ts';
import { lime } from '../../../../core/ml/explain/lime.ts';
import { columnMeans, linearShap, linearViewOf } from '../../../../core/ml/explain/linear-shap.ts';
import { outputInfo, rawOutputs } from '../../../../core/ml/explain/model-output.ts';
import type { Matrix } from '../../../../core/ml/learners/types.ts';
import type { Task } from '../../../../core/spec/values.ts';
import { fitLearner, head, problem } from './explain-fixtures.ts';

const singletons = (p: number) => Array.from({ length: p }, (_, j) => [j]);
const meanBackground = (X: Matrix): Background => ({ X: { data: columnMeans(X), rows: 1, cols: X.cols }, weights: Float64Array.of(1) });
const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** |base + Σφ − output| at worst, over rows and outputs (φ rows × O × P). */
function localAccuracy(phi: Float64Array, base: ArrayLike<number>, out: Float64Array, rows: number, O: number, P: number): number {
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < O; o++) {
      let s = base[o];
      for (let f = 0; f < P; f++) s += phi[(r * O + o) * P + f];
      worst = Math.max(worst, Math.abs(s - out[r * O + o]));
    }
  }
  return worst;
}

describe('linear SHAP', () => {
  for (const [kind, task] of [['linear_regression', 'regression'], ['ridge', 'regression'], ['lasso', 'regression'], ['logistic_regression', 'binary'], ['logistic_regression', 'multiclass'], ['linear_svm', 'binary'], ['linear_svm', 'multiclass']] as [string, Task][]) {
    it(`is w_i·(x_i − mean_i) on the margin and adds up to it within 1e-9 (${kind} ${task})`, () => {
      const pr = problem(task, 200, 5, 8);
      const state = fitLearner(kind, pr, kind === 'lasso' ? { alpha: 0.01 } : {});
      const view = linearViewOf(kind, state)!;
      const mean = columnMeans(pr.X);
      const X = head(pr.X, 40);
      const { phi, base } = linearShap(view, X, mean);
      const O = view.outputs;
      for (let r = 0; r < X.rows; r++) for (let o = 0; o < O; o++) for (let j = 0; j < 5; j++) {
        expect(Math.abs(phi[(r * O + o) * 5 + j] - view.coef[o * 5 + j] * (X.data[r * 5 + j] - mean[j]))).toBeLessThan(1e-12);
      }
      expect(localAccuracy(phi, base, rawOutputs(kind, task, state, X), X.rows, O, 5)).toBeLessThan(1e-9);
    });
  }
});

describe('KernelSHAP', () => {
  it('on a linear model with a mean background equals linear SHAP within 1e-6, enumerated (6 features) and sampled (14 features)', () => {
    for (const p of [6, 14]) {
      const pr = problem('regression', 200, p, 9);
      const state = fitLearner('linear_regression', pr);
      const X = head(pr.X, 8);
      const bg = meanBackground(pr.X);
      const f: OutputFn = (M) => rawOutputs('linear_regression', 'regression', state, M);
      const kernel = kernelShap(f, 1, X, ids(8), bg, { groups: singletons(p), samples: 0, seed: 5 });
      const exact = linearShap(linearViewOf('linear_regression', state)!, X, columnMeans(pr.X));
      expect(maxAbsDiff(kernel.phi, exact.phi)).toBeLessThan(1e-6);
      expect(Math.abs(kernel.base[0] - exact.base[0])).toBeLessThan(1e-9);
    }
  });

  it('with every coalition enumerated equals the Shapley values of the background game by definition', () => {
    const pr = problem('binary', 150, 5, 4);
    const state = fitLearner('knn', pr, { n_neighbors: 7 });
    const f: OutputFn = (M) => rawOutputs('knn', 'binary', state, M);
    const bg: Background = { X: head(pr.X, 3), weights: Float64Array.of(1, 2, 1) };
    const X = { data: pr.X.data.slice(50 * 5, 53 * 5), rows: 3, cols: 5 };
    const { phi, base } = kernelShap(f, 1, X, ids(3), bg, { groups: singletons(5), samples: 0, seed: 1 });
    // brute force: v(S) = weighted mean over background rows of f(x on S, background elsewhere)
    const fact = [1, 1, 2, 6, 24, 120];
    for (let r = 0; r < 3; r++) {
      const v = (S: number) => {
        let s = 0;
        for (let b = 0; b < 3; b++) {
          const row = Float64Array.from({ length: 5 }, (_, j) => (S & (1 << j) ? X.data[r * 5 + j] : bg.X.data[b * 5 + j]));
          s += (bg.weights[b] / 4) * f({ data: row, rows: 1, cols: 5 })[0];
        }
        return s;
      };
      expect(Math.abs(v(0) - base[0])).toBeLessThan(1e-12);
      for (let i = 0; i < 5; i++) {
        let want = 0;
        for (let S = 0; S < 32; S++) {
          if (S & (1 << i)) continue;
          let k = 0;
          for (let b = S; b; b &= b - 1) k++;
          want += ((fact[k] * fact[4 - k]) / fact[5]) * (v(S | (1 << i)) - v(S));
        }
        expect(Math.abs(phi[r * 5 + i] - want)).toBeLessThan(1e-9);
      }
    }
  });

  for (const [kind, task, params] of [
    ['knn', 'multiclass', {}], ['knn', 'regression', {}], ['gaussian_nb', 'binary', {}], ['mlp', 'multiclass', { max_iter: 50 }], ['mlp', 'regression', { max_iter: 50 }],
    ['linear_svm', 'binary', {}], ['kmeans', 'clustering', { n_clusters: 3 }], ['random_forest', 'binary', { n_estimators: 5 }],
  ] as [string, Task, Record<string, unknown>][]) {
    it(`adds up: base + Σ φ = the model's raw output within 1e-9, sampled coalitions (${kind} ${task})`, () => {
      const pr = problem(task, 150, 12, 6);
      const state = fitLearner(kind, pr, params);
      const f: OutputFn = (M) => rawOutputs(kind, task, state, M);
      const O = outputInfo({ task, classes: pr.nClasses ? ids(pr.nClasses) : undefined, estimator: { kind, params: {}, state }, target: 'y' }).labels.length;
      const X = head(pr.X, 4);
      const { background } = summariseBackground(pr.X, 10, 'kmeans', 3);
      const { phi, base } = kernelShap(f, O, X, ids(4), background, { groups: singletons(12), samples: 300, seed: 2 });
      expect(localAccuracy(phi, base, f(X), 4, O, 12)).toBeLessThan(1e-9);
    });
  }

  it('gives the same values for the same seed and other values for another seed', () => {
    const pr = problem('binary', 150, 12, 6);
    const state = fitLearner('mlp', pr, { max_iter: 50 });
    const f: OutputFn = (M) => rawOutputs('mlp', 'binary', state, M);
    const X = head(pr.X, 3);
    const bg = summariseBackground(pr.X, 8, 'sample', 1).background;
    const run = (seed: number) => kernelShap(f, 1, X, ids(3), bg, { groups: singletons(12), samples: 200, seed }).phi;
    expect(Buffer.from(run(4).buffer).equals(Buffer.from(run(4).buffer))).toBe(true);
    expect(maxAbsDiff(run(4), run(5))).toBeGreaterThan(0);
  });
});

describe('LIME', () => {
  it('recovers w_i·(x_i − mean_i) on a linear model with a mean background, and is seeded', () => {
    const pr = problem('regression', 200, 6, 9);
    const state = fitLearner('linear_regression', pr);
    const X = head(pr.X, 5);
    const f: OutputFn = (M) => rawOutputs('linear_regression', 'regression', state, M);
    const r = lime(f, 1, X, ids(5), meanBackground(pr.X), { groups: singletons(6), samples: 500, seed: 3 });
    const exact = linearShap(linearViewOf('linear_regression', state)!, X, columnMeans(pr.X));
    expect(maxAbsDiff(r.phi, exact.phi)).toBeLessThan(1e-6);
    expect(Math.min(...r.r2)).toBeGreaterThan(0.999999);
    const again = lime(f, 1, X, ids(5), meanBackground(pr.X), { groups: singletons(6), samples: 500, seed: 3 });
    expect(Buffer.from(again.phi.buffer).equals(Buffer.from(r.phi.buffer))).toBe(true);
  });
});

describe('background summary', () => {
  it('k-means centres are weighted by their rows and keep every coordinate a value the column takes', () => {
    const pr = problem('regression', 300, 4, 2);
    for (let i = 0; i < 300; i++) pr.X.data[i * 4 + 3] = i % 3 === 0 ? 1 : 0; // a one-hot-like column
    const { background } = summariseBackground(pr.X, 12, 'kmeans', 7);
    expect(background.weights.reduce((a, b) => a + b, 0)).toBe(300);
    for (let c = 0; c < background.X.rows; c++) {
      expect([0, 1]).toContain(background.X.data[c * 4 + 3]);
      for (let j = 0; j < 4; j++) expect(Array.from({ length: 300 }, (_, i) => pr.X.data[i * 4 + j])).toContain(background.X.data[c * 4 + j]);
    }
  });
});
