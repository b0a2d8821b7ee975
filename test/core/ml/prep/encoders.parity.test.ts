import { describe, expect, it } from 'vitest';
import { hashing, murmurhash3 } from '../../../../core/ml/prep/hashing.ts';
import { onehot } from '../../../../core/ml/prep/onehot.ts';
import { ordinal } from '../../../../core/ml/prep/ordinal.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { expectClose, mixedTable, PY_PRELUDE, toFrame, stepParams } from './helpers.ts';

const train = mixedTable(300, 3);
const test = mixedTable(100, 4);
// values never seen while fitting
test.city[0] = 'Tokyo';
test.grade[1] = 'top';

describePython('sklearn', 'encoders match scikit-learn 1.2 (fit on one table, apply to another)', () => {
  const sk = runPython<Record<string, { names: string[]; values: number[][] }>>(
    PY_PRELUDE +
      String.raw`
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
from sklearn.feature_extraction import FeatureHasher
X = train[["city", "grade"]].astype(object); T = test[["city", "grade"]].astype(object)
res = {}
def dense(enc, name):
    t = enc.transform(T)
    t = t.toarray() if hasattr(t, "toarray") else t
    res[name] = {"names": [str(n) for n in enc.get_feature_names_out()], "values": [col(t[:, j]) for j in range(t.shape[1])]}
dense(OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(X), "onehot")
dense(OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=4, sparse_output=False).fit(X), "onehot_max4")
dense(OneHotEncoder(handle_unknown="ignore", max_categories=4, sparse_output=False).fit(X), "onehot_max4_ignore")
Xo = train[["city", "grade"]].astype(object).where(train[["city", "grade"]].notna(), np.nan)
To = test[["city", "grade"]].astype(object).where(test[["city", "grade"]].notna(), np.nan)
enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(Xo)
t = enc.transform(To)
res["ordinal"] = {"names": [], "values": [col(t[:, j]) for j in range(2)]}
h = FeatureHasher(n_features=8, input_type="string")
vals = [[v] if v is not None else [] for v in test["city"]]
t = h.transform(vals).toarray()
res["hash"] = {"names": [], "values": [col(t[:, j]) for j in range(8)]}
from sklearn.utils import murmurhash3_32
res["murmur"] = {"names": [], "values": [[float(murmurhash3_32(s, seed=0)) for s in ["", "a", "ab", "abc", "abcd", "Paris", "héllo wörld ✓"]]]}
out(res)
`,
    { train, test },
  );

  const ours = (state: ReturnType<typeof onehot.fit>) => {
    const out = onehot.apply(state, toFrame(test));
    const names = state.columns.flatMap((c) => c.outputs);
    return { names, values: names.map((n) => out.columns[n] as Float64Array) };
  };
  // scikit-learn names the missing category "None" and the bucket "infrequent_sklearn"
  const skName = (n: string) => n.replace(/_None$/, '_missing').replace(/_infrequent_sklearn$/, '_other');

  it('one-hot, all categories, unknown → zeros, missing is a category', () => {
    const r = ours(onehot.fit(toFrame(train), { columns: ['city', 'grade'], handle_unknown: 'ignore' }));
    expect(r.names).toEqual(sk.onehot.names.map(skName));
    r.values.forEach((v, j) => expectClose(v, sk.onehot.values[j], 0, r.names[j]));
  });

  it('one-hot with max categories + "other" bucket, unknown → other', () => {
    const r = ours(onehot.fit(toFrame(train), { columns: ['city', 'grade'], max_categories: 4, handle_unknown: 'other' }));
    expect(r.names).toEqual(sk.onehot_max4.names.map(skName));
    r.values.forEach((v, j) => expectClose(v, sk.onehot_max4.values[j], 0, r.names[j]));
  });

  it('one-hot with max categories, unknown → zeros', () => {
    const r = ours(onehot.fit(toFrame(train), { columns: ['city', 'grade'], max_categories: 4, handle_unknown: 'ignore' }));
    expect(r.names).toEqual(sk.onehot_max4_ignore.names.map(skName));
    r.values.forEach((v, j) => expectClose(v, sk.onehot_max4_ignore.values[j], 0, r.names[j]));
  });

  it('ordinal, unknown → -1, missing stays missing', () => {
    const state = ordinal.fit(toFrame(train), { columns: ['city', 'grade'], unknown_value: -1 });
    const out = ordinal.apply(state, toFrame(test));
    expectClose(out.columns.city as Float64Array, sk.ordinal.values[0], 0, 'city');
    expectClose(out.columns.grade as Float64Array, sk.ordinal.values[1], 0, 'grade');
  });

  it('MurmurHash3 and feature hashing equal sklearn.utils.murmurhash3_32 / FeatureHasher', () => {
    const strings = ['', 'a', 'ab', 'abc', 'abcd', 'Paris', 'héllo wörld ✓'];
    expect(strings.map((s) => murmurhash3(new TextEncoder().encode(s)))).toEqual(sk.murmur.values[0]);
    const state = hashing.fit(toFrame(train), { columns: ['city'], n_features: 8 });
    const out = hashing.apply(state, toFrame(test));
    for (let j = 0; j < 8; j++) expectClose(out.columns[`city_h${j}`] as Float64Array, sk.hash.values[j], 0, `h${j}`);
  });
});

describe('encoders outside scikit-learn', () => {
  it('re-fitting on fewer rows changes the learned categories (no peeking at the rest)', () => {
    const frame = toFrame({ c: ['a', 'b', 'c', 'd'] });
    const state = onehot.fit(frame, stepParams(onehot, { columns: ['c'] }), Uint32Array.from([0, 1]));
    expect(state.columns[0].outputs).toEqual(['c_a', 'c_b']);
    const out = onehot.apply(state, frame);
    expect(Array.from(out.columns.c_a as Float64Array)).toEqual([1, 0, 0, 0]);
    expect(Object.keys(out.columns)).toEqual(['c_a', 'c_b']);
  });
});
