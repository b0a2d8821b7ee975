import { describe, expect, it } from 'vitest';
import { sigmoid } from '../../../../core/ml/learners/check-input.ts';
import { linearDecision, logisticRegression, probaFromDecision } from '../../../../core/ml/learners/logistic.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

describePython('sklearn', 'logistic_regression matches scikit-learn 1.2 LogisticRegression(lbfgs)', () => {
  const outcomes = runParity([
    { learner: logisticRegression, params: { max_iter: 1000 }, dataset: 'breast_cancer', estimator: 'LogisticRegression(C=1.0, max_iter=1000)', scale: true },
    { learner: logisticRegression, params: { max_iter: 1000 }, dataset: 'penguins_sex', estimator: 'LogisticRegression(C=1.0, max_iter=1000)', scale: true },
    { learner: logisticRegression, params: { max_iter: 1000 }, dataset: 'digits', estimator: 'LogisticRegression(C=1.0, max_iter=1000)', scale: true },
    { learner: logisticRegression, params: { C: 0.05, class_weight: 'balanced', max_iter: 1000 }, dataset: 'breast_cancer', estimator: "LogisticRegression(C=0.05, class_weight='balanced', max_iter=1000)", scale: true },
    { learner: logisticRegression, params: { C: 0.1, class_weight: { '0': 2 }, max_iter: 1000 }, dataset: 'digits', estimator: 'LogisticRegression(C=0.1, class_weight={0: 2}, max_iter=1000)', scale: true },
  ]);
  for (const o of outcomes) {
    it(`accuracy and ROC-AUC within 0.01: ${o.label}`, () => {
      expect(Math.abs(o.ours.accuracy! - o.sklearn.accuracy!)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(o.ours.roc_auc! - o.sklearn.roc_auc!)).toBeLessThanOrEqual(0.01);
    });
  }
});

describe('logistic_regression', () => {
  it('gives bit-identical predictions on two fits', () => expectDeterministic(logisticRegression, { max_iter: 15 }, 'digits'));
  it('keeps coefficients finite with a constant feature', () => expectConstantFeatureFinite(logisticRegression, {}, 'breast_cancer'));
  it('refuses an all-missing feature by name', () => expectAllNaNColumnRefused(logisticRegression, {}, 'penguins_sex'));
  it('does not penalise the intercept', () => {
    // 90% positives and one useless feature: a strong penalty zeroes the coefficient, but the
    // intercept still reaches log(9), the base rate.
    const n = 100;
    const X = { data: new Float64Array(n).map((_, i) => (i % 2 ? 1 : -1)), rows: n, cols: 1 };
    const y = new Float64Array(n).map((_, i) => (i < 90 ? 1 : 0));
    const state = logisticRegression.fit({ X, y, featureNames: ['x'], nClasses: 2 }, logisticRegression.params.parse({ C: 1e-6 }), { task: 'binary', seed: 1 });
    expect(state.intercept[0]).toBeCloseTo(Math.log(9), 3);
    expect(Math.abs(state.coef[0])).toBeLessThan(1e-3);
  });
  it('predicts with the decision values of a plain row-by-row dot product, bit for bit (binary and 3 classes, rows not a multiple of 4)', () => {
    const rng = new Rng(4);
    const n = 103;
    const p = 7;
    const X = { data: new Float64Array(n * p).map(() => rng.normal()), rows: n, cols: p };
    for (const k of [1, 3]) {
      const state = { coef: new Float64Array(k * p).map(() => rng.normal()), intercept: new Float64Array(k).map(() => rng.normal()), nFeatures: p };
      const dec = linearDecision(state, X);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          let s = state.intercept[c];
          for (let j = 0; j < p; j++) s += X.data[i * p + j] * state.coef[c * p + j];
          expect(Object.is(dec[i * k + c], s)).toBe(true);
        }
      }
    }
  });
  it('gives each binary probability as sigmoid(decision) and each label as decision > 0, bit for bit, at every sign and extreme', () => {
    const rng = new Rng(8);
    const dec = Float64Array.from([0, -0, 1e-300, -1e-300, 36, -36, 40, -40, 709, -709, 800, -800, Infinity, -Infinity, NaN, ...Array.from({ length: 2_000 }, () => rng.normal() * 6)]);
    const { values, proba } = probaFromDecision(dec.slice(), dec.length, 2);
    for (let i = 0; i < dec.length; i++) {
      const p = sigmoid(dec[i]);
      expect(Object.is(proba![2 * i + 1], p), `row ${i}: decision ${dec[i]}`).toBe(true);
      expect(Object.is(proba![2 * i], 1 - p), `row ${i}: decision ${dec[i]}`).toBe(true);
      expect(values[i], `row ${i}: decision ${dec[i]}`).toBe(dec[i] > 0 ? 1 : 0);
    }
  });
  it('refuses a class_weight key that is not a class index', () => {
    const X = { data: Float64Array.of(0, 1, 2, 3), rows: 4, cols: 1 };
    expect(() =>
      logisticRegression.fit({ X, y: Float64Array.of(0, 0, 1, 1), featureNames: ['x'], nClasses: 2 }, logisticRegression.params.parse({ class_weight: { yes: 2 } }), { task: 'binary', seed: 1 }),
    ).toThrow(/class_weight names class "yes"/);
  });
});
