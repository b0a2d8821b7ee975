import { describe, expect, it } from 'vitest';
import { FlatTreeBuilder, addForestPredictions, addTreePredictions, flatTreeFromNodes, leafIndex, packStats, predictTree, predictTrees } from '../../../../core/ml/learners/tree/flat-tree.ts';
import { Rng } from '../../../../core/spec/random.ts';
import { MISSING_BIN, binMatrix, fitBinMapper } from '../../../../core/ml/learners/tree/binning.ts';
import type { FlatTree, Matrix } from '../../../../core/ml/learners/types.ts';

/** x0 <= 1 ? (x1 <= 5 ? 10 : 20) : 30, with NaN in x0 going right and NaN in x1 going left. */
function smallTree(b = new FlatTreeBuilder(1)): FlatTree {
  b.addNode(10);
  const l = b.split(0, 0, 1, false, 6, 4);
  const ll = b.split(l, 1, 5, true, 3, 3);
  b.value[ll] = 10;
  b.value[ll + 1] = 20;
  b.value[l + 1] = 30;
  return b.finish();
}

describe('flat trees', () => {
  it('go left when x <= threshold, and follow missingLeft for NaN', () => {
    const t = smallTree();
    const rows = [[1, 5], [1, 5.0000001], [1.0000001, 0], [NaN, 0], [0, NaN]];
    expect(rows.map((r) => predictTree(t, Float64Array.from(r))[0])).toEqual([10, 20, 30, 30, 10]);
    expect(t.cover[0]).toBe(10);
  });

  it('hold one child offset per node and leaf values once per leaf', () => {
    const t = smallTree();
    // nodes: 0 split, 1 split, 2 leaf(30), 3 leaf(10), 4 leaf(20); leaves numbered in node order
    expect(Array.from(t.feature)).toEqual([0, 1, -1, -1, -1]);
    expect(Array.from(t.child)).toEqual([1, 3, 0, 1, 2]);
    expect(Array.from(t.value)).toEqual([30, 10, 20]);
    expect(Object.keys(t).sort()).toEqual(['child', 'cover', 'feature', 'missingLeft', 'threshold', 'value', 'valueWidth']);
  });

  it('batch prediction (branch-free and NaN-aware paths) equals the one-row walk', () => {
    const t = smallTree();
    const data = Float64Array.from([1, 5, 1, 6, 2, 0, 0, 9, -3, 5]);
    const X: Matrix = { data, rows: 5, cols: 2 };
    const out = new Float64Array(5);
    addTreePredictions(t, X, out, 1);
    const one = Array.from({ length: 5 }, (_, i) => t.value[t.child[leafIndex(t, data, i * 2)]]);
    expect(Array.from(out)).toEqual(one);
    const withNaN: Matrix = { data: Float64Array.from([NaN, 0, 0, NaN, 2, 0]), rows: 3, cols: 2 };
    expect(Array.from(predictTrees([t, t], withNaN, 0.5))).toEqual([30, 10, 30]);
    // A tree whose children are not adjacent (e.g. read from a file) predicts the same once laid out.
    // Re-map node ids: new order [0, right(30), left, ll, lr].
    const remapped = flatTreeFromNodes({
      feature: Int32Array.from([0, -1, 1, -1, -1]),
      threshold: Float64Array.from([1, 0, 5, 0, 0]),
      left: Int32Array.from([2, -1, 3, -1, -1]),
      right: Int32Array.from([1, -1, 4, -1, -1]),
      missingLeft: Uint8Array.from([0, 0, 1, 0, 0]),
      cover: Float64Array.from([10, 4, 6, 3, 3]),
      value: Float64Array.from([0, 30, 0, 10, 20]),
      valueWidth: 1,
    });
    expect(Array.from(predictTrees([remapped], X))).toEqual(one);
    expect(Array.from(predictTrees([remapped], withNaN))).toEqual([30, 10, 30]);
  });
});

/** A random tree over `cols` features: `splits` splits on random leaves, value width `width`. */
function randomTree(rng: Rng, cols: number, splits: number, width: number, leafValue = () => rng.normal()): FlatTree {
  const b = new FlatTreeBuilder(width);
  b.addNode(1);
  const leaves = [0];
  for (let s = 0; s < splits; s++) {
    const node = leaves.splice(rng.int(leaves.length), 1)[0];
    const l = b.split(node, rng.int(cols), Math.round(rng.normal() * 4) / 4, rng.next() < 0.5, 1, 1);
    leaves.push(l, l + 1);
  }
  for (const leaf of leaves) for (let v = 0; v < width; v++) b.value[leaf * width + v] = leafValue();
  return b.finish();
}

describe('batch prediction with the WebAssembly walk', () => {
  it('adds the same numbers, bit for bit, as the JavaScript walk (NaN or none, ties on thresholds, odd row counts, blocks, wide values)', () => {
    const rng = new Rng(3);
    for (const [rows, width, nan] of [[2503, 1, 1], [1030, 3, 0], [3, 2, 1], [701, 1, 0]]) {
      const cols = 5;
      const data = new Float64Array(rows * cols);
      // Quarter steps make many values equal a threshold (x <= t goes left).
      for (let i = 0; i < data.length; i++) data[i] = nan && i % 97 === 0 ? NaN : Math.round(rng.normal() * 8) / 4;
      if (rows > 1500) for (let i = 1024 * cols; i < 2048 * cols; i++) if (Number.isNaN(data[i])) data[i] = 0; // a block without NaN
      const X: Matrix = { data, rows, cols };
      const trees = Array.from({ length: 7 }, (_, t) => randomTree(rng, cols, t === 0 ? 0 : 3 + 9 * t, width));
      const fast = new Float64Array(rows * width * 2);
      const slow = new Float64Array(rows * width * 2);
      const blocked = new Float64Array(rows * width * 2);
      addForestPredictions(trees, X, fast, width * 2, (t) => (t % 2) * width, 0.3);
      addForestPredictions(trees, X, blocked, width * 2, (t) => (t % 2) * width, 0.3, { blockBytes: 1024 * cols * 8 }); // 1024-row blocks
      addForestPredictions(trees, X, slow, width * 2, (t) => (t % 2) * width, 0.3, { kernels: false });
      expect(fast).toEqual(slow);
      expect(blocked).toEqual(slow);
      // and the JavaScript walk is the one-row walk
      const r = rows - 1;
      const one = trees.filter((_, t) => t % 2 === 0).reduce((s, t) => s + 0.3 * predictTree(t, data, r * cols)[0], 0);
      expect(slow[r * width * 2]).toBeCloseTo(one, 12);
    }
  });
});

describe('binning', () => {
  it('uses midpoints for few distinct values, a missing bin, and bin <= b  <=>  x <= threshold[b]', () => {
    const X: Matrix = { data: Float64Array.from([3, 1, NaN, 2, 1, 3]), rows: 6, cols: 1 };
    const m = fitBinMapper(X, 255);
    expect(Array.from(m.thresholds[0])).toEqual([1.5, 2.5]);
    expect(m.nBinsNonMissing[0]).toBe(3);
    expect(m.hasMissing[0]).toBe(1);
    expect(Array.from(binMatrix(X, m))).toEqual([2, 0, MISSING_BIN, 1, 0, 2]);
    expect(Array.from(binMatrix(X, m, true))).toEqual([2, 0, 3, 1, 0, 2]);
  });

  it('caps the bins at max_bins with quantile edges', () => {
    const n = 5000;
    const X: Matrix = { data: Float64Array.from({ length: n }, (_, i) => (i * 7919) % n), rows: n, cols: 1 };
    const m = fitBinMapper(X, 32);
    expect(m.nBinsNonMissing[0]).toBe(32);
    const bins = binMatrix(X, m);
    const counts = new Array(32).fill(0);
    bins.forEach((b) => counts[b]++);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
  });
});

describe('a finished tree in its compact arrays', () => {
  it('shares a value slot only between leaves equal bit for bit (0 and -0 stay apart), and predicts each leaf its own values', () => {
    const b = new FlatTreeBuilder(2);
    b.addNode(8);
    const l = b.split(0, 0, 0, false, 4, 4);
    const ll = b.split(l, 1, 0, false, 2, 2);
    const rl = b.split(l + 1, 1, 0, false, 2, 2);
    const leafValues: [number, [number, number]][] = [[ll, [1, 0]], [ll + 1, [0, 1]], [rl, [1, 0]], [rl + 1, [-0, 1]]];
    for (const [leaf, v] of leafValues) b.value.set(v, leaf * 2);
    const t = b.finish();
    expect(t.value.length / 2).toBe(3);
    expect(t.child[ll]).toBe(t.child[rl]);
    for (const [leaf, v] of leafValues) expect(Array.from(t.value.subarray(t.child[leaf] * 2, t.child[leaf] * 2 + 2))).toEqual(v);
    expect(Object.is(t.value[t.child[rl + 1] * 2], -0)).toBe(true);
  });

  it('keeps float64 covers unless every cover is exactly a float32, and a reset builder grows the same tree again', () => {
    const b = new FlatTreeBuilder(1);
    b.addNode(0.1);
    b.split(0, 0, 1, false, 0.05, 0.05);
    expect(b.finish().cover).toBeInstanceOf(Float64Array);
    b.reset();
    const again = smallTree(b);
    expect(again.cover).toBeInstanceOf(Float32Array);
    expect(again).toEqual(smallTree());
  });
});

describe('a forest packed for the WebAssembly walk', () => {
  it('takes 16 bytes a node plus each tree\'s value table once (not a value slot per node), and predicts the same as the JavaScript walk', () => {
    const rng = new Rng(9);
    const cols = 4;
    const rows = 777;
    // Two-wide leaves whose values repeat (as a classifier's pure leaves): at most 4 distinct vectors a tree.
    const trees = Array.from({ length: 5 }, (_, t) => randomTree(rng, cols, 40 + 10 * t, 2, () => (rng.next() < 0.5 ? 1 : 0)));
    const nodes = trees.reduce((n, t) => n + t.feature.length, 0);
    const slots = trees.reduce((n, t) => n + t.value.length, 0);
    expect(slots).toBeLessThanOrEqual(4 * 2 * trees.length);
    for (const nan of [true, false]) {
      const data = Float64Array.from({ length: rows * cols }, (_, i) => (nan && i % 41 === 0 ? NaN : Math.round(rng.normal() * 8) / 4));
      const X: Matrix = { data, rows, cols };
      const fast = new Float64Array(rows * 2);
      const slow = new Float64Array(rows * 2);
      addForestPredictions(trees, X, fast, 2, () => 0, 0.2);
      addForestPredictions(trees, X, slow, 2, () => 0, 0.2, { kernels: false });
      expect(fast).toEqual(slow);
      expect(packStats.bytes).toBe(nodes * 16 + slots * 8);
    }
  });
});
