import { describe, expect, it } from 'vitest';
import { kmeans } from '../../../../core/ml/learners/kmeans.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

// Training inertia of the best of n_init = 10 runs. Checked by hand beyond this test: on digits
// with k = 10 (many local optima) 200 single runs per side gave mean inertia 47685 (ours) vs
// 47700 (sklearn) and a mean best-of-10 of 46814 vs 46855; one seed against one seed there
// differs by luck alone (±1.5%), so the test uses k where the best of 10 is stable.
describePython('sklearn', 'kmeans matches scikit-learn 1.2 KMeans (inertia within 1%)', () => {
  const outcomes = runParity([
    { learner: kmeans, params: { n_clusters: 3 }, dataset: 'breast_cancer', estimator: 'KMeans(n_clusters=3, n_init=10, random_state=0)', task: 'clustering', scale: true },
    { learner: kmeans, params: { n_clusters: 4 }, dataset: 'penguins_sex', estimator: 'KMeans(n_clusters=4, n_init=10, random_state=0)', task: 'clustering', scale: true },
    { learner: kmeans, params: { n_clusters: 5 }, dataset: 'diabetes', estimator: 'KMeans(n_clusters=5, n_init=10, random_state=0)', task: 'clustering', scale: true },
    { learner: kmeans, params: { n_clusters: 3 }, dataset: 'digits', estimator: 'KMeans(n_clusters=3, n_init=10, random_state=0)', task: 'clustering', scale: true },
  ]);
  for (const o of outcomes) {
    it(o.label, () => {
      expect(Math.abs(o.ours.inertia! / o.sklearn.inertia! - 1)).toBeLessThanOrEqual(0.01);
    });
  }
});

describe('kmeans', () => {
  it('finds well-separated clusters, reports their inertia, and labels new rows', () => {
    const pts = [
      [0, 0], [0, 1], [1, 0],
      [10, 10], [10, 11], [11, 10],
      [-10, 10], [-10, 11], [-11, 10],
    ];
    const X = { data: Float64Array.from(pts.flat()), rows: 9, cols: 2 };
    const s = kmeans.fit({ X, featureNames: ['a', 'b'] }, kmeans.params.parse({ n_clusters: 3 }), { task: 'clustering', seed: 5 });
    // each triangle: centre at (1/3, 1/3) offsets, squared distances 2/9 + 5/9 + 5/9
    expect(s.inertia).toBeCloseTo(3 * (12 / 9), 10);
    const labels = kmeans.predict(s, X).values;
    expect(new Set([labels[0], labels[3], labels[6]]).size).toBe(3);
    for (const g of [0, 3, 6]) expect(labels[g + 1]).toBe(labels[g]);
    expect(kmeans.predict(s, { data: Float64Array.of(9, 9), rows: 1, cols: 2 }).values[0]).toBe(labels[3]);
  });
  it('with more clusters than rows, keeps one per row', () => {
    const X = { data: Float64Array.of(1, 2, 3), rows: 3, cols: 1 };
    const s = kmeans.fit({ X, featureNames: ['x'] }, kmeans.params.parse({ n_clusters: 8 }), { task: 'clustering', seed: 1 });
    expect(s.nClusters).toBe(3);
    expect(s.inertia).toBe(0);
  });
  it('gives bit-identical predictions on two fits', () => expectDeterministic(kmeans, { n_clusters: 4, n_init: 3 }, 'penguins_sex', 'clustering'));
  it('stays finite with a constant feature', () => expectConstantFeatureFinite(kmeans, { n_clusters: 4, n_init: 2 }, 'diabetes', 'clustering'));
  it('refuses an all-missing feature by name', () => expectAllNaNColumnRefused(kmeans, {}, 'diabetes', 'clustering'));
});
