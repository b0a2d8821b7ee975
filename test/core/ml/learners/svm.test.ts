import { describe, expect, it } from 'vitest';
import { linearSvm, svmDecision } from '../../../../core/ml/learners/svm.ts';
import { loadDataset, standardize } from '../../../support/datasets.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

// LinearSVC has no predict_proba: sklearn's ROC-AUC is computed on its decision function (macro
// one-vs-rest per class for digits); ours on the Platt-calibrated probabilities.
describePython('sklearn', 'linear_svm matches scikit-learn 1.2 LinearSVC', () => {
  const outcomes = runParity([
    { learner: linearSvm, dataset: 'breast_cancer', estimator: 'LinearSVC(max_iter=20000)', scale: true },
    { learner: linearSvm, dataset: 'penguins_sex', estimator: 'LinearSVC(max_iter=20000)', scale: true },
    { learner: linearSvm, params: { C: 0.1 }, dataset: 'digits', estimator: 'LinearSVC(C=0.1, max_iter=20000)', scale: true },
    { learner: linearSvm, params: { C: 0.5, class_weight: 'balanced' }, dataset: 'penguins_sex', estimator: "LinearSVC(C=0.5, class_weight='balanced', max_iter=20000)", scale: true },
  ]);
  for (const o of outcomes) {
    it(`accuracy and ROC-AUC within 0.01: ${o.label}`, () => {
      expect(Math.abs(o.ours.accuracy! - o.sklearn.accuracy!)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(o.ours.roc_auc! - o.sklearn.roc_auc!)).toBeLessThanOrEqual(0.01);
    });
  }
});

describe('linear_svm', () => {
  it('predicts from the decision function, and its binary probabilities rank rows the same way', () => {
    const { train, test } = loadDataset('breast_cancer');
    const [Xtr, Xte] = standardize(train.X, test.X);
    const state = linearSvm.fit({ X: Xtr, y: train.y, featureNames: train.featureNames, nClasses: 2 }, linearSvm.params.parse({}), { task: 'binary', seed: 1 });
    const pred = linearSvm.predict(state, Xte);
    const dec = svmDecision(state, Xte);
    for (let i = 0; i < Xte.rows; i++) {
      expect(pred.values[i]).toBe(dec[i] > 0 ? 1 : 0);
      expect(pred.proba![i * 2] + pred.proba![i * 2 + 1]).toBeCloseTo(1, 12);
    }
    const order = (a: ArrayLike<number>, pick: (i: number) => number) => Array.from({ length: Xte.rows }, (_, i) => i).sort((x, y) => pick(x) - pick(y) || x - y);
    expect(order(dec, (i) => dec[i])).toEqual(order(pred.proba!, (i) => pred.proba![i * 2 + 1]));
  });
  it('gives bit-identical predictions on two fits', () => expectDeterministic(linearSvm, {}, 'penguins_sex'));
  it('keeps coefficients finite with a constant feature', () => expectConstantFeatureFinite(linearSvm, {}, 'breast_cancer'));
  it('refuses an all-missing feature by name', () => expectAllNaNColumnRefused(linearSvm, {}, 'penguins_sex'));
});
