import { expect, it } from 'vitest';
import { targetEncode, targetFolds } from '../../../../core/ml/prep/target-encode.ts';
import { frameFromArrays } from '../../../../core/ml/frame.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { expectClose, stepParams } from './helpers.ts';

// Debian's scikit-learn 1.2 has no TargetEncoder (added in 1.3), so the yardstick is an
// independent pandas computation of the formulas in scikit-learn 1.3's documentation:
//   auto smoothing: enc_c = λ·mean_c + (1-λ)·mean(y), λ = n_c / (n_c + σ²_c/σ²_y)
//   fixed m:        enc_c = (Σ_c y + m·mean(y)) / (n_c + m)
// fitted on each fold's other rows for the out-of-fold training values, on all rows for new rows.
function table(n: number, seed: number) {
  const rng = new Rng(seed);
  const cats = ['a', 'b', 'c', 'd', 'e', 'rare'];
  const c: (string | null)[] = [];
  const y: number[] = [];
  const yb: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = rng.next() < 0.03 ? 5 : rng.int(5);
    c.push(rng.next() < 0.05 ? null : cats[k]);
    const v = k * 0.7 + rng.normal();
    y.push(v);
    yb.push(v > 1.5 ? 'pos' : 'neg');
  }
  return { c, y, yb };
}

const PY = String.raw`
import json, sys
import numpy as np, pandas as pd
inp = json.load(sys.stdin)
def encodings(c, y, smooth):
    df = pd.DataFrame({"c": pd.Series(c, dtype=object).fillna("<missing>"), "y": y})
    mean = df.y.mean(); var = df.y.var(ddof=0)
    g = df.groupby("c").y
    n = g.count(); m_c = g.mean(); v_c = g.var(ddof=0)
    if smooth == "auto":
        lam = n / (n + v_c / var)
        enc = lam * m_c + (1 - lam) * mean
    else:
        enc = (g.sum() + smooth * mean) / (n + smooth)
    return enc.to_dict(), mean
res = {}
for name, smooth in [("auto", "auto"), ("m10", 10.0)]:
    for target in ["y", "yb01"]:
        c = inp["c"]; y = np.array(inp[target], dtype=float); folds = np.array(inp["folds_" + target])
        oof = np.zeros(len(c))
        for f in sorted(set(folds)):
            tr = folds != f
            enc, mean = encodings([c[i] for i in np.where(tr)[0]], y[tr], smooth)
            for i in np.where(~tr)[0]:
                oof[i] = enc.get(c[i] if c[i] is not None else "<missing>", mean)
        enc, mean = encodings(c, y, smooth)
        new = [enc.get(v if v is not None else "<missing>", mean) for v in inp["new"]]
        res[name + "_" + target] = {"oof": oof.tolist(), "new": new}
print(json.dumps(res))
`;

describePython('pandas', 'target encoding = scikit-learn 1.3 TargetEncoder formulas, out-of-fold for training rows', () => {
  const { c, y, yb } = table(300, 11);
  const yb01 = yb.map((v) => (v === 'pos' ? 1 : 0));
  const frame = frameFromArrays({ c, y, yb });
  const rows = Uint32Array.from({ length: 300 }, (_, i) => i);
  const seed = 99;
  const folds = {
    y: Array.from(targetFolds(rows, Float64Array.from(y), 5, false, seed)),
    yb01: Array.from(targetFolds(rows, Float64Array.from(yb01), 5, true, seed)),
  };
  const fresh = ['a', 'rare', 'never-seen', null, 'e'];
  const sk = runPython<Record<string, { oof: number[]; new: number[] }>>(PY, { c, y, yb01, folds_y: folds.y, folds_yb01: folds.yb01, new: fresh });

  for (const smooth of ['auto', 10] as const) {
    for (const [target, key] of [['y', 'y'], ['yb', 'yb01']] as const) {
      it(`smooth=${smooth}, ${target === 'y' ? 'continuous' : 'binary'} target`, () => {
        const params = { columns: ['c'], target, smooth, cv: 5, seed };
        const { state, frame: out } = targetEncode.fitApply!(frame, stepParams(targetEncode, params));
        const expected = sk[`${smooth === 'auto' ? 'auto' : 'm10'}_${key}`];
        expectClose(out.columns.c as Float64Array, expected.oof, 1e-12, 'out-of-fold training values');
        const applied = targetEncode.apply(state, frameFromArrays({ c: fresh }));
        expectClose(applied.columns.c as Float64Array, expected.new, 1e-12, 'new rows');
      });
    }
  }

  it('binary folds are stratified and every row gets one fold', () => {
    const f = folds.yb01;
    for (let k = 0; k < 5; k++) {
      const pos = f.filter((v, i) => v === k && yb01[i] === 1).length;
      const totalPos = yb01.filter((v) => v === 1).length;
      expect(Math.abs(pos - totalPos / 5)).toBeLessThanOrEqual(1);
    }
  });
});
