import { describe, expect, it } from 'vitest';
import { anomalyScores, averagePathLength, isolationForest, isolationForestDecision } from '../../../../core/ml/learners/tree/isolation-forest.ts';
import { treeDepth } from '../../../../core/ml/learners/tree/flat-tree.ts';
import type { FitData } from '../../../../core/ml/learners/types.ts';
import { isFlowlineError } from '../../../../core/spec/errors.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython, runPython } from '../../../support/python.ts';

/** 1000 inliers ~ N(0, 1) in 6 dims and 50 anomalies uniform in [-6, 6]^6; label 1 = anomaly. */
function anomalySet(seed: number): { data: FitData; labels: number[] } {
  const rng = new Rng(seed);
  const n = 1050;
  const cols = 6;
  const x = new Float64Array(n * cols);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const out = i >= 1000;
    labels.push(out ? 1 : 0);
    for (let j = 0; j < cols; j++) x[i * cols + j] = out ? -6 + 12 * rng.next() : rng.normal();
  }
  return { data: { X: { data: x, rows: n, cols }, featureNames: Array.from({ length: cols }, (_, j) => `x${j}`) }, labels };
}

function rocAuc(labels: number[], s: ArrayLike<number>): number {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

const fit = (d: FitData, params: Record<string, unknown> = {}, seed = 0) => isolationForest.fit(d, isolationForest.params.parse(params), { task: 'anomaly', seed });

describePython('sklearn', 'isolation_forest matches scikit-learn 1.2', () => {
  it('ranks labelled anomalies as well as sklearn (ROC-AUC within 0.01), scores on the same scale', () => {
    const { data, labels } = anomalySet(1);
    const ours = anomalyScores(fit(data), data.X);
    const sk = runPython<{ auc: number; mean: number }>(
      `import json,sys,numpy as np\nfrom sklearn.ensemble import IsolationForest\nfrom sklearn.metrics import roc_auc_score\na=json.load(sys.stdin)\nX=np.array(a['X']).reshape(-1,6)\naucs=[];means=[]\nfor rs in range(3):\n  s=-IsolationForest(random_state=rs).fit(X).score_samples(X)\n  aucs.append(roc_auc_score(a['y'],s)); means.append(s[:1000].mean())\nprint(json.dumps({'auc':float(np.mean(aucs)),'mean':float(np.mean(means))}))`,
      { X: Array.from(data.X.data), y: labels },
    );
    expect(Math.abs(rocAuc(labels, ours) - sk.auc)).toBeLessThanOrEqual(0.01);
    const inlierMean = ours.slice(0, 1000).reduce((a, b) => a + b) / 1000;
    expect(Math.abs(inlierMean - sk.mean)).toBeLessThan(0.02);
  });
});

describe('isolation_forest', () => {
  it('c(n) is sklearn\'s average path length', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(2 * (Math.log(255) + 0.5772156649) - (2 * 255) / 256, 9);
  });

  it('scores lie in (0, 1], anomalies score higher, and "auto" flags scores above 0.5', () => {
    const { data, labels } = anomalySet(2);
    const s = fit(data);
    expect(s.threshold).toBe(0.5);
    const scores = isolationForest.predict(s, data.X).values;
    expect(scores.every((v) => v > 0 && v <= 1)).toBe(true);
    expect(rocAuc(labels, scores)).toBeGreaterThan(0.95);
    const { decision, isAnomaly } = isolationForestDecision(s, data.X);
    for (let i = 0; i < scores.length; i++) {
      expect(decision[i]).toBeCloseTo(0.5 - scores[i], 15);
      expect(isAnomaly[i]).toBe(scores[i] > 0.5 ? 1 : 0);
    }
  });

  it('contamination sets the threshold at that share of the training rows', () => {
    const { data } = anomalySet(3);
    const s = fit(data, { contamination: 0.05 });
    const flagged = isolationForestDecision(s, data.X).isAnomaly.reduce((a, b) => a + b, 0);
    expect(Math.abs(flagged - 0.05 * 1050)).toBeLessThanOrEqual(2);
  });

  it('is deterministic for a seed, and trees are at most ceil(log2(256)) deep', () => {
    const { data } = anomalySet(4);
    const a = fit(data, {}, 3);
    const b = fit(data, {}, 3);
    expect(Buffer.from(anomalyScores(a, data.X).buffer).equals(Buffer.from(anomalyScores(b, data.X).buffer))).toBe(true);
    expect(a.maxSamples).toBe(256);
    for (const t of a.trees) {
      expect(t.cover[0]).toBe(256);
      expect(treeDepth(t)).toBeLessThanOrEqual(8);
    }
  });

  it('survives constant and missing columns; no rows is BAD_DATA', () => {
    const { data } = anomalySet(5);
    for (let i = 0; i < 1050; i++) {
      data.X.data[i * 6] = 7;
      if (i % 3 === 0) data.X.data[i * 6 + 1] = NaN;
    }
    const s = fit(data, { n_estimators: 20 });
    for (const t of s.trees) expect(Array.from(t.feature).includes(0)).toBe(false);
    expect(anomalyScores(s, data.X).every((v) => Number.isFinite(v))).toBe(true);
    let err: unknown;
    try {
      fit({ X: { data: new Float64Array(0), rows: 0, cols: 2 }, featureNames: ['a', 'b'] });
    } catch (e) {
      err = e;
    }
    expect(isFlowlineError(err) && err.code).toBe('BAD_DATA');
  });
});
