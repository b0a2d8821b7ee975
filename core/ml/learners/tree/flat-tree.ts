import type { FlatTree, Matrix } from '../types.ts';
import { anyNaN, walkForest } from './packed-walk.ts';

export { packStats, treeDepth } from './packed-walk.ts';

/**
 * Growable flat tree used by every tree builder. Children are always allocated as a pair
 * (right = left + 1), as the compact FlatTree requires. While growing, every node has a value
 * vector (a grower reads a node's value back to score its splits); finish() keeps the leaves'.
 * A builder can be reset() and reused for the next tree (a forest's trees): its arrays grow
 * once to the largest tree instead of doubling again, and leaving garbage, for every tree.
 */
export class FlatTreeBuilder {
  size = 0;
  private cap: number;
  feature: Int32Array;
  threshold: Float64Array;
  /** Left child of a split (right = left + 1); -1 on a leaf. */
  left: Int32Array;
  missingLeft: Uint8Array;
  cover: Float64Array;
  /** nodes × valueWidth while growing. */
  value: Float64Array;

  constructor(readonly valueWidth: number, initialCapacity = 64) {
    this.cap = Math.max(4, initialCapacity);
    this.feature = new Int32Array(this.cap);
    this.threshold = new Float64Array(this.cap);
    this.left = new Int32Array(this.cap);
    this.missingLeft = new Uint8Array(this.cap);
    this.cover = new Float64Array(this.cap);
    this.value = new Float64Array(this.cap * valueWidth);
  }

  /** Empties the builder for the next tree, keeping its arrays (every slot is written again before it is read). */
  reset(): void {
    this.size = 0;
  }

  private grow(need: number): void {
    if (need <= this.cap) return;
    let cap = this.cap * 2;
    while (cap < need) cap *= 2;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a.subarray(0, Math.min(a.length, this.size * (a.length / this.cap))));
      return b;
    };
    this.feature = g(this.feature, cap);
    this.threshold = g(this.threshold, cap);
    this.left = g(this.left, cap);
    this.missingLeft = g(this.missingLeft, cap);
    this.cover = g(this.cover, cap);
    this.value = g(this.value, cap * this.valueWidth);
    this.cap = cap;
  }

  /** Adds a leaf node (feature -1) and returns its id. */
  addNode(cover: number): number {
    this.grow(this.size + 1);
    const id = this.size++;
    this.feature[id] = -1;
    this.left[id] = -1;
    this.missingLeft[id] = 0;
    this.threshold[id] = 0;
    this.cover[id] = cover;
    for (let v = 0, o = id * this.valueWidth; v < this.valueWidth; v++) this.value[o + v] = 0;
    return id;
  }

  /** Turns `node` into a split and allocates its two children (as leaves); returns the left id. */
  split(node: number, feature: number, threshold: number, missingLeft: boolean, coverLeft: number, coverRight: number): number {
    const l = this.addNode(coverLeft);
    this.addNode(coverRight); // right = l + 1
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.missingLeft[node] = missingLeft ? 1 : 0;
    this.left[node] = l;
    return l;
  }

  /**
   * The compact tree, in arrays of exactly its size: leaves with the same value vector (bit for
   * bit) share one slot of `value` (a fully grown classifier's leaves are mostly pure: a handful
   * of distinct vectors for the whole tree); covers in float32 when every one of them is exactly
   * a float32 (row counts are), else float64; features in 16 bits when they fit.
   */
  finish(): FlatTree {
    const n = this.size;
    const w = this.valueWidth;
    let maxFeature = 0;
    let leaves = 0;
    for (let i = 0; i < n; i++) {
      const f = this.feature[i];
      if (f < 0) leaves++;
      else if (f > maxFeature) maxFeature = f;
    }
    const feature = maxFeature <= 0x7fff ? Int16Array.from(this.feature.subarray(0, n)) : this.feature.slice(0, n);
    const child = new Int32Array(n);
    // Distinct leaf vectors: open addressing on a hash of their bits, compared bit for bit (so -0,
    // 0 and NaN payloads stay apart: the sums are exactly those of a value per leaf).
    const bits = new Uint32Array(this.value.buffer, this.value.byteOffset, this.value.length * 2);
    const mask = (1 << Math.ceil(Math.log2(2 * leaves + 2))) - 1;
    const table = new Int32Array(mask + 1).fill(-1);
    const firstNode: number[] = [];
    for (let i = 0; i < n; i++) {
      if (this.feature[i] >= 0) {
        child[i] = this.left[i];
        continue;
      }
      const o = i * w * 2;
      let h = 0x811c9dc5;
      for (let k = 0; k < 2 * w; k++) h = Math.imul(h ^ bits[o + k], 0x01000193);
      h ^= h >>> 15;
      for (let s = h & mask; ; s = (s + 1) & mask) {
        const slot = table[s];
        if (slot < 0) {
          table[s] = firstNode.length;
          child[i] = firstNode.length;
          firstNode.push(i);
          break;
        }
        const q = firstNode[slot] * w * 2;
        let same = true;
        for (let k = 0; k < 2 * w && same; k++) same = bits[o + k] === bits[q + k];
        if (same) {
          child[i] = slot;
          break;
        }
      }
    }
    const value = new Float64Array(firstNode.length * w);
    for (let k = 0; k < firstNode.length; k++) for (let v = 0; v < w; v++) value[k * w + v] = this.value[firstNode[k] * w + v];
    let exact32 = true;
    for (let i = 0; i < n && exact32; i++) exact32 = Math.fround(this.cover[i]) === this.cover[i];
    const cover = exact32 ? Float32Array.from(this.cover.subarray(0, n)) : this.cover.slice(0, n);
    return { feature, threshold: this.threshold.slice(0, n), child, missingLeft: this.missingLeft.slice(0, n), cover, value, valueWidth: w };
  }
}

/**
 * A tree given as nodes with explicit left and right children and a value vector per node (e.g.
 * read from another library's file), in the compact layout: nodes renumbered breadth-first so
 * every split's children are adjacent. Predicts and explains as the input does.
 */
export function flatTreeFromNodes(t: { feature: ArrayLike<number>; threshold: ArrayLike<number>; left: ArrayLike<number>; right: ArrayLike<number>; missingLeft: ArrayLike<number>; cover: ArrayLike<number>; value: ArrayLike<number>; valueWidth: number }): FlatTree {
  const b = new FlatTreeBuilder(t.valueWidth, t.feature.length);
  const w = t.valueWidth;
  const setLeaf = (to: number, from: number) => {
    for (let v = 0; v < w; v++) b.value[to * w + v] = t.value[from * w + v];
  };
  b.addNode(t.cover[0]);
  const queue: [number, number][] = [[0, 0]];
  for (let q = 0; q < queue.length; q++) {
    const [to, from] = queue[q];
    if (t.feature[from] < 0) setLeaf(to, from);
    else {
      const l = b.split(to, t.feature[from], t.threshold[from], t.missingLeft[from] === 1, t.cover[t.left[from]], t.cover[t.right[from]]);
      queue.push([l, t.left[from]], [l + 1, t.right[from]]);
    }
  }
  return b.finish();
}

/** Index of the leaf that row `offset` (start of a row in a row-major array) falls into. */
export function leafIndex(tree: FlatTree, x: Float64Array, offset: number): number {
  const { feature, threshold, child, missingLeft } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const v = x[offset + f];
    node = child[node] + (v <= threshold[node] || (v !== v && missingLeft[node] === 1) ? 0 : 1);
    f = feature[node];
  }
  return node;
}

/** The value vector (valueWidth numbers) of the leaf for one row, as a subarray view. */
export function predictTree(tree: FlatTree, x: Float64Array, offset = 0): Float64Array {
  const leaf = tree.child[leafIndex(tree, x, offset)];
  return tree.value.subarray(leaf * tree.valueWidth, (leaf + 1) * tree.valueWidth);
}

/** Adds one tree's weighted leaf values into `out` (see addForestPredictions). */
function addTreeRows(tree: FlatTree, X: Matrix, out: Float64Array, outWidth: number, outOffset: number, weight: number, hasNaN: boolean): void {
  const { feature, threshold, child, missingLeft, value, valueWidth } = tree;
  const data = X.data;
  const cols = X.cols;
  const rows = X.rows;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    let node = 0;
    let f = feature[0];
    if (!hasNaN) {
      // Branch-free step (right child = left + 1): the comparison is data, not control flow.
      while (f >= 0) {
        node = child[node] + (data[base + f] > threshold[node] ? 1 : 0);
        f = feature[node];
      }
    } else {
      while (f >= 0) {
        const x = data[base + f];
        node = child[node] + (x <= threshold[node] || (x !== x && missingLeft[node] === 1) ? 0 : 1);
        f = feature[node];
      }
    }
    const leaf = child[node];
    if (valueWidth === 1) out[r * outWidth + outOffset] += weight * value[leaf];
    else {
      const o = r * outWidth + outOffset;
      const vo = leaf * valueWidth;
      for (let v = 0; v < valueWidth; v++) out[o + v] += weight * value[vo + v];
    }
  }
}

/** For tests: `kernels: false` takes the JavaScript walk; `blockBytes` sets the WebAssembly walk's block. */
export interface WalkOptions {
  kernels?: boolean;
  blockBytes?: number;
}

/**
 * Adds `weight × leaf value` of every row to `out` (rows × outWidth, row-major): tree t's value
 * column v goes to out column `outOffset(t) + v`. Each row adds the trees in order, whichever
 * path runs, so the sums are the same bit for bit.
 */
export function addForestPredictions(trees: FlatTree[], X: Matrix, out: Float64Array, outWidth: number, outOffset: (t: number) => number = () => 0, weight = 1, walk: WalkOptions = {}): void {
  if (trees.length === 0 || X.rows === 0) return;
  if (walk.kernels !== false && walkForest(trees, X, out, outWidth, outOffset, weight, walk.blockBytes)) return;
  const hasNaN = anyNaN(X.data);
  for (let t = 0; t < trees.length; t++) addTreeRows(trees[t], X, out, outWidth, outOffset(t), weight, hasNaN);
}

/** One tree's weighted leaf values added into `out` (rows × outWidth) at column outOffset. */
export function addTreePredictions(tree: FlatTree, X: Matrix, out: Float64Array, outWidth: number, outOffset = 0, weight = 1): void {
  addTreeRows(tree, X, out, outWidth, outOffset, weight, anyNaN(X.data));
}

/** Sum (or weighted mean, with weight = 1/trees) of several trees' leaf values, rows × width. */
export function predictTrees(trees: FlatTree[], X: Matrix, weight = 1): Float64Array {
  const width = trees.length > 0 ? trees[0].valueWidth : 1;
  const out = new Float64Array(X.rows * width);
  addForestPredictions(trees, X, out, width, () => 0, weight);
  return out;
}

/** Bytes a forest's trees hold in memory (every typed array of every tree). */
export function forestBytes(trees: FlatTree[]): number {
  let bytes = 0;
  for (const t of trees) for (const a of Object.values(t)) if (ArrayBuffer.isView(a)) bytes += a.byteLength;
  return bytes;
}
