import { beforeAll, describe, expect, it } from 'vitest';
import { predictRandomForest, randomForest } from '../../../../core/ml/learners/tree/random-forest.ts';
import { ensembleView } from '../../../../core/ml/learners/tree/ensemble-view.ts';
import { forestBytes } from '../../../../core/ml/learners/tree/flat-tree.ts';
import type { FitData } from '../../../../core/ml/learners/types.ts';
import { isFlowlineError } from '../../../../core/spec/errors.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython } from '../../../support/python.ts';
import { expectClose } from './learner-checks.ts';
import { type ParityCase, parityMany } from './tree-parity.ts';

const SEEDS = [0, 1, 2];

function blobs(n: number, cols: number, seed: number, k = 2): FitData {
  const rng = new Rng(seed);
  const data = new Float64Array(n * cols);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % k;
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal() + (j < 2 ? y[i] * 1.2 : 0);
  }
  return { X: { data, rows: n, cols }, y, nClasses: k, featureNames: Array.from({ length: cols }, (_, j) => `x${j}`) };
}

describePython('sklearn', 'random_forest matches scikit-learn 1.2 (100 trees, mean over 3 seeds)', () => {
  const CASES: ParityCase[] = [
    { dataset: 'breast_cancer', estimator: 'RandomForestClassifier()' },
    { dataset: 'penguins_sex', estimator: 'RandomForestClassifier()' },
    { dataset: 'digits', estimator: 'RandomForestClassifier()' },
    { dataset: 'diabetes', estimator: 'RandomForestRegressor()' },
  ];
  let results: ReturnType<typeof parityMany>;
  beforeAll(() => {
    results = parityMany(randomForest, CASES, SEEDS);
  }, 300_000);
  it.each(CASES.map((c) => c.dataset))('%s', (dataset) => {
    const { ours, theirs } = results.get(dataset)!;
    expectClose(ours, theirs);
  });
});

describe('random_forest', () => {
  const opts = { task: 'binary' as const, seed: 5 };

  it('is deterministic for a seed, and the same forest when trees are grown in chunks (worker fan-out)', async () => {
    const d = blobs(600, 6, 1);
    const params = randomForest.params.parse({ n_estimators: 12 });
    const a = randomForest.predict(randomForest.fit(d, params, opts), d.X);
    const b = randomForest.predict(randomForest.fit(d, params, opts), d.X);
    expect(Buffer.from(a.proba!.buffer).equals(Buffer.from(b.proba!.buffer))).toBe(true);
    const units = randomForest.unitFit!;
    const { shared } = units.prepare(d, params, opts);
    const c = predictRandomForest(units.assemble(shared, [...units.fitUnits(shared, 0, 5), ...units.fitUnits(shared, 5, 12)]), d.X);
    expect(Buffer.from(c.proba!.buffer).equals(Buffer.from(a.proba!.buffer))).toBe(true);
    const other = randomForest.predict(randomForest.fit(d, params, { ...opts, seed: 6 }), d.X);
    expect(Buffer.from(other.proba!.buffer).equals(Buffer.from(a.proba!.buffer))).toBe(false);
  });

  it('averages leaf class proportions into probabilities; covers are bootstrap counts', () => {
    const d = blobs(300, 4, 2, 3);
    const s = randomForest.fit(d, randomForest.params.parse({ n_estimators: 5 }), { task: 'multiclass', seed: 1 });
    const p = randomForest.predict(s, d.X);
    for (let i = 0; i < 300; i++) expect(p.proba![i * 3] + p.proba![i * 3 + 1] + p.proba![i * 3 + 2]).toBeCloseTo(1, 12);
    // Root cover = number of bootstrap draws (= rows), as sklearn's weighted_n_node_samples.
    for (const t of s.trees) expect(t.cover[0]).toBe(300);
  });

  it('ignores constant and all-missing features and predicts rows with missing values', () => {
    const d = blobs(400, 5, 3);
    for (let i = 0; i < 400; i++) {
      d.X.data[i * 5 + 3] = 1;
      d.X.data[i * 5 + 4] = NaN;
      if (i % 5 === 0) d.X.data[i * 5 + 1] = NaN;
    }
    const s = randomForest.fit(d, randomForest.params.parse({ n_estimators: 10 }), opts);
    for (const t of s.trees) for (const f of t.feature) expect(f === 3 || f === 4).toBe(false);
    const p = randomForest.predict(s, d.X);
    expect(p.values.every((v) => v === 0 || v === 1)).toBe(true);
    let ok = 0;
    for (let i = 0; i < 400; i++) if (p.values[i] === d.y![i]) ok++;
    expect(ok / 400).toBeGreaterThan(0.9);
  });

  it('regression averages tree means', () => {
    const X = { data: Float64Array.from({ length: 200 }, (_, i) => i), rows: 200, cols: 1 };
    const y = Float64Array.from({ length: 200 }, (_, i) => (i < 100 ? 1 : 3));
    const s = randomForest.fit({ X, y, featureNames: ['x'] }, randomForest.params.parse({ n_estimators: 10, max_depth: 1 }), { task: 'regression', seed: 0 });
    const p = randomForest.predict(s, { data: Float64Array.from([10, 190]), rows: 2, cols: 1 });
    expect(p.values[0]).toBeCloseTo(1, 1);
    expect(p.values[1]).toBeCloseTo(3, 1);
  });

  it('says "no training rows" for an empty table', () => {
    const empty: FitData = { X: { data: new Float64Array(0), rows: 0, cols: 3 }, y: new Float64Array(0), nClasses: 2, featureNames: ['a', 'b', 'c'] };
    let err: unknown;
    try {
      randomForest.fit(empty, randomForest.params.parse({}), opts);
    } catch (e) {
      err = e;
    }
    expect(isFlowlineError(err) && err.code).toBe('BAD_DATA');
  });
});

describe('a fitted random forest in little memory', () => {
  it('holds a fully grown forest in under 20 bytes a node: leaf vectors once per distinct vector, exact covers in float32, features in 16 bits', () => {
    const d = blobs(3000, 8, 4);
    const s = randomForest.fit(d, randomForest.params.parse({ n_estimators: 10 }), { task: 'binary', seed: 2 });
    const nodes = s.trees.reduce((n, t) => n + t.feature.length, 0);
    const leaves = s.trees.reduce((n, t) => n + Array.from(t.feature).filter((f) => f < 0).length, 0);
    // Before: 25 bytes a node (float64 covers, int32 features) plus 16 bytes a leaf (two proportions).
    expect(forestBytes(s.trees) / nodes).toBeLessThan(20);
    for (const t of s.trees) {
      expect(t.cover).toBeInstanceOf(Float32Array);
      expect(t.feature).toBeInstanceOf(Int16Array);
      // Pure leaves share [1, 0] and [0, 1]: far fewer value slots than leaves.
      expect(t.value.length / t.valueWidth).toBeLessThan(leaves / s.trees.length / 4);
    }
    // What readers see through the accessor is the same numbers, widened.
    const view = ensembleView('random_forest', s)!;
    const t0 = view.tree(0);
    expect(t0.cover).toBeInstanceOf(Float64Array);
    expect(Array.from(t0.cover)).toEqual(Array.from(s.trees[0].cover));
    expect(Array.from(t0.feature)).toEqual(Array.from(s.trees[0].feature));
    for (let i = 0; i < t0.size; i++) {
      if (t0.feature[i] >= 0) continue;
      const slot = s.trees[0].child[i];
      expect([t0.value[2 * i], t0.value[2 * i + 1]]).toEqual([s.trees[0].value[2 * slot], s.trees[0].value[2 * slot + 1]]);
    }
  });

  it('keeps covers in float64 when one of them is not exactly a float32 (class weights)', () => {
    const d = blobs(400, 4, 5);
    d.y = d.y!.map((_, i) => (i % 3 === 0 ? 1 : 0)); // 134 of 400: balanced weights 400 / 268 and 400 / 532 are not float32-exact
    const s = randomForest.fit(d, randomForest.params.parse({ n_estimators: 3, class_weight: 'balanced' }), { task: 'binary', seed: 2 });
    expect(s.trees.some((t) => t.cover instanceof Float64Array)).toBe(true);
  });
});
