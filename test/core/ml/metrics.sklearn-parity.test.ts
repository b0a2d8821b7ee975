import { expect, it } from 'vitest';
import { Rng } from '../../../core/spec/random.ts';
import { accuracy, confusionMatrix, logLoss, macroScores, binaryScores, mae, r2, rmse, rocAuc } from '../../../core/ml/metrics.ts';
import { calibrationCurve, precisionRecallCurve, rocCurve } from '../../../core/ml/curves.ts';
import { describePython, runPython } from '../../support/python.ts';

/** Noisy classifier outputs: probabilities that lean toward the truth, with ties. */
function fakeClassifier(n: number, k: number, seed: number) {
  const rng = new Rng(seed);
  const y: number[] = [], pred: number[] = [], proba: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = rng.int(k);
    // coarse raw scores so that some rows tie exactly
    const raw = Array.from({ length: k }, (_, c) => Math.round((rng.next() + (c === t ? 0.6 : 0)) * 5) / 5 + 0.1);
    const s = raw.reduce((a, b) => a + b, 0);
    const p = raw.map((v) => v / s);
    y.push(t);
    proba.push(...p);
    pred.push(p.indexOf(Math.max(...p)));
  }
  return { y, pred, proba };
}

const SCRIPT = `
import json, sys, numpy as np
from sklearn import metrics
from sklearn.calibration import calibration_curve
d = json.load(sys.stdin)
out = {}
for name, c in d['clf'].items():
    y, yp, k = np.array(c['y']), np.array(c['pred']), c['k']
    P = np.array(c['proba']).reshape(-1, k)
    r = {'accuracy': metrics.accuracy_score(y, yp), 'f1_macro': metrics.f1_score(y, yp, average='macro', zero_division=0),
         'precision_macro': metrics.precision_score(y, yp, average='macro', zero_division=0),
         'recall_macro': metrics.recall_score(y, yp, average='macro', zero_division=0),
         'log_loss': metrics.log_loss(y, P, labels=list(range(k))),
         'confusion': metrics.confusion_matrix(y, yp, labels=list(range(k))).tolist()}
    if k == 2:
        r.update(precision=metrics.precision_score(y, yp, zero_division=0), recall=metrics.recall_score(y, yp, zero_division=0),
                 f1=metrics.f1_score(y, yp, zero_division=0), roc_auc=metrics.roc_auc_score(y, P[:, 1]))
        fpr, tpr, th = metrics.roc_curve(y, P[:, 1])
        pr, rc, th2 = metrics.precision_recall_curve(y, P[:, 1])
        pt, pp = calibration_curve(y, P[:, 1], n_bins=10)
        r.update(roc=[fpr.tolist(), tpr.tolist(), th.tolist()], pr=[pr.tolist(), rc.tolist(), th2.tolist()], cal=[pt.tolist(), pp.tolist()])
    else:
        r['roc_auc'] = metrics.roc_auc_score(y, P, multi_class='ovr')
    out[name] = r
g = d['reg']
out['reg'] = {'rmse': metrics.mean_squared_error(g['y'], g['pred']) ** 0.5, 'mae': metrics.mean_absolute_error(g['y'], g['pred']), 'r2': metrics.r2_score(g['y'], g['pred'])}
print(json.dumps(out))
`;

describePython('sklearn', 'metrics match sklearn.metrics on the same arrays', () => {
  const bin = { ...fakeClassifier(400, 2, 1), k: 2 };
  const multi = { ...fakeClassifier(300, 4, 2), k: 4 };
  const rng = new Rng(3);
  const regY = Array.from({ length: 250 }, () => rng.normal() * 10);
  const reg = { y: regY, pred: regY.map((v) => v + rng.normal() * 3) };
  type Ref = Record<string, number & number[][]> & { roc: number[][]; pr: number[][]; cal: number[][] };
  const ref = runPython<Record<string, Ref>>(SCRIPT, { clf: { bin, multi }, reg });

  for (const [name, c] of [['bin', bin], ['multi', multi]] as const) {
    it(`classification scores (${name})`, () => {
      const r = ref[name];
      expect(accuracy(c.y, c.pred)).toBeCloseTo(r.accuracy, 12);
      const m = macroScores(c.y, c.pred, c.k);
      expect(m.f1).toBeCloseTo(r.f1_macro, 12);
      expect(m.precision).toBeCloseTo(r.precision_macro, 12);
      expect(m.recall).toBeCloseTo(r.recall_macro, 12);
      expect(logLoss(c.y, c.proba, c.k)).toBeCloseTo(r.log_loss, 12);
      expect(rocAuc(c.y, c.proba, c.k).value).toBeCloseTo(r.roc_auc, 12);
      expect(confusionMatrix(c.y, c.pred, c.k)).toEqual(r.confusion);
    });
  }

  it('binary precision / recall / f1 use the second class as positive', () => {
    const b = binaryScores(bin.y, bin.pred);
    expect(b.precision).toBeCloseTo(ref.bin.precision, 12);
    expect(b.recall).toBeCloseTo(ref.bin.recall, 12);
    expect(b.f1).toBeCloseTo(ref.bin.f1, 12);
  });

  it('ROC, precision-recall and calibration curves', () => {
    const p1 = bin.proba.filter((_, i) => i % 2 === 1);
    const roc = rocCurve(bin.y, p1);
    expect(roc.fpr.length).toBe(ref.bin.roc[0].length);
    roc.fpr.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.roc[0][i], 12));
    roc.tpr.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.roc[1][i], 12));
    roc.thresholds.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.roc[2][i], 12));
    const pr = precisionRecallCurve(bin.y, p1);
    expect(pr.precision.length).toBe(ref.bin.pr[0].length);
    pr.precision.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.pr[0][i], 12));
    pr.recall.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.pr[1][i], 12));
    pr.thresholds.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.pr[2][i], 12));
    const cal = calibrationCurve(bin.y, p1, 10);
    expect(cal.probTrue.length).toBe(ref.bin.cal[0].length);
    cal.probTrue.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.cal[0][i], 12));
    cal.probPred.forEach((v, i) => expect(v).toBeCloseTo(ref.bin.cal[1][i], 12));
  });

  it('regression scores', () => {
    expect(rmse(reg.y, reg.pred)).toBeCloseTo(ref.reg.rmse, 10);
    expect(mae(reg.y, reg.pred)).toBeCloseTo(ref.reg.mae, 10);
    expect(r2(reg.y, reg.pred)).toBeCloseTo(ref.reg.r2, 12);
  });
});
