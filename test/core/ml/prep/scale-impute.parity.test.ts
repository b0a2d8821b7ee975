import { describe, expect, it } from 'vitest';
import { impute } from '../../../../core/ml/prep/impute.ts';
import { scale, type ScaleMethod } from '../../../../core/ml/prep/scale.ts';
import { outliersClip } from '../../../../core/ml/prep/outliers.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { expectClose, mixedTable, PY_PRELUDE, toFrame, stepParams } from './helpers.ts';

const train = mixedTable(300, 1);
const test = mixedTable(120, 2);

describePython('sklearn', 'imputers and scalers match scikit-learn 1.2 (fit on one table, apply to another)', () => {
  const sk = runPython<Record<string, (number | string | null)[][]>>(
    PY_PRELUDE +
      String.raw`
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, MinMaxScaler, RobustScaler, MaxAbsScaler
num = ["a", "b"]
res = {}
for s in ["mean", "median", "most_frequent"]:
    t = SimpleImputer(strategy=s, add_indicator=True).fit(train[num]).transform(test[num])
    res["impute_" + s] = [col(t[:, j]) for j in range(t.shape[1])]
cat = SimpleImputer(strategy="most_frequent", missing_values=None).fit(train[["city"]].astype(object)).transform(test[["city"]].astype(object))
res["impute_city"] = [list(cat[:, 0])]
scalers = {"standard": StandardScaler(), "minmax": MinMaxScaler(), "robust": RobustScaler(), "maxabs": MaxAbsScaler()}
for name, sc in scalers.items():
    t = sc.fit(train[["a", "b", "pos", "signed"]]).transform(test[["a", "b", "pos", "signed"]])
    res["scale_" + name] = [col(t[:, j]) for j in range(t.shape[1])]
out(res)
`,
    { train, test },
  );

  for (const strategy of ['mean', 'median', 'most_frequent'] as const) {
    it(`impute ${strategy} with missing indicator`, () => {
      const state = impute.fit(toFrame(train), { columns: ['a', 'b'], strategy, add_indicator: true });
      const out = impute.apply(state, toFrame(test));
      const expected = sk[`impute_${strategy}`];
      expectClose(out.columns.a as Float64Array, expected[0] as number[], 1e-12, 'a');
      expectClose(out.columns.b as Float64Array, expected[1] as number[], 1e-12, 'b');
      expectClose(out.columns.a_was_missing as Float64Array, expected[2] as number[], 0, 'a indicator');
      expectClose(out.columns.b_was_missing as Float64Array, expected[3] as number[], 0, 'b indicator');
    });
  }

  it('impute most_frequent on a text column', () => {
    const state = impute.fit(toFrame(train), stepParams(impute, { columns: ['city'], strategy: 'most_frequent' }));
    expect(impute.apply(state, toFrame(test)).columns.city).toEqual(sk.impute_city[0]);
  });

  for (const method of ['standard', 'minmax', 'robust', 'maxabs'] as ScaleMethod[]) {
    it(`scale ${method}`, () => {
      const cols = ['a', 'b', 'pos', 'signed'];
      const state = scale.fit(toFrame(train), { columns: cols, method });
      const out = scale.apply(state, toFrame(test));
      cols.forEach((c, j) => expectClose(out.columns[c] as Float64Array, sk[`scale_${method}`][j] as number[], 1e-9, `${method} ${c}`));
    });
  }
});

describe('leakage safety of fitted statistics', () => {
  it('fitting on the training rows only learns their mean, not all rows', () => {
    const frame = toFrame({ x: [1, 2, 3, 100, 200] });
    const trainRows = Uint32Array.from([0, 1, 2]);
    const state = scale.fit(frame, { columns: ['x'], method: 'standard' }, trainRows);
    expect(state.offset[0]).toBe(2);
    const all = scale.fit(frame, { columns: ['x'], method: 'standard' });
    expect(all.offset[0]).toBe(61.2);
    // the test rows are transformed with the training statistics
    const out = scale.apply(state, frame).columns.x as Float64Array;
    expect(out[3]).toBeCloseTo((100 - 2) / Math.sqrt(2 / 3), 12);
  });

  it('clips with IQR bounds learned from the fitting rows', () => {
    const frame = toFrame({ x: [1, 2, 3, 4, 5, 6, 7, 8, 100] });
    const state = outliersClip.fit(frame, { columns: ['x'], method: 'iqr', factor: 1.5 }, Uint32Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
    // numpy: q1 = 2.75, q3 = 6.25 → bounds -2.5, 11.5
    expect(state.lower[0]).toBeCloseTo(-2.5, 12);
    expect(state.upper[0]).toBeCloseTo(11.5, 12);
    expect((outliersClip.apply(state, frame).columns.x as Float64Array)[8]).toBeCloseTo(11.5, 12);
  });

  it('says which column has no values to learn from', () => {
    const frame = toFrame({ x: [null, null, 1] });
    expect(() => impute.fit(frame, stepParams(impute, { columns: ['x'], strategy: 'mean' }), Uint32Array.from([0, 1]))).toThrow(/column 'x' has no values/);
  });
});
