import type { FlatTree } from '../types.ts';
import { FlatTreeBuilder } from './flat-tree.ts';
import type { BinMapper } from './binning.ts';
import { FEATURE_BYTES, PAGE_BYTES, kernelMemory, loadTreeKernels, sharedKernelMemory, sharedKernelModule, type KernelMemory, type TreeKernels } from './tree-kernels.ts';
import { histAllJs, histRowsJs, partitionJs } from './hist-loops-js.ts';
import { HistHelper, OP_HIST_ALL, OP_HIST_ROWS, OP_LEAVES, OP_LOG_LOSS, OP_PARTITION, OP_SPLIT, addLeafRows, logLossRows } from './hist-helper.ts';
import { GrowNode, SPLIT_IO, STRIDE, bestSplit, findSplit, nodeValue, splitInputs, splitOutputs, subtractHistogram } from './hist-split.ts';

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
  /** 'js' forces the JavaScript loops (tests compare them with the WebAssembly kernels). */
  kernels?: 'auto' | 'js';
  /**
   * Threads that build histograms: 2 starts a helper thread (features split in two halves) where
   * the problem is large enough and shared WebAssembly memory and worker threads are available;
   * the trees are bit-identical to 1 thread. Default 1. The caller must `close()` the grower.
   */
  threads?: 1 | 2;
  /** Per-row f64 arrays the caller gets from side(k) (in the shared memory where a helper thread runs). */
  sideArrays?: number;
}

/** Smallest rows × features of a histogram worth splitting across two threads (below it, the wake-up costs more). */
const MIN_SPLIT_WORK = 32_768;
/** Fewest rows whose log-loss gradients are worth splitting across two threads. */
const MIN_SPLIT_ROWS = 16_384;
/** Smallest training problem (rows × features) for which a fit starts the helper thread at all. */
const MIN_HELPER_WORK = 1 << 20;

/** Most leaves whose values the two threads add to the raw scores (a tree with more: one thread). */
const MAX_SHARED_LEAVES = 4096;

const HIST_BYTES_PER_FEATURE = STRIDE * 8;
if (HIST_BYTES_PER_FEATURE !== FEATURE_BYTES) throw new Error('histogram layout mismatch');

const align16 = (n: number) => (n + 15) & ~15;

export class HistGrower {
  /**
   * Every per-row buffer and every histogram lives in one WebAssembly memory, so the kernels
   * (tree-kernels.ts) can read them; the typed arrays below are views on it, made again when
   * the memory grows (more histograms), and byte offsets are what the kernels receive.
   */
  private readonly memory: KernelMemory;
  private readonly kernels: TreeKernels | null;
  /** The second histogram thread, or null (one thread). */
  private helper: HistHelper | null = null;
  private readonly ghAt: number;
  private readonly idxAt: number;
  private readonly scratchAt: number;
  private readonly rowBinsAt: number;
  private readonly colBinsAt: number;
  private readonly sideAt: number;
  /** mapper.nBinsNonMissing (i32) and hasMissing (u8), two SPLIT_IO in/outs, the leaves (3 f64 each). */
  private readonly nbAt: number;
  private readonly hmAt: number;
  private readonly ioAt: number;
  private readonly leafAt: number;
  private readonly leafCap: number;
  private readonly sides: Float64Array[] = [];
  private readonly poolAt: number;
  private readonly histBytes: number;
  private poolCap: number;
  private viewsOf: ArrayBuffer | null = null;
  /** Row numbers; each node owns a contiguous range. */
  idx!: Int32Array;
  private scratch!: Int32Array;
  /**
   * Gradient and hessian of row r at [2r], [2r + 1], as float32 (scikit-learn's G_H_DTYPE, as
   * LightGBM keeps them): the histograms sum them as doubles. Stored any wider, near-tied splits
   * go the other way from scikit-learn's and its trees drift from ours.
   */
  private gh!: Float32Array;
  /** Row-major bins (rows × cols), read by the histogram loops. */
  private rowBins!: Uint8Array;
  /** Column-major bins as given, read by the partition (one feature's bins are contiguous). */
  private colBins!: Uint8Array;
  /** The mapper's per-feature arrays, copied where the helper thread reads them too. */
  private nb!: Int32Array;
  private hm!: Uint8Array;
  /** Two bestSplit in/outs: slot 0 (offset 0) this thread's, slot 1 (SPLIT_IO) the helper's. */
  private io!: Float64Array;
  /** The last tree's leaves as (start, stop, value) triples, for addLeafRows. */
  private leafTriples!: Float64Array;
  private pool: Float64Array[] = [];
  private nPool = 0;
  /**
   * The root's histogram before any gradient: row counts per bin (slot +2). Every tree's root
   * holds all rows, so its counts never change and are counted once.
   */
  private readonly rootCounts: Float64Array;
  private readonly free: number[] = [];
  /** 0, 1, …, rows − 1: every tree starts from the rows in order (copied, not counted, per tree). */
  private readonly iota: Int32Array;
  private readonly open: GrowNode[] = [];
  private readonly leaves: GrowNode[] = [];
  /** Leaves of the last tree: [start, stop) ranges of `idx` and their (shrunk) values. */
  leafStart: number[] = [];
  leafStop: number[] = [];
  leafValue: number[] = [];

  constructor(
    /** Column-major bins from binMatrix(X, mapper, true); copied, not kept. */
    bins: Uint8Array,
    readonly rows: number,
    readonly cols: number,
    readonly mapper: BinMapper,
    readonly params: HistGrowerParams,
  ) {
    this.histBytes = cols * HIST_BYTES_PER_FEATURE;
    this.ghAt = 0;
    this.idxAt = align16(rows * 8);
    this.scratchAt = this.idxAt + align16(rows * 4);
    this.rowBinsAt = this.scratchAt + align16(rows * 4);
    this.colBinsAt = this.rowBinsAt + align16(rows * cols);
    this.sideAt = this.colBinsAt + align16(rows * cols);
    const nSide = params.sideArrays ?? 0;
    this.nbAt = this.sideAt + nSide * align16(rows * 8);
    this.hmAt = this.nbAt + align16(cols * 4);
    this.ioAt = this.hmAt + align16(cols);
    this.leafAt = this.ioAt + 2 * SPLIT_IO * 8;
    this.leafCap = Math.min(params.maxLeafNodes, MAX_SHARED_LEAVES);
    this.poolAt = this.leafAt + align16(this.leafCap * 24);
    this.poolCap = Math.min(params.maxLeafNodes + 1, 16);
    const pages = Math.ceil((this.poolAt + this.poolCap * this.histBytes) / PAGE_BYTES);
    const twoThreads = params.threads === 2 && params.kernels !== 'js' && cols >= 2 && rows * cols >= MIN_HELPER_WORK;
    const shared = twoThreads ? sharedKernelMemory(pages) : null;
    this.memory = shared ?? kernelMemory(pages);
    this.kernels = params.kernels === 'js' ? null : loadTreeKernels(this.memory);
    // Views on a shared memory stay valid when it grows; on any other memory they would not.
    for (let k = 0; k < nSide; k++) this.sides.push(shared ? new Float64Array(this.memory.buffer, this.sideAt + k * align16(rows * 8), rows) : new Float64Array(rows));
    this.views();
    this.colBins.set(bins.subarray(0, rows * cols));
    this.nb.set(mapper.nBinsNonMissing);
    this.hm.set(mapper.hasMissing);
    this.rootCounts = new Float64Array(cols * STRIDE);
    this.iota = new Int32Array(rows);
    for (let i = 0; i < rows; i++) this.iota[i] = i;
    this.transpose(bins);
    // Last: nothing after it can throw and leave the thread running.
    if (shared && this.kernels) this.helper = HistHelper.start(sharedKernelModule()!, shared);
  }

  /** Row-major copy of the bins, and the root's counts. */
  private transpose(bins: Uint8Array): void {
    const { rows, cols, rowBins, rootCounts } = this;
    for (let f = 0; f < cols; f++) {
      const col = f * rows;
      const ho = f * STRIDE + 2;
      for (let i = 0; i < rows; i++) {
        const b = bins[col + i];
        rowBins[i * cols + f] = b;
        rootCounts[ho + 3 * b] += 1;
      }
    }
  }

  /** (Re)makes the typed-array views when the memory's buffer changed (it grew). */
  private views(): void {
    const buf = this.memory.buffer;
    if (buf === this.viewsOf) return;
    this.viewsOf = buf;
    const { rows, cols } = this;
    this.gh = new Float32Array(buf, this.ghAt, rows * 2);
    this.idx = new Int32Array(buf, this.idxAt, rows);
    this.scratch = new Int32Array(buf, this.scratchAt, rows);
    this.rowBins = new Uint8Array(buf, this.rowBinsAt, rows * cols);
    this.colBins = new Uint8Array(buf, this.colBinsAt, rows * cols);
    this.nb = new Int32Array(buf, this.nbAt, cols);
    this.hm = new Uint8Array(buf, this.hmAt, cols);
    this.io = new Float64Array(buf, this.ioAt, 2 * SPLIT_IO);
    this.leafTriples = new Float64Array(buf, this.leafAt, 3 * this.leafCap);
    for (let i = 0; i < this.nPool; i++) this.pool[i] = this.histView(i);
  }

  private histView(i: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.poolAt + i * this.histBytes, this.cols * STRIDE);
  }

  /**
   * A histogram's index, its contents undefined (buildHist zeroes it, the root's is overwritten).
   * May grow the memory, which remakes every view.
   */
  private takeHist(): number {
    const h = this.free.pop();
    if (h !== undefined) return h;
    if (this.nPool === this.poolCap) {
      const cap = this.poolCap * 2;
      const need = this.poolAt + cap * this.histBytes - this.memory.buffer.byteLength;
      if (need > 0) this.memory.grow(Math.ceil(need / PAGE_BYTES));
      this.poolCap = cap;
      this.views();
    }
    this.pool[this.nPool] = this.histView(this.nPool);
    return this.nPool++;
  }

  private release(node: GrowNode): void {
    if (node.hist >= 0) this.free.push(node.hist);
    node.hist = -1;
  }

  /** The root's histogram: every row in order, starting from the precomputed counts. */
  private buildRootHist(hi: number): void {
    const hist = this.pool[hi];
    hist.set(this.rootCounts);
    if (this.kernels) {
      const { rows, cols } = this;
      const at = this.poolAt + hi * this.histBytes;
      const half = this.helperSplit(rows);
      const k = this.kernels;
      const a = [at + half * FEATURE_BYTES, this.rowBinsAt + half, this.ghAt, rows, cols - half, cols];
      if (half > 0 && this.helper!.post(OP_HIST_ALL, a, () => (k.histAll(a[0], a[1], a[2], a[3], a[4], a[5]), 0))) {
        try {
          k.histAll(at, this.rowBinsAt, this.ghAt, rows, half, cols);
        } finally {
          this.helper!.wait();
        }
        return;
      }
      this.kernels.histAll(at, this.rowBinsAt, this.ghAt, rows, cols, cols);
      return;
    }
    histAllJs(hist, this.rowBins, this.gh, this.rows, this.cols);
  }

  /**
   * Fills histogram `hi` (any contents: it is zeroed first) from the rows idx[start, stop), row by row over the row-major bins:
   * each row's gradient and hessian are read once, and its bins are adjacent in memory.
   */
  private buildHist(hi: number, start: number, stop: number): void {
    if (this.kernels) {
      const cols = this.cols;
      const at = this.poolAt + hi * this.histBytes;
      const half = this.helperSplit(stop - start);
      const k = this.kernels;
      const a = [at + half * FEATURE_BYTES, this.rowBinsAt + half, this.idxAt, this.ghAt, start, stop, cols - half, cols];
      if (half > 0 && this.helper!.post(OP_HIST_ROWS, a, () => (k.histRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), 0))) {
        try {
          k.histRows(at, this.rowBinsAt, this.idxAt, this.ghAt, start, stop, half, cols);
        } finally {
          this.helper!.wait();
        }
        return;
      }
      this.kernels.histRows(at, this.rowBinsAt, this.idxAt, this.ghAt, start, stop, cols, cols);
      return;
    }
    histRowsJs(this.pool[hi], this.rowBins, this.idx, this.gh, start, stop, this.cols);
  }

  /**
   * Features [0, k) for this thread and [k, cols) for the helper (it starts later: the smaller
   * half), or 0 when a histogram of `n` rows is built on this thread alone.
   */
  private helperSplit(n: number): number {
    if (!this.helper || n * this.cols < MIN_SPLIT_WORK) return 0;
    return this.cols - (this.cols >> 1);
  }

  /** Ends the helper thread, if any (idempotent); the grower still grows trees on one thread after it. */
  close(): void {
    this.helper?.close();
    this.helper = null;
  }

  /**
   * Per-row array k (0 ≤ k < params.sideArrays), zeroed at first: where the caller keeps what
   * growLogLoss reads (raw scores, targets, weights), so that the helper thread can read it too.
   */
  side(k: number): Float64Array {
    return this.sides[k];
  }

  /** Byte offset of side(k) in the kernel memory; -1 when it lies outside (no helper). */
  private sideOffset(a: Float64Array): number {
    return this.helper && this.sides.includes(a) ? a.byteOffset : -1;
  }

  /**
   * Log-loss gradients and hessians (logLossRows) straight into the interleaved buffer; the helper thread does the second half of the rows
   * when raw, y and w are side arrays. Returns the sums over all rows, in row order.
   */
  private loadLogLoss(raw: Float64Array, y: Float64Array, w: Float64Array): [number, number] {
    const n = this.rows;
    let from = n;
    const [rawAt, yAt, wAt] = [raw, y, w].map((a) => this.sideOffset(a));
    if (n >= MIN_SPLIT_ROWS && rawAt >= 0 && yAt >= 0 && wAt >= 0) {
      const half = n >> 1;
      if (this.helper!.post(OP_LOG_LOSS, [rawAt, yAt, wAt, this.ghAt, half, n], () => (logLossRows(raw, y, w, this.gh, half, n), 0))) from = half;
    }
    try {
      logLossRows(raw, y, w, this.gh, 0, from);
    } finally {
      if (from < n) this.helper!.wait();
    }
    return this.sums();
  }

  /** False when the node cannot split whatever its histogram (it becomes a leaf without one). */
  private splittable(node: GrowNode): boolean {
    const { params } = this;
    // sklearn checks the hessian at the root only; below it no split could pass bestSplit's check.
    return !(node.depth >= params.maxDepth || node.stop - node.start < 2 * params.minSamplesLeaf || node.h < params.minHessianToSplit);
  }

  /** Queues the node (its split found) in `open`, or makes it a leaf when the split gains nothing. */
  private queue(node: GrowNode): void {
    if (node.feature < 0 || node.gain <= 0) this.toLeaf(node);
    else this.open.push(node);
  }

  private toLeaf(node: GrowNode): void {
    this.release(node);
    this.leaves.push(node);
  }

  /** The node's best split found on this thread (io slot 0). */
  private findSplit(node: GrowNode): void {
    findSplit(node, this.pool[node.hist], this.cols, this.nb, this.hm, this.params, this.io, 0);
  }

  /**
   * The children's histograms and best splits: the smaller child's histogram from its rows, the
   * larger's as parent − smaller (in the parent's buffer). With a helper thread, it subtracts and
   * scans the larger child while this thread scans the smaller. A child that cannot split gets
   * no histogram and no scan; neither changes any split found.
   */
  private splitChildren(parentHist: number, small: GrowNode, large: GrowNode): void {
    const smallSplits = this.splittable(small);
    const largeSplits = this.splittable(large);
    if (smallSplits || largeSplits) {
      small.hist = this.takeHist();
      this.buildHist(small.hist, small.start, small.stop);
    }
    if (largeSplits) large.hist = parentHist;
    else this.free.push(parentHist);
    if (smallSplits && largeSplits && this.helper) {
      const io = this.io;
      splitInputs(large, this.params, io, SPLIT_IO);
      const at = (h: number) => this.poolAt + h * this.histBytes;
      const a = [at(large.hist), at(small.hist), this.nbAt, this.hmAt, this.cols, this.ioAt + SPLIT_IO * 8];
      const runHere = () => {
        const hist = this.pool[large.hist];
        subtractHistogram(hist, this.pool[small.hist], this.nb, this.cols);
        bestSplit(hist, this.nb, this.hm, this.cols, io, SPLIT_IO);
        return 0;
      };
      if (this.helper.post(OP_SPLIT, a, runHere)) {
        try {
          this.findSplit(small);
        } finally {
          this.helper.wait();
        }
        splitOutputs(large, io, SPLIT_IO);
        return;
      }
    }
    if (largeSplits) {
      subtractHistogram(this.pool[large.hist], this.pool[small.hist], this.nb, this.cols);
      this.findSplit(large);
    }
    if (smallSplits) this.findSplit(small);
  }

  /**
   * Partitions idx[start, stop) stably by the node's split, left rows first; returns the first
   * right position.
   */
  private partition(node: GrowNode): number {
    const { idx, scratch } = this;
    const bin = node.bin;
    const missingBin = this.mapper.nBinsNonMissing[node.feature];
    const mlBit = node.missingLeft ? 1 : 0;
    const col = node.feature * this.rows;
    let l: number;
    const { start, stop } = node;
    const mid = start + ((stop - start) >> 1);
    const k = this.kernels;
    const a = [this.idxAt, this.scratchAt + (mid - start) * 4, this.colBinsAt + col, mid, stop, bin, missingBin, mlBit];
    if (k && this.helper && stop - start >= MIN_SPLIT_ROWS && this.helper.post(OP_PARTITION, a, () => k.partition(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]))) {
      // Halves on two threads: [start, mid) here, [mid, stop) on the helper, each left rows in
      // place and right rows to its own part of scratch; then left2 moves down behind left1, and
      // right1, right2 follow: the same order as one pass over [start, stop).
      let l1: number;
      try {
        l1 = k.partition(this.idxAt, this.scratchAt, this.colBinsAt + col, start, mid, bin, missingBin, mlBit);
      } finally {
        l = this.helper.wait();
      }
      const nl2 = l - mid;
      idx.copyWithin(l1, mid, l);
      const r1 = mid - l1;
      l = l1 + nl2;
      idx.set(scratch.subarray(0, r1), l);
      idx.set(scratch.subarray(mid - start, mid - start + (stop - mid - nl2)), l + r1);
      return l;
    }
    if (this.kernels) l = this.kernels.partition(this.idxAt, this.scratchAt, this.colBinsAt + col, start, stop, bin, missingBin, mlBit);
    else l = partitionJs(idx, scratch, this.colBins, col, start, stop, bin, missingBin, mlBit);
    idx.set(scratch.subarray(0, node.stop - l), l);
    return l;
  }

  /** Puts every row back in the root and frees every histogram. */
  private reset(): void {
    this.idx.set(this.iota);
    this.free.length = 0;
    for (let i = 0; i < this.nPool; i++) this.free.push(i);
    this.open.length = 0;
    this.leaves.length = 0;
  }

  /**
   * Copies g and h into the interleaved float32 buffer (rounded to nearest, as a C cast);
   * returns the sums of the stored values over all rows, as doubles in row order.
   */
  private loadGradients(g: Float32Array | Float64Array, h: Float32Array | Float64Array): [number, number] {
    const gh = this.gh;
    for (let i = 0; i < this.rows; i++) {
      gh[2 * i] = g[i];
      gh[2 * i + 1] = h[i];
    }
    return this.sums();
  }

  /** Sums of the stored gradients and hessians, as doubles in row order (sklearn's sum_parallel on one thread). */
  private sums(): [number, number] {
    const gh = this.gh;
    let G = 0;
    let H = 0;
    for (let i = 0, n = this.rows; i < n; i++) {
      G += gh[2 * i];
      H += gh[2 * i + 1];
    }
    return [G, H];
  }

  /**
   * Grows one tree on all rows with gradients g and hessians h (kept as float32). Leaf values
   * are −G/(H+λ+1e-15)·learning_rate, as sklearn's compute_node_value (0 for a root that cannot
   * split, as sklearn's); cover is the hessian sum.
   */
  grow(g: Float32Array | Float64Array, h: Float32Array | Float64Array): FlatTree {
    this.reset();
    return this.growLoaded(...this.loadGradients(g, h));
  }

  /**
   * grow() with the log-loss gradients of raw scores `raw` (one per row), targets y and weights
   * w: the same tree as grow(g, h) with g, h from hist-gradient-boosting.ts's gradients().
   */
  growLogLoss(raw: Float64Array, y: Float64Array, w: Float64Array): FlatTree {
    this.reset();
    return this.growLoaded(...this.loadLogLoss(raw, y, w));
  }

  /** The tree on the gradients in `gh`, whose sums are G and H. */
  private growLoaded(G: number, H: number): FlatTree {
    const { params, rows, open, leaves } = this;
    const builder = new FlatTreeBuilder(1, 2 * params.maxLeafNodes);
    // sklearn gives the root the value 0 (its gain then omits the parent's term: same argmax).
    const root = new GrowNode(builder.addNode(H), 0, rows, 0, G, H, 0);
    if (this.splittable(root)) {
      root.hist = this.takeHist();
      this.buildRootHist(root.hist);
      this.findSplit(root);
      this.queue(root);
    } else this.toLeaf(root);
    let nLeaves = 1;
    while (open.length > 0 && nLeaves < params.maxLeafNodes) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i].gain > open[best].gain) best = i;
      const node = open[best];
      open.splice(best, 1);
      const l = this.partition(node);
      const { feature, bin } = node;
      const nb = this.mapper.nBinsNonMissing[feature];
      const thr = bin >= nb - 1 ? Infinity : this.mapper.thresholds[feature][bin];
      // Without missing values in training, unseen NaN follows the larger child, like sklearn.
      const missingLeft = this.mapper.hasMissing[feature] === 1 ? node.missingLeft : node.nl > node.stop - node.start - node.nl;
      const leftId = builder.split(node.id, feature, thr, missingLeft, node.hl, node.h - node.hl);
      const gr = node.g - node.gl;
      const hr = node.h - node.hl;
      const left = new GrowNode(leftId, node.start, l, node.depth + 1, node.gl, node.hl, nodeValue(node.gl, node.hl, params.l2));
      const right = new GrowNode(leftId + 1, l, node.stop, node.depth + 1, gr, hr, nodeValue(gr, hr, params.l2));
      // The histogram built from rows is the strictly smaller child's, else the right one's (as sklearn).
      const leftSmaller = l - node.start < node.stop - l;
      const parentHist = node.hist;
      node.hist = -1;
      this.splitChildren(parentHist, leftSmaller ? left : right, leftSmaller ? right : left);
      nLeaves++;
      // Left first: of equal gains in `open`, the first queued wins.
      for (const child of [left, right]) {
        if (this.splittable(child)) this.queue(child);
        else this.toLeaf(child);
      }
    }
    for (const node of open) {
      this.release(node);
      leaves.push(node);
    }
    this.leafStart.length = 0;
    this.leafStop.length = 0;
    this.leafValue.length = 0;
    for (const leaf of leaves) {
      // A root that cannot split keeps value 0 (sklearn's): the tree adds nothing.
      const v = leaf.value * params.learningRate;
      builder.value[leaf.id] = v;
      this.leafStart.push(leaf.start);
      this.leafStop.push(leaf.stop);
      this.leafValue.push(v);
    }
    return builder.finish();
  }

  /**
   * raw[row*stride + offset] += leaf value, for every training row (no tree traversal). Every row
   * gets one addition, so where raw is a side array the helper thread adds the second half of the
   * positions (other rows) with the same result.
   */
  addLeafValues(raw: Float64Array, stride: number, offset: number): void {
    const nLeaves = this.leafStart.length;
    const n = this.rows;
    const rawAt = stride === 1 && offset === 0 ? this.sideOffset(raw) : -1;
    if (rawAt >= 0 && nLeaves <= this.leafCap && n >= MIN_SPLIT_ROWS) {
      const leaf = this.leafTriples;
      for (let k = 0; k < nLeaves; k++) {
        leaf[3 * k] = this.leafStart[k];
        leaf[3 * k + 1] = this.leafStop[k];
        leaf[3 * k + 2] = this.leafValue[k];
      }
      const half = n >> 1;
      const a = [rawAt, this.idxAt, this.leafAt, nLeaves, half, n];
      if (this.helper!.post(OP_LEAVES, a, () => (addLeafRows(raw, this.idx, leaf, nLeaves, half, n), 0))) {
        try {
          addLeafRows(raw, this.idx, leaf, nLeaves, 0, half);
        } finally {
          this.helper!.wait();
        }
        return;
      }
    }
    const idx = this.idx;
    for (let k = 0; k < nLeaves; k++) {
      const v = this.leafValue[k];
      for (let i = this.leafStart[k]; i < this.leafStop[k]; i++) raw[idx[i] * stride + offset] += v;
    }
  }
}
