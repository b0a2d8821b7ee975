import { describe, expect, it } from 'vitest';
import { gaussianNb } from '../../../../core/ml/learners/naive-bayes.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

describePython('sklearn', 'gaussian_nb matches scikit-learn 1.2 GaussianNB', () => {
  // Unscaled on purpose: var_smoothing is relative to the largest feature variance.
  const outcomes = runParity([
    { learner: gaussianNb, dataset: 'breast_cancer', estimator: 'GaussianNB()' },
    { learner: gaussianNb, dataset: 'penguins_sex', estimator: 'GaussianNB()' },
    { learner: gaussianNb, dataset: 'digits', estimator: 'GaussianNB()' },
    { learner: gaussianNb, params: { var_smoothing: 0.01 }, dataset: 'digits', estimator: 'GaussianNB(var_smoothing=0.01)' },
  ]);
  for (const o of outcomes) {
    it(`accuracy and ROC-AUC within 0.01: ${o.label}`, () => {
      expect(Math.abs(o.ours.accuracy! - o.sklearn.accuracy!)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(o.ours.roc_auc! - o.sklearn.roc_auc!)).toBeLessThanOrEqual(0.01);
    });
  }
});

describe('gaussian_nb', () => {
  it('gives bit-identical predictions on two fits', () => expectDeterministic(gaussianNb, {}, 'digits'));
  it('stays finite with a constant feature', () => expectConstantFeatureFinite(gaussianNb, {}, 'penguins_sex'));
  it('stays finite when every feature is constant', () => {
    const X = { data: new Float64Array(6).fill(2), rows: 6, cols: 1 };
    const s = gaussianNb.fit({ X, y: Float64Array.of(0, 0, 0, 1, 1, 1), featureNames: ['x'], nClasses: 2 }, gaussianNb.params.parse({}), { task: 'binary', seed: 1 });
    const p = gaussianNb.predict(s, X);
    expect(Array.from(p.proba!).every(Number.isFinite)).toBe(true);
  });
  it('refuses an all-missing feature by name', () => expectAllNaNColumnRefused(gaussianNb, {}, 'breast_cancer'));
});
