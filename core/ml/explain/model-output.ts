/**
 * What an explanation explains: each learner's own raw output, one column per explained output.
 * Every method (TreeSHAP, linear SHAP, KernelSHAP, LIME) explains the same numbers for a given
 * model, so their attributions are comparable and "base + Σ attributions = output" can be checked
 * against the learner itself:
 *
 * - linear / ridge / lasso, regression of any learner: the predicted value;
 * - logistic regression: log-odds of the positive class (binary) or one logit per class;
 * - linear SVM: the decision margin (before Platt scaling);
 * - histogram gradient boosting: its raw margin (log-odds, or one logit per class) — what it sums;
 * - decision tree, random forest, k-NN, naive Bayes, MLP: the probability of the positive class
 *   (binary) or of each class;
 * - k-means: the distance from the row to each cluster centre;
 * - isolation forest: the mean path length E[h(x)] (the anomaly score 2^(−E[h]/c) falls as it rises).
 */
import type { ModelValue, Task } from '../../spec/values.ts';
import { learnerByKind } from '../learners/index.ts';
import type { KmeansState } from '../learners/kmeans.ts';
import { linearDecision, type LinearClassifierState } from '../learners/logistic.ts';
import type { Matrix } from '../learners/types.ts';
import { addForestPredictions } from '../learners/tree/flat-tree.ts';
import { hgbRawScores, type HgbState } from '../learners/tree/hist-gradient-boosting.ts';
import type { IsolationForestState } from '../learners/tree/isolation-forest.ts';

export type OutputScale = 'log-odds' | 'logit' | 'margin' | 'probability' | 'value' | 'distance' | 'path length';

export interface OutputInfo {
  /** One label per explained output: the positive class, each class, each cluster, the target. */
  labels: string[];
  scale: OutputScale;
  /** One sentence for the panel and the docs: what the numbers are. */
  description: string;
}

const PROBA_KINDS = new Set(['decision_tree', 'random_forest', 'knn', 'gaussian_nb', 'mlp']);

function nOutputs(model: Pick<ModelValue, 'task' | 'classes' | 'estimator'>): number {
  if (model.task === 'multiclass') return model.classes?.length ?? 0;
  if (model.task === 'clustering') return (model.estimator.state as KmeansState).nClusters;
  return 1;
}

export function outputInfo(model: Pick<ModelValue, 'task' | 'classes' | 'estimator' | 'target'>): OutputInfo {
  const kind = model.estimator.kind;
  const classes = (model.classes ?? []).map(String);
  const target = model.target ?? 'output';
  if (model.task === 'regression') return { labels: [target], scale: 'value', description: `the predicted ${target}` };
  if (model.task === 'clustering') {
    const k = nOutputs(model);
    return { labels: Array.from({ length: k }, (_, c) => `cluster ${c}`), scale: 'distance', description: 'the distance from the row to each cluster centre' };
  }
  if (model.task === 'anomaly') return { labels: ['mean path length'], scale: 'path length', description: 'the mean path length over the trees (shorter = more anomalous)' };
  const labels = model.task === 'binary' ? [classes[1] ?? 'positive'] : classes;
  if (kind === 'logistic_regression' || kind === 'hist_gradient_boosting') {
    return model.task === 'binary'
      ? { labels, scale: 'log-odds', description: `the log-odds of "${labels[0]}" (the raw margin, before the sigmoid)` }
      : { labels, scale: 'logit', description: 'one raw logit per class (before the softmax)' };
  }
  if (kind === 'linear_svm') return { labels, scale: 'margin', description: 'the decision margin (before Platt scaling to a probability)' };
  return { labels, scale: 'probability', description: model.task === 'binary' ? `the probability of "${labels[0]}"` : 'the probability of each class' };
}

function kmeansDistances(state: KmeansState, X: Matrix): Float64Array {
  const { nClusters: k, nFeatures: p, centers } = state;
  const out = new Float64Array(X.rows * k);
  for (let i = 0; i < X.rows; i++) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < p; j++) {
        const d = X.data[i * p + j] - centers[c * p + j];
        s += d * d;
      }
      out[i * k + c] = Math.sqrt(s);
    }
  }
  return out;
}

/** Binary models give two probability columns; keep the positive class's. */
function positiveColumn(proba: Float64Array, rows: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => proba[i * 2 + 1]);
}

/** The raw outputs of `rows` (rows × outputs, row-major): what attributions add up to. */
export function rawOutputs(kind: string, task: Task, state: unknown, X: Matrix): Float64Array {
  switch (kind) {
    case 'logistic_regression':
    case 'linear_svm':
      return linearDecision(state as LinearClassifierState, X);
    case 'hist_gradient_boosting':
      return hgbRawScores(state as HgbState, X);
    case 'isolation_forest': {
      const s = state as IsolationForestState;
      const out = new Float64Array(X.rows);
      addForestPredictions(s.trees, X, out, 1, () => 0, 1 / s.trees.length);
      return out;
    }
    case 'kmeans':
      return kmeansDistances(state as KmeansState, X);
    default: {
      const p = learnerByKind(kind).predict(state, X);
      if (task === 'regression' || !PROBA_KINDS.has(kind)) return p.values;
      if (!p.proba) throw new Error(`${kind} gave no probabilities`);
      return task === 'binary' ? positiveColumn(p.proba, X.rows) : p.proba;
    }
  }
}

/**
 * What partial dependence and permutation importance read: the model's predictions on their
 * usual scale (probabilities for classifiers, as scikit-learn's partial_dependence; the value for
 * regression; the anomaly score; the distance to each cluster centre).
 */
export function predictionInfo(model: Pick<ModelValue, 'task' | 'classes' | 'estimator' | 'target'>): OutputInfo {
  const info = outputInfo(model);
  if (model.task === 'binary' || model.task === 'multiclass') return { labels: info.labels, scale: 'probability', description: model.task === 'binary' ? `the probability of "${info.labels[0]}"` : 'the probability of each class' };
  if (model.task === 'anomaly') return { labels: ['anomaly score'], scale: 'value', description: 'the anomaly score (higher = more anomalous)' };
  return info;
}

/** Predictions on predictionInfo's scale: rows × outputs. */
export function predictionOutputs(kind: string, task: Task, state: unknown, X: Matrix): Float64Array {
  if (task === 'clustering') return rawOutputs(kind, task, state, X);
  const p = learnerByKind(kind).predict(state, X);
  if (task === 'binary' || task === 'multiclass') {
    if (!p.proba) throw new Error(`${kind} gave no probabilities`);
    return task === 'binary' ? positiveColumn(p.proba, X.rows) : p.proba;
  }
  return p.values;
}
