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

export type Num = ArrayLike<number>;

// ---------------------------------------------------------------- classification

export function accuracy(yTrue: Num, yPred: Num): number {
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return yTrue.length ? hit / yTrue.length : 0;
}

/** k × k counts; rows = actual class, columns = predicted class (sklearn's layout). */
export function confusionMatrix(yTrue: Num, yPred: Num, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision / recall / f1; 0 where a denominator is 0 (sklearn's zero_division result). */
export function perClassScores(yTrue: Num, yPred: Num, k: number): ClassScores[] {
  const tp = new Float64Array(k);
  const predCount = new Float64Array(k);
  const trueCount = new Float64Array(k);
  for (let i = 0; i < yTrue.length; i++) {
    trueCount[yTrue[i]]++;
    predCount[yPred[i]]++;
    if (yTrue[i] === yPred[i]) tp[yTrue[i]]++;
  }
  const out: ClassScores[] = [];
  for (let c = 0; c < k; c++) {
    const precision = predCount[c] ? tp[c] / predCount[c] : 0;
    const recall = trueCount[c] ? tp[c] / trueCount[c] : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    out.push({ precision, recall, f1, support: trueCount[c] });
  }
  return out;
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
  const seen = new Uint8Array(k);
  for (let i = 0; i < yTrue.length; i++) seen[yTrue[i]] = seen[yPred[i]] = 1;
  const per = perClassScores(yTrue, yPred, k);
  let n = 0, p = 0, r = 0, f = 0;
  for (let c = 0; c < k; c++) {
    if (!seen[c]) continue;
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
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score(a) - score(b) || a - b);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score(order[j + 1]) === score(order[i])) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (isPositive(order[t])) {
      nPos++;
      rankSumPos += avgRank;
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * ROC AUC from class probabilities (n × k row-major). Binary: the score is P(class 1).
 * Multiclass: macro average of one-vs-rest areas (sklearn `multi_class='ovr'`), over the classes
 * present in y_true; null (with a reason) when it cannot be computed.
 */
export function rocAuc(yTrue: Num, proba: Num, k: number): { value: number | null; note?: string } {
  const n = yTrue.length;
  if (k === 2) {
    const v = binaryRocAuc((i) => yTrue[i] === 1, (i) => proba[i * 2 + 1], n);
    return v === null ? { value: null, note: 'roc_auc is not defined: only one class is present in the actual values.' } : { value: v };
  }
  let sum = 0, used = 0;
  const skipped: number[] = [];
  for (let c = 0; c < k; c++) {
    const v = binaryRocAuc((i) => yTrue[i] === c, (i) => proba[i * k + c], n);
    if (v === null) skipped.push(c);
    else {
      sum += v;
      used++;
    }
  }
  if (used === 0) return { value: null, note: 'roc_auc is not defined: only one class is present in the actual values.' };
  return skipped.length
    ? { value: sum / used, note: `roc_auc averages ${used} of ${k} classes; the others have no rows among the actual values.` }
    : { value: sum / used };
}

/**
 * Mean cross-entropy, as sklearn 1.2: probabilities clipped to [eps, 1-eps] (eps = 2^-52) and each
 * row renormalised before taking logs.
 */
export function logLoss(yTrue: Num, proba: Num, k: number): number {
  const eps = 2.220446049250313e-16;
  const n = yTrue.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += clip(proba[i * k + c], eps, 1 - eps);
    const p = clip(proba[i * k + yTrue[i]], eps, 1 - eps) / rowSum;
    total -= Math.log(p);
  }
  return n ? total / n : 0;
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
  const values: Record<string, number> = {};
  const notes: string[] = [];
  if (yTrue.length === 0) return { values, notes: ['No rows to score.'] };
  values.accuracy = accuracy(yTrue, yPred);
  const macro = macroScores(yTrue, yPred, k);
  if (task === 'binary') {
    const b = binaryScores(yTrue, yPred);
    values.precision = b.precision;
    values.recall = b.recall;
    values.f1 = b.f1;
  } else {
    values.precision_macro = macro.precision;
    values.recall_macro = macro.recall;
  }
  values.f1_macro = macro.f1;
  if (proba) {
    const auc = rocAuc(yTrue, proba, k);
    if (auc.value !== null) values.roc_auc = auc.value;
    if (auc.note) notes.push(auc.note);
    values.log_loss = logLoss(yTrue, proba, k);
  } else {
    notes.push('roc_auc and log_loss need class probabilities, which this learner does not give.');
  }
  return { values, notes };
}

export function scoreRegression(yTrue: Num, yPred: Num): ScoreSet {
  if (yTrue.length === 0) return { values: {}, notes: ['No rows to score.'] };
  return { values: { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) }, notes: [] };
}
