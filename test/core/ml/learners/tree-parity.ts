import type { Learner, Prediction } from '../../../../core/ml/learners/types.ts';
import { type DatasetName, DATASET_TASKS, datasetPath, loadDataset } from '../../../support/datasets.ts';
import type { ParityScores } from '../../../support/sklearn-parity.ts';
import { runPython } from '../../../support/python.ts';

/**
 * Parity helpers shared by the tree learners' tests: fit ours on a dataset's train part with
 * several seeds, score every run's test predictions with sklearn.metrics in ONE Python call,
 * and average (single trees and forests vary with the seed: one seed against one measures luck).
 */
const SCORE_BOTH = String.raw`
import os
os.environ['OMP_NUM_THREADS'] = '1'  # sklearn's OpenMP spins badly on a shared, loaded machine
import json, sys, warnings, numpy as np, pandas as pd
from sklearn import metrics
from sklearn.preprocessing import LabelEncoder
from sklearn.tree import *
from sklearn.ensemble import *
warnings.filterwarnings('ignore')
def job(a):
    tr = pd.read_csv(a['train']); te = pd.read_csv(a['test'])
    Xtr = tr.iloc[:, :-1].to_numpy(float); Xte = te.iloc[:, :-1].to_numpy(float)
    ytr = tr.iloc[:, -1].to_numpy(); y = te.iloc[:, -1].to_numpy()
    task = a['task']
    if task != 'regression':
        enc = LabelEncoder().fit(ytr); ytr = enc.transform(ytr); y = enc.transform(y)
    else:
        ytr = ytr.astype(float); y = y.astype(float)
    def score(pred, proba):
        s = {}
        if task == 'regression':
            s['rmse'] = float(np.sqrt(metrics.mean_squared_error(y, pred)))
        else:
            s['accuracy'] = float(metrics.accuracy_score(y, pred))
            p = np.asarray(proba).reshape(len(y), -1)
            s['roc_auc'] = float(metrics.roc_auc_score(y, p[:, 1]) if task == 'binary' else metrics.roc_auc_score(y, p, multi_class='ovr'))
        return s
    ours = [score(r['predictions'], r['proba']) for r in a['runs']]
    theirs = []
    for rs in a['seeds']:
        est = eval(a['estimator']); est.set_params(random_state=rs); est.fit(Xtr, ytr)
        theirs.append(score(est.predict(Xte), est.predict_proba(Xte) if task != 'regression' else None))
    return {'ours': ours, 'theirs': theirs}
print(json.dumps([job(a) for a in json.load(sys.stdin)]))
`;

export function mean(scores: ParityScores[]): ParityScores {
  const out: Record<string, number> = {};
  for (const k of Object.keys(scores[0]) as (keyof ParityScores)[]) out[k] = scores.reduce((a, s) => a + (s[k] ?? 0), 0) / scores.length;
  return out;
}

export function fitOurs(learner: Learner, dataset: DatasetName, params: Record<string, unknown>, seeds: number[]): Prediction[] {
  const { train, test } = loadDataset(dataset);
  const task = DATASET_TASKS[dataset];
  return seeds.map((seed) => {
    const state = learner.fit(
      { X: train.X, y: train.y, nClasses: train.classes?.length, featureNames: train.featureNames },
      learner.params.parse(params),
      { task, seed },
    );
    return learner.predict(state, test.X);
  });
}

export interface ParityCase {
  dataset: DatasetName;
  /** A Python expression, e.g. 'RandomForestClassifier()'; random_state is set per seed. */
  estimator: string;
  params?: Record<string, unknown>;
}

/**
 * Ours vs scikit-learn on several datasets, both averaged over `seeds` (sklearn random_state =
 * seed); ONE Python call (importing sklearn is the slow part) fits sklearn on every dataset and
 * scores both sides with sklearn.metrics.
 */
export function parityMany(learner: Learner, cases: ParityCase[], seeds: number[]): Map<DatasetName, { ours: ParityScores; theirs: ParityScores }> {
  const jobs = cases.map((c) => ({
    train: datasetPath(c.dataset, 'train'),
    test: datasetPath(c.dataset, 'test'),
    task: DATASET_TASKS[c.dataset],
    runs: fitOurs(learner, c.dataset, c.params ?? {}, seeds).map((p) => ({ predictions: Array.from(p.values), proba: p.proba ? Array.from(p.proba) : null })),
    estimator: c.estimator,
    seeds,
  }));
  const results = runPython<{ ours: ParityScores[]; theirs: ParityScores[] }[]>(SCORE_BOTH, jobs);
  return new Map(cases.map((c, i) => [c.dataset, { ours: mean(results[i].ours), theirs: mean(results[i].theirs) }]));
}

