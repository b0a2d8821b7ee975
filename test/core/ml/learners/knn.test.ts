import { describe, expect, it } from 'vitest';
import { knn } from '../../../../core/ml/learners/knn.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectClose, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

describePython('sklearn', 'knn matches scikit-learn 1.2 KNeighborsClassifier / KNeighborsRegressor', () => {
  const outcomes = runParity([
    { learner: knn, dataset: 'breast_cancer', estimator: 'KNeighborsClassifier()', scale: true },
    { learner: knn, dataset: 'penguins_sex', estimator: 'KNeighborsClassifier()', scale: true },
    { learner: knn, dataset: 'digits', estimator: 'KNeighborsClassifier()', scale: true },
    { learner: knn, params: { n_neighbors: 7, weights: 'distance' }, dataset: 'breast_cancer', estimator: "KNeighborsClassifier(n_neighbors=7, weights='distance')", scale: true },
    { learner: knn, params: { n_neighbors: 7, weights: 'distance' }, dataset: 'penguins_sex', estimator: "KNeighborsClassifier(n_neighbors=7, weights='distance')", scale: true },
    { learner: knn, params: { n_neighbors: 7, weights: 'distance' }, dataset: 'digits', estimator: "KNeighborsClassifier(n_neighbors=7, weights='distance')", scale: true },
    { learner: knn, dataset: 'diabetes', estimator: 'KNeighborsRegressor()', scale: true },
    { learner: knn, params: { n_neighbors: 10, weights: 'distance' }, dataset: 'diabetes', estimator: "KNeighborsRegressor(n_neighbors=10, weights='distance')", scale: true },
  ]);
  for (const o of outcomes) {
    it(o.label, () => expectClose(o.ours, o.sklearn));
  }
});

describe('knn', () => {
  it('an exact match takes all the weight with distance weights', () => {
    const X = { data: Float64Array.of(0, 1, 2, 10), rows: 4, cols: 1 };
    const s = knn.fit({ X, y: Float64Array.of(5, 7, 9, 100), featureNames: ['x'] }, knn.params.parse({ n_neighbors: 3, weights: 'distance' }), { task: 'regression', seed: 1 });
    const p = knn.predict(s, { data: Float64Array.of(1, 1.5), rows: 2, cols: 1 });
    expect(p.values[0]).toBe(7);
    expect(p.values[1]).toBeCloseTo((7 / 0.5 + 9 / 0.5 + 5 / 1.5) / (2 / 0.5 + 1 / 1.5), 12);
  });
  it('breaks a tied vote towards the lowest class, as sklearn', () => {
    const X = { data: Float64Array.of(-1, 1), rows: 2, cols: 1 };
    const s = knn.fit({ X, y: Float64Array.of(1, 0), featureNames: ['x'], nClasses: 2 }, knn.params.parse({ n_neighbors: 2 }), { task: 'binary', seed: 1 });
    expect(knn.predict(s, { data: Float64Array.of(0), rows: 1, cols: 1 }).values[0]).toBe(0);
  });
  it('gives bit-identical predictions on two fits', () => expectDeterministic(knn, {}, 'breast_cancer'));
  it('stays finite with a constant feature', () => expectConstantFeatureFinite(knn, { weights: 'distance' }, 'diabetes'));
  it('refuses an all-missing feature by name', () => expectAllNaNColumnRefused(knn, {}, 'penguins_sex'));
});
