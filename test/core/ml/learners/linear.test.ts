import { describe, expect, it } from 'vitest';
import { lasso, linearRegression, ridge } from '../../../../core/ml/learners/linear.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectClose, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

describePython('sklearn', 'linear regressors match scikit-learn 1.2 (rmse within 3%)', () => {
  const outcomes = runParity([
    { learner: linearRegression, dataset: 'diabetes', estimator: 'LinearRegression()' },
    { learner: ridge, dataset: 'diabetes', estimator: 'Ridge(alpha=1.0)' },
    { learner: ridge, params: { alpha: 10 }, dataset: 'diabetes', estimator: 'Ridge(alpha=10.0)', scale: true },
    { learner: lasso, params: { alpha: 0.1 }, dataset: 'diabetes', estimator: 'Lasso(alpha=0.1)' },
    { learner: lasso, params: { alpha: 2 }, dataset: 'diabetes', estimator: 'Lasso(alpha=2.0)', scale: true },
  ]);
  for (const o of outcomes) {
    it(o.label, () => expectClose(o.ours, o.sklearn));
  }
});

describe('linear regressors', () => {
  it('linear_regression recovers exact coefficients and gives 0 to a duplicated feature', () => {
    // y = 1 + 2a − 3b; column c duplicates a, so least squares has many answers: keep one.
    const n = 20;
    const data = new Float64Array(n * 3);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = Math.sin(i);
      const b = Math.cos(3 * i);
      data.set([a, b, a], i * 3);
      y[i] = 1 + 2 * a - 3 * b;
    }
    const s = linearRegression.fit({ X: { data, rows: n, cols: 3 }, y, featureNames: ['a', 'b', 'c'] }, linearRegression.params.parse({}), { task: 'regression', seed: 1 });
    expect(s.coef[0] + s.coef[2]).toBeCloseTo(2, 10);
    expect(s.coef[1]).toBeCloseTo(-3, 10);
    expect(s.intercept).toBeCloseTo(1, 10);
    expect(Math.min(Math.abs(s.coef[0]), Math.abs(s.coef[2]))).toBe(0);
  });
  it('lasso with a large alpha keeps only the intercept', () => {
    const s = lasso.fit({ X: { data: Float64Array.of(1, 2, 3, 4), rows: 4, cols: 1 }, y: Float64Array.of(1, 3, 2, 4), featureNames: ['x'] }, lasso.params.parse({ alpha: 100 }), { task: 'regression', seed: 1 });
    expect(s.coef[0]).toBe(0);
    expect(s.intercept).toBeCloseTo(2.5, 12);
  });
  it('sample weights act like repeated rows (ridge)', () => {
    const X = { data: Float64Array.of(0, 1, 2, 3), rows: 4, cols: 1 };
    const Xrep = { data: Float64Array.of(0, 1, 1, 1, 2, 3), rows: 6, cols: 1 };
    const w = ridge.fit({ X, y: Float64Array.of(0, 2, 1, 5), sampleWeight: Float64Array.of(1, 3, 1, 1), featureNames: ['x'] }, ridge.params.parse({}), { task: 'regression', seed: 1 });
    const r = ridge.fit({ X: Xrep, y: Float64Array.of(0, 2, 2, 2, 1, 5), featureNames: ['x'] }, ridge.params.parse({}), { task: 'regression', seed: 1 });
    expect(w.coef[0]).toBeCloseTo(r.coef[0], 12);
    expect(w.intercept).toBeCloseTo(r.intercept, 12);
  });
  for (const [learner, params] of [[linearRegression, {}], [ridge, { alpha: 0 }], [lasso, { alpha: 0.1 }]] as const) {
    it(`${learner.kind}: bit-identical refits, finite with a constant feature, refuses an all-missing one`, () => {
      expectDeterministic(learner, params, 'diabetes');
      expectConstantFeatureFinite(learner, params, 'diabetes');
      expectAllNaNColumnRefused(learner, params, 'diabetes');
    });
  }
});
