import { expect, it } from 'vitest';
import { frameFromArrays } from '../../../../core/ml/frame.ts';
import { selectFeatures } from '../../../../core/ml/prep/select-features.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { expectClose, stepParams } from './helpers.ts';

function data(n: number) {
  const rng = new Rng(21);
  const d: Record<string, number[] | string[]> = { f0: [], f1: [], f2: [], f3: [], const: [], y: [], cls: [] };
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    const cls = rng.int(3);
    (d.f0 as number[]).push(z);
    (d.f1 as number[]).push(z * 2 + rng.normal() * 0.05); // nearly a copy of f0
    (d.f2 as number[]).push(cls + rng.normal());
    (d.f3 as number[]).push(rng.normal() * 0.01);
    (d.const as number[]).push(5);
    (d.y as number[]).push(3 * z + cls + rng.normal());
    (d.cls as string[]).push(['a', 'b', 'c'][cls]);
  }
  return d;
}

describePython('sklearn', 'feature selection matches scikit-learn 1.2 scores and choices', () => {
  const d = data(200);
  const cols = ['f0', 'f1', 'f2', 'f3', 'const'];
  const sk = runPython<{ var: number[]; fc: number[]; fr: number[]; keep_var: boolean[]; keep_k2: boolean[] }>(
    String.raw`
import json, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np
from sklearn.feature_selection import VarianceThreshold, SelectKBest, f_classif, f_regression
d = json.load(sys.stdin)
cols = ["f0", "f1", "f2", "f3", "const"]
X = np.array([d[c] for c in cols]).T
vt = VarianceThreshold(0.001).fit(X)
fc, _ = f_classif(X[:, :4], np.array(d["cls"]))
fr, _ = f_regression(X[:, :4], np.array(d["y"]))
k = SelectKBest(f_regression, k=2).fit(X[:, :4], np.array(d["y"]))
print(json.dumps({"var": vt.variances_.tolist(), "keep_var": vt.get_support().tolist(), "fc": fc.tolist(), "fr": fr.tolist(), "keep_k2": k.get_support().tolist()}))
`,
    d,
  );
  const frame = frameFromArrays(d);

  it('variance threshold', () => {
    const s = selectFeatures.fit(frame, stepParams(selectFeatures, { columns: cols, method: 'variance', threshold: 0.001 }));
    expectClose(s.scores, sk.var, 1e-12, 'variances');
    expect(s.kept).toEqual(cols.filter((_, i) => sk.keep_var[i]));
  });

  it('k-best by f_classif and f_regression', () => {
    const fc = selectFeatures.fit(frame, { columns: cols.slice(0, 4), method: 'kbest', k: 2, score: 'f_classif', target: 'cls' });
    expectClose(fc.scores, sk.fc, 1e-9, 'f_classif');
    const fr = selectFeatures.fit(frame, { columns: cols.slice(0, 4), method: 'kbest', k: 2, score: 'f_regression', target: 'y' });
    expectClose(fr.scores, sk.fr, 1e-9, 'f_regression');
    expect(fr.kept).toEqual(cols.slice(0, 4).filter((_, i) => sk.keep_k2[i]));
  });

  it('correlation filter drops the near-copy, keeps the first of the pair', () => {
    const s = selectFeatures.fit(frame, stepParams(selectFeatures, { columns: cols.slice(0, 4), method: 'correlation', threshold: 0.95 }));
    expect(s.dropped).toEqual(['f1']);
    expect(Object.keys(selectFeatures.apply(s, frame).columns)).not.toContain('f1');
  });
});
