import { beforeAll, expect, it } from 'vitest';
import { histGradientBoosting } from '../../../../core/ml/learners/tree/hist-gradient-boosting.ts';
import { DATASET_TASKS, type DatasetName, datasetPath, loadDataset } from '../../../support/datasets.ts';
import { describePython, runPython } from '../../../support/python.ts';

/**
 * Not scores but the numbers themselves: after 100 iterations, each test row's probabilities (and
 * the regressor's predictions) next to scikit-learn's HistGradientBoosting* with default params.
 * sklearn uses no randomness here (no early stopping below 10 000 rows), so the two must agree
 * to rounding: float32 gradients and hessians summed as doubles, sklearn's gain expression and
 * tie order. With float64 gradients the probabilities drifted by up to 0.15 and labels flipped.
 */
const SKLEARN = String.raw`
import os
os.environ['OMP_NUM_THREADS'] = '1'  # sklearn sums the root's gradients per thread: one thread, one order
import json, sys, numpy as np, pandas as pd
from sklearn.preprocessing import LabelEncoder
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
out = {}
for job in json.load(sys.stdin):
    tr = pd.read_csv(job['train']); te = pd.read_csv(job['test'])
    X = tr.iloc[:, :-1].to_numpy(float); T = te.iloc[:, :-1].to_numpy(float); y = tr.iloc[:, -1].to_numpy()
    if job['task'] == 'regression':
        m = HistGradientBoostingRegressor(max_iter=100).fit(X, y.astype(float))
        out[job['name']] = {'values': m.predict(T).tolist()}
    else:
        m = HistGradientBoostingClassifier(max_iter=100).fit(X, LabelEncoder().fit_transform(y))
        out[job['name']] = {'values': m.predict(T).tolist(), 'proba': m.predict_proba(T).ravel().tolist()}
print(json.dumps(out))
`;

const DATASETS: DatasetName[] = ['breast_cancer', 'penguins_sex', 'digits', 'diabetes'];

function oursOn(name: DatasetName) {
  const { train, test } = loadDataset(name);
  const state = histGradientBoosting.fit(
    { X: train.X, y: train.y, nClasses: train.classes?.length, featureNames: train.featureNames },
    histGradientBoosting.params.parse({ max_iter: 100 }),
    { task: DATASET_TASKS[name], seed: 0 },
  );
  return histGradientBoosting.predict(state, test.X);
}

const maxAbsDiff = (a: ArrayLike<number>, b: number[]) => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

describePython('sklearn', 'hist_gradient_boosting gives scikit-learn 1.2\'s numbers after 100 iterations', () => {
  let sk: Record<string, { values: number[]; proba?: number[] }>;
  beforeAll(() => {
    sk = runPython(SKLEARN, DATASETS.map((name) => ({ name, task: DATASET_TASKS[name], train: datasetPath(name, 'train'), test: datasetPath(name, 'test') })));
  }, 120_000);

  it.each(['breast_cancer', 'penguins_sex'] as DatasetName[])('binary %s: probabilities within 1e-4 of sklearn\'s, the same labels', (name) => {
    const ours = oursOn(name);
    expect(maxAbsDiff(ours.proba!, sk[name].proba!)).toBeLessThanOrEqual(1e-4);
    expect(Array.from(ours.values)).toEqual(sk[name].values);
  });

  it('multiclass digits: probabilities within 1e-4 of sklearn\'s, the same labels', () => {
    const ours = oursOn('digits');
    expect(maxAbsDiff(ours.proba!, sk.digits.proba!)).toBeLessThanOrEqual(1e-4);
    expect(Array.from(ours.values)).toEqual(sk.digits.values);
  });

  it('regression diabetes: predictions within 1e-6 of sklearn\'s (targets 25 to 346)', () => {
    expect(maxAbsDiff(oursOn('diabetes').values, sk.diabetes.values)).toBeLessThanOrEqual(1e-6);
  });
});
