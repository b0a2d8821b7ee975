import { expect, it } from 'vitest';
import { partialDependence } from '../../../../core/ml/explain/pdp.ts';
import { frameFromArrays } from '../../../../core/ml/frame.ts';
import type { LinearClassifierState } from '../../../../core/ml/learners/logistic.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { fitLearner, problem } from './explain-fixtures.ts';

const SCRIPT = String.raw`
import json, sys, numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.inspection import partial_dependence
jobs = []
for d in json.load(sys.stdin):
    X = np.array(d['X'])
    k = d['k']
    clf = LogisticRegression(multi_class='multinomial' if k > 2 else 'auto')
    clf.coef_ = np.array(d['coef']).reshape(-1, X.shape[1])
    clf.intercept_ = np.array(d['intercept'])
    clf.classes_ = np.arange(k)
    clf.n_features_in_ = X.shape[1]
    out = []
    for features in d['features']:
        r = partial_dependence(clf, X, features, grid_resolution=d['grid'], kind='average')
        out.append({'average': r['average'].tolist(), 'values': [v.tolist() for v in r['values']]})
    jobs.append(out)
print(json.dumps(jobs))
`;

type Pd = { average: number[][] | number[][][]; values: number[][] }[];

describePython('sklearn', 'partial dependence equals scikit-learn\'s partial_dependence', () => {
  const TASKS = ['binary', 'multiclass'] as const;
  const fitted = TASKS.map((task) => {
    const pr = problem(task, 120, 3, 12);
    const state = fitLearner('logistic_regression', pr) as LinearClassifierState;
    const X = Array.from({ length: pr.X.rows }, (_, i) => Array.from(pr.X.data.subarray(i * 3, i * 3 + 3)));
    return { pr, state, X };
  });
  let sklearn: Pd[] | null = null;
  // one Python start for both tasks
  const theirsFor = (t: number) => (sklearn ??= runPython<Pd[]>(SCRIPT, fitted.map(({ pr, state, X }) => ({ X, k: pr.nClasses, coef: Array.from(state.coef), intercept: Array.from(state.intercept), features: [[0], [2], [0, 1]], grid: 8 }))))[t];
  TASKS.forEach((task, t) => {
    it(`on a ${task} logistic regression (same coefficients, same grid), one and two columns, within 1e-6`, () => {
      const { pr, state, X } = fitted[t];
      const k = pr.nClasses!;
      const theirs = theirsFor(t);
      const raw = frameFromArrays({ f0: X.map((r) => r[0]), f1: X.map((r) => r[1]), f2: X.map((r) => r[2]) });
      const model = { recipe: [], features: ['f0', 'f1', 'f2'], kind: 'logistic_regression', task, state };
      const cases: string[][] = [['f0'], ['f2'], ['f0', 'f1']];
      cases.forEach((columns, c) => {
        // sklearn: binary → one row (the positive class); multiclass → one row per class
        const output = task === 'binary' ? 0 : 1;
        const want = (theirs[c].average as number[][])[task === 'binary' ? 0 : 1].flat(2) as number[];
        const ours = partialDependence({ model, raw, columns, grids: theirs[c].values, output, outputs: task === 'binary' ? 1 : k, iceRows: [] });
        expect(ours.average).toHaveLength(want.length);
        for (let i = 0; i < want.length; i++) expect(Math.abs(ours.average[i] - want[i])).toBeLessThan(1e-6);
      });
    });
  });
});
