import { beforeAll, describe, expect, it } from 'vitest';
import { decisionTree } from '../../../../core/ml/learners/tree/decision-tree.ts';
import { treeDepth } from '../../../../core/ml/learners/tree/flat-tree.ts';
import type { FitData } from '../../../../core/ml/learners/types.ts';
import { isFlowlineError } from '../../../../core/spec/errors.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { describePython, runPython } from '../../../support/python.ts';
import { expectClose } from './learner-checks.ts';
import { type ParityCase, parityMany } from './tree-parity.ts';

const SEEDS = [0, 1, 2, 3, 4];
const fitTree = (data: FitData, params: Record<string, unknown> = {}, task: 'binary' | 'multiclass' | 'regression' = 'binary', seed = 0) =>
  decisionTree.fit(data, decisionTree.params.parse(params), { task, seed });

function blobs(n: number, cols: number, seed: number): FitData {
  const rng = new Rng(seed);
  const data = new Float64Array(n * cols);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < cols; j++) data[i * cols + j] = rng.normal() + (j < 2 ? y[i] * 1.5 : 0);
  }
  return { X: { data, rows: n, cols }, y, nClasses: 2, featureNames: Array.from({ length: cols }, (_, j) => `x${j}`) };
}

describePython('sklearn', 'decision_tree matches scikit-learn 1.2 (mean over 5 seeds)', () => {
  const CASES: ParityCase[] = [
    { dataset: 'breast_cancer', estimator: 'DecisionTreeClassifier()' },
    { dataset: 'penguins_sex', estimator: 'DecisionTreeClassifier()' },
    { dataset: 'digits', estimator: 'DecisionTreeClassifier()' },
    { dataset: 'diabetes', estimator: 'DecisionTreeRegressor()' },
  ];
  let results: ReturnType<typeof parityMany>;
  beforeAll(() => {
    results = parityMany(decisionTree, CASES, SEEDS);
  }, 300_000);
  it.each(CASES.map((c) => c.dataset))('%s', (dataset) => {
    const { ours, theirs } = results.get(dataset)!;
    expectClose(ours, theirs);
  });

  it('puts its thresholds where sklearn does, between the data\'s own values', () => {
    const d = blobs(200, 3, 7);
    const ours = fitTree(d, { max_depth: 1 }).tree;
    const sk = runPython<{ feature: number; threshold: number }>(
      `import json,sys,numpy as np\nfrom sklearn.tree import DecisionTreeClassifier\na=json.load(sys.stdin)\nX=np.array(a['X']).reshape(-1,3)\nt=DecisionTreeClassifier(max_depth=1).fit(X.astype(np.float32).astype(float),a['y']).tree_\nprint(json.dumps({'feature':int(t.feature[0]),'threshold':float(t.threshold[0])}))`,
      { X: Array.from(d.X.data, (v) => Math.fround(v)), y: Array.from(d.y!) },
    );
    expect(ours.feature[0]).toBe(sk.feature);
    expect(ours.threshold[0]).toBeCloseTo(sk.threshold, 5);
  });
});

describe('decision_tree', () => {
  it('splits at the midpoint of two distinct values and keeps covers', () => {
    const X = { data: Float64Array.from([1, 2, 3, 10]), rows: 4, cols: 1 };
    const s = fitTree({ X, y: Float64Array.from([0, 0, 1, 1]), nClasses: 2, featureNames: ['a'] });
    expect(s.tree.threshold[0]).toBe(2.5);
    expect(Array.from(s.tree.cover.slice(0, 3))).toEqual([4, 2, 2]);
    expect(Array.from(s.tree.value)).toEqual([1, 0, 0, 1]); // one proportion pair per leaf
  });

  it('respects max_depth and min_samples_leaf', () => {
    const d = blobs(400, 4, 1);
    const s = fitTree(d, { max_depth: 3, min_samples_leaf: 15 });
    expect(treeDepth(s.tree)).toBeLessThanOrEqual(3);
    for (let i = 0; i < s.tree.feature.length; i++) if (s.tree.feature[i] < 0) expect(s.tree.cover[i]).toBeGreaterThanOrEqual(15);
  });

  it('never splits on a constant or all-missing feature, and routes missing values', () => {
    const d = blobs(300, 4, 2);
    for (let i = 0; i < 300; i++) {
      d.X.data[i * 4 + 2] = 5; // constant
      d.X.data[i * 4 + 3] = NaN; // all missing
      if (i % 7 === 0) d.X.data[i * 4] = NaN; // some missing in an informative feature
    }
    const s = fitTree(d);
    const used = new Set(Array.from(s.tree.feature).filter((f) => f >= 0));
    expect(used.has(2)).toBe(false);
    expect(used.has(3)).toBe(false);
    expect(used.has(0)).toBe(true);
    const p = decisionTree.predict(s, d.X);
    // A fully grown tree fits its training rows, missing ones included.
    expect(p.values.every((v, i) => v === d.y![i])).toBe(true);
  });

  it('regression leaves are means', () => {
    const X = { data: Float64Array.from([0, 1, 2, 3, 4, 5]), rows: 6, cols: 1 };
    const s = decisionTree.fit({ X, y: Float64Array.from([1, 1, 1, 5, 5, 7]), featureNames: ['a'] }, decisionTree.params.parse({ max_depth: 1 }), { task: 'regression', seed: 0 });
    expect(decisionTree.predict(s, X).values).toEqual(Float64Array.from([1, 1, 1, 17 / 3, 17 / 3, 17 / 3]));
  });

  it('class_weight balanced shifts an imbalanced decision', () => {
    const X = { data: Float64Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]), rows: 10, cols: 1 };
    const y = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const plain = fitTree({ X, y, nClasses: 2, featureNames: ['a'] }, { max_depth: 1 });
    const bal = fitTree({ X, y, nClasses: 2, featureNames: ['a'] }, { max_depth: 1, class_weight: 'balanced' });
    const x1 = { data: Float64Array.from([1]), rows: 1, cols: 1 };
    expect(decisionTree.predict(plain, x1).values[0]).toBe(0);
    expect(decisionTree.predict(bal, x1).values[0]).toBe(1);
  });

  it('is deterministic for a seed (bit-identical predictions)', () => {
    const d = blobs(500, 6, 3);
    const a = decisionTree.predict(fitTree(d, { max_features: 'sqrt' }, 'binary', 11), d.X);
    const b = decisionTree.predict(fitTree(d, { max_features: 'sqrt' }, 'binary', 11), d.X);
    expect(Buffer.from(a.proba!.buffer).equals(Buffer.from(b.proba!.buffer))).toBe(true);
  });

  it('says "no training rows" for an empty table', () => {
    const empty: FitData = { X: { data: new Float64Array(0), rows: 0, cols: 2 }, y: new Float64Array(0), nClasses: 2, featureNames: ['a', 'b'] };
    try {
      fitTree(empty);
      expect.unreachable();
    } catch (e) {
      expect(isFlowlineError(e) && e.code).toBe('BAD_DATA');
      expect((e as Error).message).toMatch(/no training rows/i);
    }
  });
});
