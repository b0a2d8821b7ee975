import type { FlatTree } from '../types.ts';
import { FlatTreeBuilder } from './flat-tree.ts';
import type { BinMapper } from './binning.ts';

/**
 * Leaf-wise (best-first) gradient tree growth on uint8 bins, as LightGBM / scikit-learn's
 * HistGradientBoosting: per node a (gradient, hessian, count) histogram per feature; only the
 * smaller child's histogram is built from its rows, the sibling's is parent − child.
 * All buffers are allocated once per grower and reused for every tree. Feature f's histogram has
 * slots 0..nBinsNonMissing[f]-1 for values and slot nBinsNonMissing[f] for missing values, so
 * `bins` must come from binMatrix(X, mapper, true).
 */
export interface HistGrowerParams {
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2: number;
  minHessianToSplit: number;
  learningRate: number;
}


/**
 * Gains equal up to rounding count as ties, and a tie keeps the earlier feature / bin, as
 * sklearn's scan does; without this, summation order alone can flip a choice between two
 * splits that isolate the same rows.
 */
const TIE = 1e-10;

/** Numbers per feature in a histogram: 256 slots of (gradient, hessian, count). */
const STRIDE = 256 * 3;

interface GrowNode {
  id: number;
  start: number;
  stop: number;
  depth: number;
  g: number;
  h: number;
  hist: number; // index into the histogram pool, -1 when released
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
  /** For the chosen split: left child's sums. */
  gl: number;
  hl: number;
  nl: number;
}

export class HistGrower {
  readonly idx: Uint32Array;
  private readonly scratch: Uint32Array;
  /** Row-major copy of the bins (rows × cols). */
  private readonly rowBins: Uint8Array;
  private readonly pool: Float64Array[] = [];
  private readonly free: number[] = [];
  /** Leaves of the last tree: [start, stop) ranges of `idx` and their (shrunk) values. */
  leafStart: number[] = [];
  leafStop: number[] = [];
  leafValue: number[] = [];

  constructor(
    /** Column-major bins from binMatrix(X, mapper, true); copied row-major, not kept. */
    bins: Uint8Array,
    readonly rows: number,
    readonly cols: number,
    readonly mapper: BinMapper,
    readonly params: HistGrowerParams,
  ) {
    this.idx = new Uint32Array(rows);
    this.scratch = new Uint32Array(rows);
    this.rowBins = new Uint8Array(rows * cols);
    for (let f = 0; f < cols; f++) {
      const col = f * rows;
      for (let i = 0; i < rows; i++) this.rowBins[i * cols + f] = bins[col + i];
    }
  }

  private takeHist(): number {
    const h = this.free.pop();
    if (h !== undefined) {
      this.pool[h].fill(0);
      return h;
    }
    this.pool.push(new Float64Array(this.cols * STRIDE));
    return this.pool.length - 1;
  }

  private release(node: GrowNode): void {
    if (node.hist >= 0) this.free.push(node.hist);
    node.hist = -1;
  }

  /**
   * Fills histogram `hi` from the rows idx[start, stop), row by row over the row-major bins:
   * each row's gradient and hessian are read once, and its bins are adjacent in memory.
   */
  private buildHist(hi: number, start: number, stop: number, g: Float64Array, h: Float64Array): void {
    const hist = this.pool[hi];
    const { idx, rowBins, cols } = this;
    const F4 = cols - (cols % 4);
    // Fixed stride per feature and 4 features per step: measured 2.2× faster than looking up a
    // per-feature offset one feature at a time (V8 keeps the four updates independent).
    for (let i = start; i < stop; i++) {
      const r = idx[i];
      const gr = g[r];
      const hr = h[r];
      const base = r * cols;
      let f = 0;
      let ho = 0;
      for (; f < F4; f += 4, ho += 4 * STRIDE) {
        const b0 = ho + 3 * rowBins[base + f];
        const b1 = ho + STRIDE + 3 * rowBins[base + f + 1];
        const b2 = ho + 2 * STRIDE + 3 * rowBins[base + f + 2];
        const b3 = ho + 3 * STRIDE + 3 * rowBins[base + f + 3];
        hist[b0] += gr;
        hist[b0 + 1] += hr;
        hist[b0 + 2] += 1;
        hist[b1] += gr;
        hist[b1 + 1] += hr;
        hist[b1 + 2] += 1;
        hist[b2] += gr;
        hist[b2 + 1] += hr;
        hist[b2 + 2] += 1;
        hist[b3] += gr;
        hist[b3 + 1] += hr;
        hist[b3 + 2] += 1;
      }
      for (; f < cols; f++, ho += STRIDE) {
        const b = ho + 3 * rowBins[base + f];
        hist[b] += gr;
        hist[b + 1] += hr;
        hist[b + 2] += 1;
      }
    }
  }

  /** Best split of a node into node.{gain, feature, bin, missingLeft, gl, hl, nl}. */
  private findSplit(node: GrowNode): void {
    node.gain = -1;
    node.feature = -1;
    const { minSamplesLeaf: msl, minHessianToSplit: mh, l2 } = this.params;
    const n = node.stop - node.start;
    const G = node.g;
    const H = node.h;
    const parentScore = (G * G) / (H + l2);
    const hist = this.pool[node.hist];
    for (let f = 0; f < this.cols; f++) {
      const ho = f * STRIDE;
      const nb = this.mapper.nBinsNonMissing[f];
      const hasMissing = this.mapper.hasMissing[f] === 1;
      // Left to right: missing values go right. With missing values, also "all non-missing left".
      let gl = 0;
      let hl = 0;
      let nl = 0;
      const end = nb - 1 + (hasMissing ? 1 : 0);
      for (let b = 0; b < end; b++) {
        const o = ho + b * 3;
        gl += hist[o];
        hl += hist[o + 1];
        nl += hist[o + 2];
        if (nl < msl) continue;
        const nr = n - nl;
        if (nr < msl) break;
        const hr = H - hl;
        if (hl < mh) continue;
        if (hr < mh) break;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > node.gain + TIE * Math.abs(node.gain)) {
          node.gain = gain;
          node.feature = f;
          node.bin = b;
          node.missingLeft = false;
          node.gl = gl;
          node.hl = hl;
          node.nl = nl;
        }
      }
      if (!hasMissing) continue;
      // Right to left: missing values go left.
      let gr = 0;
      let hr = 0;
      let nr = 0;
      for (let b = nb - 2; b >= 0; b--) {
        const o = ho + (b + 1) * 3;
        gr += hist[o];
        hr += hist[o + 1];
        nr += hist[o + 2];
        if (nr < msl) continue;
        const nl2 = n - nr;
        if (nl2 < msl) break;
        const hl2 = H - hr;
        if (hr < mh) continue;
        if (hl2 < mh) break;
        const gl2 = G - gr;
        const gain = (gl2 * gl2) / (hl2 + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > node.gain + TIE * Math.abs(node.gain)) {
          node.gain = gain;
          node.feature = f;
          node.bin = b;
          node.missingLeft = true;
          node.gl = gl2;
          node.hl = hl2;
          node.nl = nl2;
        }
      }
    }
  }

  /**
   * Grows one tree on the rows sample[0..nSample) (all rows when omitted) with gradients g and
   * hessians h. Leaf values are −G/(H+λ)·learning_rate; cover is the hessian sum.
   */
  grow(g: Float64Array, h: Float64Array): FlatTree {
    const { idx, params, rows } = this;
    for (let i = 0; i < rows; i++) idx[i] = i;
    this.free.length = 0;
    for (let i = 0; i < this.pool.length; i++) this.free.push(i);
    let G = 0;
    let H = 0;
    for (let i = 0; i < rows; i++) {
      G += g[i];
      H += h[i];
    }
    const builder = new FlatTreeBuilder(1, 2 * params.maxLeafNodes);
    const root: GrowNode = newNode(builder.addNode(H), 0, rows, 0, G, H);
    root.hist = this.takeHist();
    this.buildHist(root.hist, 0, rows, g, h);
    const leaves: GrowNode[] = [];
    const open: GrowNode[] = [];
    const consider = (node: GrowNode) => {
      const n = node.stop - node.start;
      if (node.depth >= params.maxDepth || n < 2 * params.minSamplesLeaf || node.h < 2 * params.minHessianToSplit) {
        this.release(node);
        leaves.push(node);
        return;
      }
      this.findSplit(node);
      if (node.feature < 0 || node.gain <= 0) {
        this.release(node);
        leaves.push(node);
        return;
      }
      open.push(node);
    };
    consider(root);
    let nLeaves = 1;
    while (open.length > 0 && nLeaves < params.maxLeafNodes) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i].gain > open[best].gain) best = i;
      const node = open[best];
      open.splice(best, 1);
      // Partition idx[start, stop) stably, left rows first.
      const feature = node.feature;
      const cols = this.cols;
      const bin = node.bin;
      const ml = node.missingLeft;
      let l = node.start;
      let r = 0;
      const scratch = this.scratch;
      const bins = this.rowBins;
      const missingBin = this.mapper.nBinsNonMissing[node.feature];
      const mlBit = ml ? 1 : 0;
      // Branch-free: every row is written to both sides, only one cursor moves.
      for (let i = node.start; i < node.stop; i++) {
        const row = idx[i];
        const b = bins[row * cols + feature];
        const goLeft = (b <= bin ? 1 : 0) | ((b === missingBin ? 1 : 0) & mlBit);
        idx[l] = row;
        scratch[r] = row;
        l += goLeft;
        r += 1 - goLeft;
      }
      idx.set(scratch.subarray(0, r), l);
      const nb = this.mapper.nBinsNonMissing[node.feature];
      const thr = bin >= nb - 1 ? Infinity : this.mapper.thresholds[node.feature][bin];
      // Without missing values in training, unseen NaN follows the larger child, like sklearn.
      const missingLeft = this.mapper.hasMissing[node.feature] === 1 ? ml : node.nl >= node.stop - node.start - node.nl;
      const leftId = builder.split(node.id, node.feature, thr, missingLeft, node.hl, node.h - node.hl);
      const left = newNode(leftId, node.start, l, node.depth + 1, node.gl, node.hl);
      const right = newNode(leftId + 1, l, node.stop, node.depth + 1, node.g - node.gl, node.h - node.hl);
      const [small, large] = l - node.start <= node.stop - l ? [left, right] : [right, left];
      small.hist = this.takeHist();
      this.buildHist(small.hist, small.start, small.stop, g, h);
      // Sibling = parent − small, in the parent's buffer.
      large.hist = node.hist;
      node.hist = -1;
      const ph = this.pool[large.hist];
      const sh = this.pool[small.hist];
      for (let i = 0; i < ph.length; i++) ph[i] -= sh[i];
      nLeaves++;
      consider(left);
      consider(right);
    }
    for (const node of open) {
      this.release(node);
      leaves.push(node);
    }
    this.leafStart.length = 0;
    this.leafStop.length = 0;
    this.leafValue.length = 0;
    for (const leaf of leaves) {
      const v = (-leaf.g / (leaf.h + params.l2)) * params.learningRate;
      builder.value[leaf.id] = v;
      this.leafStart.push(leaf.start);
      this.leafStop.push(leaf.stop);
      this.leafValue.push(v);
    }
    return builder.finish();
  }

  /** raw[row*stride + offset] += leaf value, for every training row (no tree traversal). */
  addLeafValues(raw: Float64Array, stride: number, offset: number): void {
    const idx = this.idx;
    for (let k = 0; k < this.leafStart.length; k++) {
      const v = this.leafValue[k];
      for (let i = this.leafStart[k]; i < this.leafStop[k]; i++) raw[idx[i] * stride + offset] += v;
    }
  }
}

function newNode(id: number, start: number, stop: number, depth: number, g: number, h: number): GrowNode {
  return { id, start, stop, depth, g, h, hist: -1, gain: -1, feature: -1, bin: 0, missingLeft: false, gl: 0, hl: 0, nl: 0 };
}

