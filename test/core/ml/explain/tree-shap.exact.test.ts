import { describe, expect, it } from 'vitest';
import { rawOutputs } from '../../../../core/ml/explain/model-output.ts';
import { ensembleExpectation, treeShap } from '../../../../core/ml/explain/tree-shap.ts';
import { treeEnsembleOf } from '../../../../core/ml/explain/tree-view.ts';
import type { Task } from '../../../../core/spec/values.ts';
import { bruteForceShap } from './brute-force-shap.ts';
import { fitLearner, head, problem } from './explain-fixtures.ts';

const CASES: { kind: string; task: Task; params: Record<string, unknown> }[] = [
  { kind: 'decision_tree', task: 'binary', params: { max_depth: 6 } },
  { kind: 'decision_tree', task: 'multiclass', params: {} },
  { kind: 'decision_tree', task: 'regression', params: { max_depth: 7 } },
  { kind: 'random_forest', task: 'binary', params: { n_estimators: 6, max_depth: 6 } },
  { kind: 'random_forest', task: 'multiclass', params: { n_estimators: 5 } },
  { kind: 'random_forest', task: 'regression', params: { n_estimators: 5, max_depth: 8 } },
  { kind: 'hist_gradient_boosting', task: 'binary', params: { max_iter: 15, max_depth: 5 } },
  { kind: 'hist_gradient_boosting', task: 'multiclass', params: { max_iter: 8 } },
  { kind: 'hist_gradient_boosting', task: 'regression', params: { max_iter: 12 } },
  { kind: 'isolation_forest', task: 'anomaly', params: { n_estimators: 8 } },
];

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('TreeSHAP is exact', () => {
  for (const c of CASES) {
    it(`equals brute-force path-dependent Shapley values (8 features, missing values) for ${c.kind} ${c.task}, both algorithms`, () => {
      const pr = problem(c.task, 150, 8, 11, c.kind === 'isolation_forest' ? 0 : 0.05);
      const ens = treeEnsembleOf(c.kind, fitLearner(c.kind, pr, c.params))!;
      const X = head(pr.X, 6);
      const truth = bruteForceShap(ens, X);
      expect(maxAbsDiff(treeShap(ens, X, { algorithm: 'recursive' }), truth)).toBeLessThan(1e-9);
      // The leaf tables need every path short enough; the trees here are.
      expect(maxAbsDiff(treeShap(ens, X, { algorithm: 'table' }), truth)).toBeLessThan(1e-9);
    });
  }

  for (const c of CASES) {
    it(`adds up: base value + Σ attributions = the model's raw output on every row (${c.kind} ${c.task})`, () => {
      const pr = problem(c.task, 200, 6, 5, c.kind === 'isolation_forest' ? 0 : 0.05);
      const state = fitLearner(c.kind, pr, c.params);
      const ens = treeEnsembleOf(c.kind, state)!;
      const phi = treeShap(ens, pr.X);
      const base = ensembleExpectation(ens);
      const out = rawOutputs(c.kind, c.task, state, pr.X);
      const O = ens.outputs;
      const M = pr.X.cols;
      let worst = 0;
      for (let r = 0; r < pr.X.rows; r++) {
        for (let o = 0; o < O; o++) {
          let s = base[o];
          for (let f = 0; f < M; f++) s += phi[(r * O + o) * M + f];
          worst = Math.max(worst, Math.abs(s - out[r * O + o]));
        }
      }
      expect(worst).toBeLessThan(1e-9);
    });
  }

  it('gives exactly 0 to a feature no tree splits on', () => {
    const pr = problem('regression', 150, 6, 2);
    // f5 made constant: no tree can split on it.
    for (let i = 0; i < pr.X.rows; i++) pr.X.data[i * 6 + 5] = 1.5;
    for (const kind of ['decision_tree', 'random_forest', 'hist_gradient_boosting']) {
      const ens = treeEnsembleOf(kind, fitLearner(kind, pr, kind === 'random_forest' ? { n_estimators: 5 } : {}))!;
      const X = head(pr.X, 20);
      for (const algorithm of ['table', 'recursive'] as const) {
        const phi = treeShap(ens, X, { algorithm });
        for (let r = 0; r < X.rows; r++) expect(Object.is(phi[r * 6 + 5], 0)).toBe(true);
        // ... while the features the target depends on do get attributions.
        expect(phi.some((v, i) => i % 6 === 0 && v !== 0)).toBe(true);
      }
    }
  });

  it('explains a single-split stump in closed form: ±(value − mean) by cover', () => {
    const pr = problem('regression', 100, 3, 4);
    const state = fitLearner('decision_tree', pr, { max_depth: 1 });
    const ens = treeEnsembleOf('decision_tree', state)!;
    const t = ens.trees[0];
    const [l, r] = [t.left[0], t.right[0]];
    const mean = (t.cover[l] * t.value[l] + t.cover[r] * t.value[r]) / t.cover[0];
    const X = head(pr.X, 10);
    const phi = treeShap(ens, X);
    for (let i = 0; i < X.rows; i++) {
      const leaf = X.data[i * 3 + t.feature[0]] <= t.threshold[0] ? l : r;
      expect(phi[i * 3 + t.feature[0]]).toBeCloseTo(t.value[leaf] - mean, 12);
    }
  });
});
