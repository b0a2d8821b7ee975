/**
 * Scoring metrics, computed the way scikit-learn 1.2 computes them (each one is pinned against
 * sklearn.metrics in test/core/ml/metrics.*.test.ts).
 *
 * Classification inputs are class *indices* 0..k-1 into the model's sorted class list. For binary
 * metrics (precision, recall, f1, roc_auc) the positive class is index 1, i.e. the second class
 * label in sorted order, as scikit-learn does ("yes" in no/yes, 1 in 0/1, true in false/true).
 *
 * A metric that cannot be computed (roc_auc when y_true holds one class, log_loss without
 * probabilities) is left out of the values and explained in a note, never reported as NaN.
 */
import { rankedCounts, rocAucOf } from './score-ranking.ts';

export type Num = ArrayLike<number>;

// ---------------------------------------------------------------- classification

export function accuracy(yTrue: Num, yPred: Num): number {
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return yTrue.length ? hit / yTrue.length : 0;
}

/**
 * k × k counts; rows = actual class, columns = predicted class (sklearn's layout). With `into`, the
 * rows are added to those counts: a matrix tallied chunk by chunk is the whole table's.
 */
export function confusionMatrix(yTrue: Num, yPred: Num, k: number, into?: number[][]): number[][] {
  const m = into ?? Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** Share of the rows on the diagonal. Every score below comes from the counts alone, so it is exact however the rows were tallied. */
export function accuracyOf(m: number[][]): number {
  let hit = 0, n = 0;
  m.forEach((row, c) => {
    hit += row[c];
    for (const v of row) n += v;
  });
  return n ? hit / n : 0;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision / recall / f1; 0 where a denominator is 0 (sklearn's zero_division result). */
export function perClassScores(yTrue: Num, yPred: Num, k: number): ClassScores[] {
  return perClassOf(confusionMatrix(yTrue, yPred, k));
}

/** perClassScores from a confusion matrix. */
export function perClassOf(m: number[][]): ClassScores[] {
  return m.map((row, c) => {
    const tp = row[c];
    let trueCount = 0, predCount = 0;
    for (let j = 0; j < m.length; j++) {
      trueCount += row[j];
      predCount += m[j][c];
    }
    const precision = predCount ? tp / predCount : 0;
    const recall = trueCount ? tp / trueCount : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support: trueCount };
  });
}

/** Binary precision / recall / f1 of the positive class (index 1). */
export function binaryScores(yTrue: Num, yPred: Num): { precision: number; recall: number; f1: number } {
  const s = perClassScores(yTrue, yPred, 2)[1];
  return { precision: s.precision, recall: s.recall, f1: s.f1 };
}

/**
 * Macro average over the classes that occur in y_true or y_pred (sklearn's default `labels`):
 * a class the model knows but that appears in neither does not drag the average down.
 */
export function macroScores(yTrue: Num, yPred: Num, k: number): { precision: number; recall: number; f1: number } {
  return macroOf(confusionMatrix(yTrue, yPred, k));
}

/** macroScores from a confusion matrix. */
export function macroOf(m: number[][]): { precision: number; recall: number; f1: number } {
  const per = perClassOf(m);
  let n = 0, p = 0, r = 0, f = 0;
  for (let c = 0; c < m.length; c++) {
    // seen in y_true (its row) or in y_pred (its column)
    if (per[c].support === 0 && !m.some((row) => row[c] > 0)) continue;
    n++;
    p += per[c].precision;
    r += per[c].recall;
    f += per[c].f1;
  }
  return n ? { precision: p / n, recall: r / n, f1: f / n } : { precision: 0, recall: 0, f1: 0 };
}

/**
 * Area under the ROC curve for a 0/1 truth and a score, ties counted half (the Mann–Whitney U
 * form, equal to sklearn's trapezoidal area). null when y_true holds one class only.
 */
export function binaryRocAuc(isPositive: (i: number) => boolean, score: (i: number) => number, n: number): number | null {
  return rocAucOf(rankedCounts(Float64Array.from({ length: n }, (_, i) => score(i)), isPositive));
}

/**
 * ROC AUC from class probabilities (n × k row-major). Binary: the score is P(class 1).
 * Multiclass: macro average of one-vs-rest areas (sklearn `multi_class='ovr'`), over the classes
 * present in y_true; null (with a reason) when it cannot be computed.
 */
export function rocAuc(yTrue: Num, proba: Num, k: number): { value: number | null; note?: string } {
  const n = yTrue.length;
  if (k === 2) return positiveRocAuc((i) => yTrue[i] === 1, (i) => proba[i * 2 + 1], n);
  return oneVsRestAuc(Array.from({ length: k }, (_, c) => binaryRocAuc((i) => yTrue[i] === c, (i) => proba[i * k + c], n)));
}

/** The macro average of one-vs-rest areas (null: the class is absent from y_true), added in class order. */
export function oneVsRestAuc(areas: (number | null)[]): { value: number | null; note?: string } {
  const k = areas.length;
  let sum = 0, used = 0;
  for (const v of areas) {
    if (v === null) continue;
    sum += v;
    used++;
  }
  if (used === 0) return { value: null, note: ONE_CLASS };
  return used < k
    ? { value: sum / used, note: `roc_auc averages ${used} of ${k} classes; the others have no rows among the actual values.` }
    : { value: sum / used };
}

const ONE_CLASS = 'roc_auc is not defined: only one class is present in the actual values.';

/** Binary ROC AUC with its note when undefined (what rocAuc gives for k = 2, from the positive class's score alone). */
export function positiveRocAuc(isPositive: (i: number) => boolean, score: (i: number) => number, n: number): { value: number | null; note?: string } {
  return aucResult(binaryRocAuc(isPositive, score, n));
}

/** A binary area as the scores give it: undefined (null, with the reason) when one class is absent. */
export function aucResult(v: number | null): { value: number | null; note?: string } {
  return v === null ? { value: null, note: ONE_CLASS } : { value: v };
}

/**
 * Mean cross-entropy, as sklearn 1.2: probabilities clipped to [eps, 1-eps] (eps = 2^-52) and each
 * row renormalised before taking logs.
 */
export function logLoss(yTrue: Num, proba: Num, k: number): number {
  return yTrue.length ? logLossSum(yTrue, proba, k) / yTrue.length : 0;
}

/** The rows' cross-entropies added to `total` one by one, in row order (chunk after chunk gives the whole table's sum). */
export function logLossSum(yTrue: Num, proba: Num, k: number, total = 0): number {
  const eps = 2.220446049250313e-16;
  for (let i = 0; i < yTrue.length; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += clip(proba[i * k + c], eps, 1 - eps);
    const p = clip(proba[i * k + yTrue[i]], eps, 1 - eps) / rowSum;
    total -= Math.log(p);
  }
  return total;
}

function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

// ---------------------------------------------------------------- regression

export function rmse(yTrue: Num, yPred: Num): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return yTrue.length ? Math.sqrt(s / yTrue.length) : 0;
}

export function mae(yTrue: Num, yPred: Num): number {
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return yTrue.length ? s / yTrue.length : 0;
}

/** Coefficient of determination; sklearn's finite convention for a constant y_true (1 if perfect, else 0). */
export function r2(yTrue: Num, yPred: Num): number {
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i];
  mean /= n || 1;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < n; i++) {
    ssRes += (yTrue[i] - yPred[i]) ** 2;
    ssTot += (yTrue[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

// ---------------------------------------------------------------- all at once

/** Metric names and whether larger is better; what Tune and Compare may optimise. */
export const METRIC_DIRECTION: Record<string, 'max' | 'min'> = {
  accuracy: 'max',
  precision: 'max',
  recall: 'max',
  f1: 'max',
  f1_macro: 'max',
  precision_macro: 'max',
  recall_macro: 'max',
  roc_auc: 'max',
  log_loss: 'min',
  rmse: 'min',
  mae: 'min',
  r2: 'max',
};

export type ClassificationTask = 'binary' | 'multiclass';

export interface ScoreSet {
  values: Record<string, number>;
  notes: string[];
}

/**
 * Every metric that applies to the task. Binary: accuracy, precision, recall, f1, f1_macro,
 * roc_auc, log_loss. Multiclass: accuracy, precision_macro, recall_macro, f1_macro, roc_auc (ovr),
 * log_loss. Regression: rmse, mae, r2. roc_auc / log_loss need probabilities.
 */
export function scoreClassification(task: ClassificationTask, yTrue: Num, yPred: Num, k: number, proba?: Num): ScoreSet {
  if (yTrue.length === 0) return { values: {}, notes: ['No rows to score.'] };
  return scoresOf(task, confusionMatrix(yTrue, yPred, k), proba ? { auc: rocAuc(yTrue, proba, k), logLoss: logLoss(yTrue, proba, k) } : undefined);
}

/** scoreClassification from what a tally keeps: the confusion matrix, and the ROC AUC and log loss when there are probabilities. */
export function scoresOf(task: ClassificationTask, m: number[][], probabilistic?: { auc: { value: number | null; note?: string }; logLoss: number }): ScoreSet {
  const values: Record<string, number> = {};
  const notes: string[] = [];
  values.accuracy = accuracyOf(m);
  const macro = macroOf(m);
  if (task === 'binary') {
    const b = perClassOf(m)[1];
    values.precision = b.precision;
    values.recall = b.recall;
    values.f1 = b.f1;
  } else {
    values.precision_macro = macro.precision;
    values.recall_macro = macro.recall;
  }
  values.f1_macro = macro.f1;
  if (probabilistic) {
    const { auc } = probabilistic;
    if (auc.value !== null) values.roc_auc = auc.value;
    if (auc.note) notes.push(auc.note);
    values.log_loss = probabilistic.logLoss;
  } else {
    notes.push('roc_auc and log_loss need class probabilities, which this learner does not give.');
  }
  return { values, notes };
}

export function scoreRegression(yTrue: Num, yPred: Num): ScoreSet {
  if (yTrue.length === 0) return { values: {}, notes: ['No rows to score.'] };
  return { values: { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) }, notes: [] };
}
