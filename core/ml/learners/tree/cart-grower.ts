import type { FlatTree } from '../types.ts';
import type { Rng } from '../../../spec/random.ts';
import { FlatTreeBuilder } from './flat-tree.ts';

/**
 * CART growth (gini / squared error), depth-first, on integer-coded features: column-major
 * codes where "code <= c" means "x <= threshold(c, next)". Two codings feed it:
 * - exact (decision_tree): codes are ranks of the distinct values, thresholds are midpoints of
 *   the two values either side, as scikit-learn's BestSplitter — the same split points;
 * - binned (random_forest): uint8 bins from binning.ts, thresholds are bin edges.
 * Per node and candidate feature, one pass over the node's rows fills a per-code histogram;
 * only the codes actually present are scanned and cleared, so small nodes cost O(rows log rows).
 */
export interface CodedFeatures {
  codes: Uint8Array | Uint32Array;
  rows: number;
  cols: number;
  /** Non-missing codes per feature (codes 0..nCodes-1). */
  nCodes: Int32Array;
  /** The code that marks a missing value. */
  missingCode: number;
  /** Threshold separating code `lo` (goes left) from the next present code `hi`. */
  threshold(feature: number, lo: number, hi: number): number;
}

export interface CartTarget {
  /** Classification: class index per row; regression: the target. */
  y: Float64Array;
  /** 0 for regression. */
  nClasses: number;
}

export interface CartParams {
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Number of non-constant features to evaluate per node. */
  maxFeatures: number;
}

/** Scratch buffers for one feature matrix, reusable across trees (e.g. all trees of a forest). */
export class CartWorkspace {
  readonly W: number;
  hist: Float64Array;
  touched: Int32Array;
  scratch: Uint32Array;
  features: Int32Array;
  stats: Float64Array;
  /** Per-row buffers (row ids, target and weight by position, and their partition scratch). */
  idx: Uint32Array;
  ys: Float64Array;
  wsp: Float64Array;
  ysTmp: Float64Array;
  wsTmp: Float64Array;
  /** One tree builder for every tree grown here (reset per tree): see FlatTreeBuilder. */
  readonly builder: FlatTreeBuilder;
  constructor(readonly data: CodedFeatures, readonly nClasses: number) {
    this.W = nClasses > 0 ? nClasses + 1 : 3;
    let maxCodes = 0;
    for (let f = 0; f < data.cols; f++) maxCodes = Math.max(maxCodes, data.nCodes[f]);
    this.hist = new Float64Array(this.W * (maxCodes + 1));
    this.touched = new Int32Array(maxCodes + 1);
    this.scratch = new Uint32Array(data.rows);
    this.features = new Int32Array(data.cols);
    this.stats = new Float64Array(this.W * 2);
    this.idx = new Uint32Array(data.rows);
    this.ys = new Float64Array(data.rows);
    this.wsp = new Float64Array(data.rows);
    this.ysTmp = new Float64Array(data.rows);
    this.wsTmp = new Float64Array(data.rows);
    this.builder = new FlatTreeBuilder(nClasses > 0 ? nClasses : 1, 64);
  }
}

const EPS = 2.220446049250313e-16;

/**
 * Grows one tree over `rows` (the rows that take part, e.g. the bootstrap rows with count > 0)
 * with per-row weights `w`. Returns a FlatTree whose values are class proportions
 * (classification) or means (regression) and whose cover is the weighted row count.
 */
export function growCart(ws: CartWorkspace, target: CartTarget, w: Float64Array, rowsIn: Uint32Array, params: CartParams, rng: Rng): FlatTree {
  const { data, W, hist, touched, scratch, features, stats } = ws;
  const { codes, rows: n, cols: F, nCodes, missingCode } = data;
  const K = target.nClasses;
  const y = target.y;
  const classify = K > 0;
  // Target and weight by position, partitioned along with idx: the per-feature passes then read
  // them sequentially and only the feature code is a random access.
  const { idx, ys, wsp, ysTmp, wsTmp } = ws;
  const m = rowsIn.length;
  idx.set(rowsIn);
  for (let i = 0; i < m; i++) {
    ys[i] = y[idx[i]];
    wsp[i] = w[idx[i]];
  }
  const builder = ws.builder;
  builder.reset();
  const msl = params.minSamplesLeaf;
  for (let f = 0; f < F; f++) features[f] = f;

  // Explicit stack of [node, start, stop, depth].
  const stack: number[] = [];
  let total0 = 0;
  for (let i = 0; i < m; i++) total0 += w[idx[i]];
  builder.addNode(total0);
  stack.push(0, 0, m, 0);

  while (stack.length > 0) {
    const depth = stack.pop()!;
    const stop = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const count = stop - start;

    // Node statistics: value, weight, impurity.
    let wSum = 0;
    let impurity = 0;
    const vo = node * builder.valueWidth;
    if (classify) {
      for (let k = 0; k < K; k++) stats[k] = 0;
      for (let i = start; i < stop; i++) stats[ys[i]] += wsp[i];
      let sq = 0;
      for (let k = 0; k < K; k++) wSum += stats[k];
      for (let k = 0; k < K; k++) {
        const p = wSum > 0 ? stats[k] / wSum : 0;
        builder.value[vo + k] = p;
        sq += p * p;
      }
      impurity = 1 - sq;
    } else {
      let wy = 0;
      let ymin = Infinity;
      let ymax = -Infinity;
      for (let i = start; i < stop; i++) {
        const yr = ys[i];
        wSum += wsp[i];
        wy += wsp[i] * yr;
        if (yr < ymin) ymin = yr;
        if (yr > ymax) ymax = yr;
      }
      builder.value[vo] = wSum > 0 ? wy / wSum : 0;
      impurity = ymax > ymin ? 1 : 0;
    }
    if (depth >= params.maxDepth || count < params.minSamplesSplit || count < 2 * msl || impurity <= EPS || wSum <= 0) continue;

    // Best split over a random subset of non-constant features (sklearn draws without replacement
    // and keeps drawing past constant features).
    let bestProxy = -Infinity;
    let bestF = -1;
    let bestLo = -1;
    let bestHi = -1;
    let bestMissingLeft = false;
    // As sklearn: constant features count as visited, but keep drawing until one is not constant.
    let visited = 0;
    let usable = 0;
    for (let j = 0; j < F && (visited < params.maxFeatures || usable === 0); j++) {
      visited++;
      const pick = j + rng.int(F - j);
      const f = features[pick];
      features[pick] = features[j];
      features[j] = f;
      const nc = nCodes[f];
      const col = f * n;
      // Fill the histogram (slot nc = missing), remembering which slots were touched.
      let nt = 0;
      if (classify) {
        for (let i = start; i < stop; i++) {
          let c = codes[col + idx[i]];
          if (c === missingCode) c = nc;
          const o = c * W;
          if (hist[o + K] === 0) touched[nt++] = c;
          hist[o + ys[i]] += wsp[i];
          hist[o + K] += 1;
        }
      } else {
        for (let i = start; i < stop; i++) {
          let c = codes[col + idx[i]];
          if (c === missingCode) c = nc;
          const o = c * 3;
          if (hist[o + 2] === 0) touched[nt++] = c;
          hist[o] += wsp[i];
          hist[o + 1] += wsp[i] * ys[i];
          hist[o + 2] += 1;
        }
      }
      const mo = nc * W;
      const missCount = hist[mo + W - 1];
      const nonMissing = missCount > 0 ? nt - 1 : nt;
      if (nonMissing === 0 || (nonMissing === 1 && missCount === 0)) {
        for (let t = 0; t < nt; t++) {
          const o = touched[t] * W;
          for (let k = 0; k < W; k++) hist[o + k] = 0;
        }
        continue;
      }
      usable++;
      // Order of present codes: sort the touched list when it is much shorter than the code range.
      let order: Int32Array | null = null;
      if (nt * 8 < nc) {
        if (nt <= 48) {
          // Insertion sort: small nodes are the vast majority, and a native sort call costs more.
          for (let a = 1; a < nt; a++) {
            const v = touched[a];
            let b = a - 1;
            while (b >= 0 && touched[b] > v) {
              touched[b + 1] = touched[b];
              b--;
            }
            touched[b + 1] = v;
          }
          order = touched;
        } else order = touched.subarray(0, nt).sort();
      }
      // Left accumulators in stats[0..W), right = node totals - left.
      for (let k = 0; k < W; k++) stats[k] = 0;
      const Lc = stats;
      let prev = -1;
      let seen = 0;
      const limit = order ? nt : nc;
      for (let t = 0; t < limit; t++) {
        const c = order ? order[t] : t;
        if (c === nc) continue;
        const o = c * W;
        if (!order && hist[o + W - 1] === 0) continue;
        if (prev >= 0) {
          // Candidate boundary between prev and c; try missing right, then missing left.
          for (let side = 0; side < (missCount > 0 ? 2 : 1); side++) {
            const proxy = splitProxy(hist, Lc, mo, side === 1, classify, K, wSum, node, builder, msl, count, missCount);
            if (proxy > bestProxy) {
              bestProxy = proxy;
              bestF = f;
              bestLo = prev;
              bestHi = c;
              bestMissingLeft = side === 1;
            }
          }
        }
        for (let k = 0; k < W; k++) Lc[k] += hist[o + k];
        prev = c;
        seen++;
        if (seen === nonMissing) break;
      }
      // All non-missing rows left, missing right.
      if (missCount > 0 && nonMissing > 0) {
        const proxy = splitProxy(hist, Lc, mo, false, classify, K, wSum, node, builder, msl, count, missCount);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          bestF = f;
          bestLo = prev;
          bestHi = -1;
          bestMissingLeft = false;
        }
      }
      for (let t = 0; t < nt; t++) {
        const o = touched[t] * W;
        for (let k = 0; k < W; k++) hist[o + k] = 0;
      }
    }
    if (bestF < 0) continue;

    // Partition [start, stop) stably: left rows first.
    const col = bestF * n;
    let l = start;
    let rr = 0;
    let wl = 0;
    let wr = 0;
    for (let i = start; i < stop; i++) {
      const r = idx[i];
      const c = codes[col + r];
      const goLeft = c === missingCode ? bestMissingLeft : c <= bestLo;
      if (goLeft) {
        ys[l] = ys[i];
        wsp[l] = wsp[i];
        idx[l++] = r;
        wl += w[r];
      } else {
        ysTmp[rr] = ys[i];
        wsTmp[rr] = wsp[i];
        scratch[rr++] = r;
        wr += w[r];
      }
    }
    for (let i = 0; i < rr; i++) {
      idx[l + i] = scratch[i];
      ys[l + i] = ysTmp[i];
      wsp[l + i] = wsTmp[i];
    }
    // With no missing rows here, unseen missing values follow the heavier child.
    const hadMissing = bestHi === -1 || bestMissingLeft || hasMissingIn(codes, col, idx, start, stop, missingCode);
    const missingLeft = hadMissing ? bestMissingLeft : wl >= wr;
    const thr = bestHi === -1 ? Infinity : data.threshold(bestF, bestLo, bestHi);
    const left = builder.split(node, bestF, thr, missingLeft, wl, wr);
    stack.push(left + 1, l, stop, depth + 1);
    stack.push(left, start, l, depth + 1);
  }
  return builder.finish();
}

function hasMissingIn(codes: Uint8Array | Uint32Array, col: number, idx: Uint32Array, start: number, stop: number, missingCode: number): boolean {
  for (let i = start; i < stop; i++) if (codes[col + idx[i]] === missingCode) return true;
  return false;
}

/**
 * sklearn's proxy impurity improvement for a candidate: left stats are L (+ the missing slot when
 * missingLeft), right is the node total minus left. -Infinity when a child is too small.
 */
function splitProxy(hist: Float64Array, L: Float64Array, mo: number, missingLeft: boolean, classify: boolean, K: number, wSum: number, node: number, builder: FlatTreeBuilder, msl: number, count: number, missCount: number): number {
  const W = classify ? K + 1 : 3;
  const nL = L[W - 1] + (missingLeft ? missCount : 0);
  const nR = count - nL;
  if (nL < msl || nR < msl) return -Infinity;
  if (classify) {
    // Totals are wSum × proportions stored as the node value.
    const vo = node * K;
    let wl = 0;
    let sl = 0;
    let sr = 0;
    for (let k = 0; k < K; k++) wl += L[k] + (missingLeft ? hist[mo + k] : 0);
    const wr = wSum - wl;
    if (wl <= 0 || wr <= 0) return -Infinity;
    for (let k = 0; k < K; k++) {
      const a = L[k] + (missingLeft ? hist[mo + k] : 0);
      const b = wSum * builder.value[vo + k] - a;
      sl += a * a;
      sr += b * b;
    }
    return sl / wl + sr / wr;
  }
  const wl = L[0] + (missingLeft ? hist[mo] : 0);
  const yl = L[1] + (missingLeft ? hist[mo + 1] : 0);
  const wr = wSum - wl;
  const yr = wSum * builder.value[node] - yl;
  if (wl <= 0 || wr <= 0) return -Infinity;
  return (yl * yl) / wl + (yr * yr) / wr;
}
