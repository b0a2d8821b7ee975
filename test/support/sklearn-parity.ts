import type { Learner } from '../../core/ml/learners/types.ts';
import type { Task } from '../../core/spec/values.ts';
import { type DatasetName, DATASET_TASKS, datasetPath, loadDataset, standardize } from './datasets.ts';
import { runPython } from './python.ts';

/**
 * The yardstick for learner parity tests: fit a scikit-learn 1.2 estimator on the same committed
 * CSVs our tests read (test/support/datasets.ts), and score predictions with sklearn.metrics, ours
 * included, so neither side's numbers come from our own metric code.
 */
export interface ParityScores {
  accuracy?: number;
  roc_auc?: number;
  rmse?: number;
  /** k-means: sum of squared distances of the training rows to their centre. */
  inertia?: number;
}

export interface SklearnResult extends ParityScores {
  /** Test-part predictions: class index (classification), value (regression), cluster (clustering). */
  predictions: number[];
  /** Test-part class probabilities, n × k row-major, where the estimator has predict_proba. */
  proba?: number[];
}

export interface SklearnFitOptions {
  dataset: DatasetName;
  /** A Python expression, e.g. 'LogisticRegression(C=1.0, max_iter=1000)'. */
  estimator: string;
  task?: Task;
  /** Standardize features with StandardScaler fitted on the training part (both sides must). */
  scale?: boolean;
  /**
   * Fit once per random_state and average the scores (for learners whose result depends on their
   * random init, e.g. MLP: one seed against one seed measures luck, not parity).
   */
  randomStates?: number[];
}

// One BLAS / OpenMP thread for the Python yardstick: on a shared 2-core machine, spinning thread
// pools make sklearn (KMeans above all) many times slower, and parity does not depend on threads.
for (const v of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) process.env[v] ??= '1';

const PRELUDE = String.raw`
import json, sys, warnings
import numpy as np, pandas as pd
from sklearn.preprocessing import StandardScaler, LabelEncoder
from sklearn import metrics
warnings.filterwarnings('ignore')
from sklearn.linear_model import *
from sklearn.svm import *
from sklearn.neighbors import *
from sklearn.naive_bayes import *
from sklearn.neural_network import *
from sklearn.cluster import *
from sklearn.tree import *
from sklearn.ensemble import *
args = json.load(sys.stdin)

def load(a):
    tr = pd.read_csv(a['train']); te = pd.read_csv(a['test'])
    Xtr = tr.iloc[:, :-1].to_numpy(float); Xte = te.iloc[:, :-1].to_numpy(float)
    ytr = tr.iloc[:, -1].to_numpy(); yte = te.iloc[:, -1].to_numpy()
    if a['task'] in ('binary', 'multiclass'):
        enc = LabelEncoder().fit(ytr); ytr = enc.transform(ytr); yte = enc.transform(yte)
    elif a['task'] == 'regression':
        ytr = ytr.astype(float); yte = yte.astype(float)
    if a.get('scale'):
        sc = StandardScaler().fit(Xtr); Xtr = sc.transform(Xtr); Xte = sc.transform(Xte)
    return Xtr, ytr, Xte, yte

def score(task, y, pred, proba=None, decision=None):
    out = {}
    if task in ('binary', 'multiclass'):
        out['accuracy'] = float(metrics.accuracy_score(y, pred))
        if task == 'binary':
            s = proba[:, 1] if proba is not None else decision
            if s is not None: out['roc_auc'] = float(metrics.roc_auc_score(y, s))
        elif proba is not None:
            out['roc_auc'] = float(metrics.roc_auc_score(y, proba, multi_class='ovr'))
        elif decision is not None:
            # no probabilities (LinearSVC): macro one-vs-rest AUC on each class's decision value
            out['roc_auc'] = float(np.mean([metrics.roc_auc_score(y == c, decision[:, c]) for c in range(decision.shape[1])]))
    elif task == 'regression':
        out['rmse'] = float(np.sqrt(metrics.mean_squared_error(y, pred)))
    return out
`;

const JOBS = String.raw`
def fit_job(a):
    Xtr, ytr, Xte, yte = load(a)
    task = a['task']
    runs = []
    for rs in (a.get('randomStates') or [None]):
        est = eval(a['estimator'])
        if rs is not None: est.set_params(random_state=rs)
        if task == 'clustering':
            est.fit(Xtr)
            runs.append(({'inertia': float(est.inertia_)}, est.predict(Xte), None))
            continue
        est.fit(Xtr, ytr)
        pred = est.predict(Xte)
        proba = est.predict_proba(Xte) if hasattr(est, 'predict_proba') and task != 'regression' else None
        decision = est.decision_function(Xte) if proba is None and hasattr(est, 'decision_function') else None
        runs.append((score(task, yte, pred, proba, decision), pred, proba))
    keys = runs[0][0].keys()
    out = {k: float(np.mean([r[0][k] for r in runs])) for k in keys}
    out['predictions'] = [float(v) for v in runs[0][1]]
    if runs[0][2] is not None: out['proba'] = [float(v) for v in np.asarray(runs[0][2]).ravel()]
    return out

def score_job(a):
    Xtr, ytr, Xte, yte = load(a)
    k = a.get('k')
    proba = np.asarray(a['proba'], float).reshape(-1, k) if a.get('proba') is not None else None
    decision = np.asarray(a['decision'], float).reshape(len(yte), -1).squeeze() if a.get('decision') is not None else None
    return score(a['task'], yte, np.asarray(a['predictions']), proba, decision)

print(json.dumps([fit_job(a) if a['job'] == 'fit' else score_job(a) for a in args]))
`;

function files(dataset: DatasetName) {
  return { train: datasetPath(dataset, 'train'), test: datasetPath(dataset, 'test') };
}

export interface ScoreOptions {
  dataset: DatasetName;
  task?: Task;
  predictions: ArrayLike<number>;
  /** n × k row-major class probabilities. */
  proba?: ArrayLike<number>;
  /** Binary: n decision values; multiclass: n × k. Used for ROC-AUC when proba is absent. */
  decision?: ArrayLike<number>;
  nClasses?: number;
}

export type Job = ({ job: 'fit' } & SklearnFitOptions) | ({ job: 'score' } & ScoreOptions);

/** Run several fit / score jobs in ONE Python process (importing sklearn costs about a second). */
export function sklearnBatch(jobs: Job[]): (SklearnResult | ParityScores)[] {
  const input = jobs.map((j) => {
    const task = j.task ?? DATASET_TASKS[j.dataset];
    if (j.job === 'fit') return { ...files(j.dataset), ...j, task };
    return {
      ...files(j.dataset),
      job: 'score',
      task,
      scale: false,
      predictions: Array.from(j.predictions),
      proba: j.proba ? Array.from(j.proba) : null,
      decision: j.decision ? Array.from(j.decision) : null,
      k: j.nClasses ?? null,
    };
  });
  return runPython<(SklearnResult | ParityScores)[]>(PRELUDE + JOBS, input);
}

/** Fit a scikit-learn estimator on `dataset`'s train part and score it on its test part. */
export function sklearnFit(opts: SklearnFitOptions): SklearnResult {
  return sklearnBatch([{ job: 'fit', ...opts }])[0] as SklearnResult;
}

/** Score OUR test-part predictions with sklearn.metrics (an independent yardstick). */
export function sklearnScore(opts: ScoreOptions): ParityScores {
  return sklearnBatch([{ job: 'score', ...opts }])[0];
}

/** Our own accuracy / RMSE, for tests that must not need Python (e.g. seed determinism). */
export function accuracy(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === pred[i]) ok++;
  return ok / y.length;
}

export function rmse(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - pred[i]) ** 2;
  return Math.sqrt(s / y.length);
}

/** One learner-vs-sklearn comparison: same data, same scaling, equivalent params. */
export interface ParityCase {
  learner: Learner;
  params?: Record<string, unknown>;
  dataset: DatasetName;
  /** Python expression for the sklearn estimator. */
  estimator: string;
  task?: Task;
  scale?: boolean;
  /** Seeded learners: fit once per seed on our side (and per random_state on sklearn's), average. */
  seeds?: number[];
}

export interface ParityOutcome {
  label: string;
  ours: ParityScores;
  sklearn: SklearnResult;
}

/**
 * Fit every case with our learner and with sklearn, score both with sklearn.metrics, all in one
 * Python process. Clustering compares training inertia (ours from the fitted state).
 */
export function runParity(cases: ParityCase[]): ParityOutcome[] {
  const jobs: Job[] = [];
  const ourInertia: (number | null)[] = [];
  const slices: [number, number, number][] = [];
  for (const c of cases) {
    const task = c.task ?? DATASET_TASKS[c.dataset];
    const { train, test } = loadDataset(c.dataset);
    const [Xtr, Xte] = c.scale ? standardize(train.X, test.X) : [train.X, test.X];
    const seeds = c.seeds ?? [42];
    const params = c.learner.params.parse(c.params ?? {});
    const fitStart = jobs.length;
    jobs.push({ job: 'fit', dataset: c.dataset, estimator: c.estimator, task, scale: c.scale, randomStates: c.seeds });
    let inertia = 0;
    for (const seed of seeds) {
      const state = c.learner.fit(
        { X: Xtr, y: task === 'clustering' ? undefined : train.y, featureNames: train.featureNames, nClasses: train.classes?.length },
        params,
        { task, seed },
      );
      if (task === 'clustering') {
        inertia += (state as { inertia: number }).inertia / seeds.length;
        continue;
      }
      const pred = c.learner.predict(state, Xte);
      jobs.push({ job: 'score', dataset: c.dataset, task, predictions: pred.values, proba: pred.proba, nClasses: train.classes?.length });
    }
    ourInertia.push(task === 'clustering' ? inertia : null);
    slices.push([fitStart, fitStart + 1, jobs.length]);
  }
  const results = sklearnBatch(jobs);
  return cases.map((c, i) => {
    const [fitAt, from, to] = slices[i];
    const ours: ParityScores = {};
    if (ourInertia[i] !== null) ours.inertia = ourInertia[i]!;
    for (const key of ['accuracy', 'roc_auc', 'rmse'] as const) {
      const vals = results.slice(from, to).map((r) => r[key]).filter((v): v is number => v !== undefined);
      if (vals.length) ours[key] = vals.reduce((a, b) => a + b, 0) / vals.length;
    }
    return { label: `${c.learner.kind} on ${c.dataset}`, ours, sklearn: results[fitAt] as SklearnResult };
  });
}
