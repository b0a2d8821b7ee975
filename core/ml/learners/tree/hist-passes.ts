import { GATHER, PADDED, SLOT_HEADER, columnEdges, slotEdges, type EdgeSharing } from './binning.ts';
import { sortDoubles } from './sort-doubles.ts';
import type { HistGrowerParams } from './hist-grower.ts';
import type { HistMemory } from './hist-memory.ts';
import { FEATURE_BYTES, loadTreeKernels, sharedKernelModule, type TreeKernels } from './tree-kernels.ts';
import { histAllJs, histRowsJs, partitionJs } from './hist-loops-js.ts';
import { HistHelper, OP_EDGES, OP_HIST_ALL, OP_HIST_ROWS, OP_LEAVES, OP_LOG_LOSS, OP_PARTITION, OP_SPLIT, logLossKernelRows, logLossRows } from './hist-helper.ts';
import { SPLIT_IO, findSplit, splitInputs, splitOutputs, subtractHistogram, type GrowNode } from './hist-split.ts';

/** Smallest rows × features of a histogram worth splitting across two threads (below it, the wake-up costs more). */
const MIN_SPLIT_WORK = 32_768;
/** Fewest rows whose log-loss gradients are worth splitting across two threads. */
const MIN_SPLIT_ROWS = 16_384;

/**
 * The histogram grower's passes over its memory (hist-memory.ts): histograms, split scans,
 * partitions, gradients and leaf values, on the WebAssembly kernels or the JavaScript loops
 * (hist-loops-js.ts) and, where a helper thread runs on a shared memory, on two threads with
 * the same results as one. hist-grower.ts decides what to split; this decides who computes it.
 */
export class HistPasses {
  private readonly kernels: TreeKernels | null;
  /** The second histogram thread, or null (one thread). */
  private helper: HistHelper | null = null;

  constructor(
    private readonly m: HistMemory,
    private readonly params: HistGrowerParams,
  ) {
    this.kernels = params.kernels === 'js' ? null : loadTreeKernels(m.memory);
    // Last: nothing after it can throw and leave the thread running.
    if (m.twoThreads && this.kernels) this.helper = HistHelper.start(sharedKernelModule()!, m.memory);
  }

  /**
   * The helper's part in fitting the bin edges (binning.ts fitBinMapper), before the memory is
   * loaded: the slot overlays the memory's first bytes (gradients, rows, bins: loaded after), the
   * padded thresholds its histogram pool (takeHist comes after too). Undefined on one thread.
   */
  edgeSharing(): EdgeSharing | undefined {
    const helper = this.helper;
    if (!helper) return undefined;
    const { m } = this;
    const buf = m.memory.buffer;
    const paddedAt = m.histAt(0);
    const slotAt = 0;
    let a: number[] = [];
    const edgesHere = () => (slotEdges(buf, a[0], a[1], a[2], a[3], a[4], a[5], a[6], columnEdges, sortDoubles), 0);
    return {
      padded: new Float64Array(buf, paddedAt, m.cols * PADDED),
      nBins: m.nb,
      slot: (rows) =>
        SLOT_HEADER + GATHER * rows * 8 > m.loadBytes
          ? null
          : { header: new Int32Array(buf, slotAt, SLOT_HEADER / 4), columns: Array.from({ length: GATHER }, (_, q) => new Float64Array(buf, slotAt + SLOT_HEADER + q * rows * 8, rows)) },
      post: (j0, n, rows, maxBins) => {
        a = [slotAt, rows, j0, n, paddedAt, m.nbAt, maxBins];
        return helper.post(OP_EDGES, a, edgesHere);
      },
      wait: () => {
        // The columns the helper has not claimed yet, here, rather than wait for it.
        if (helper.takesBack) edgesHere();
        helper.wait();
      },
    };
  }

  /** Byte offset of a side array where the helper thread can read it; -1 without a helper. */
  private sideOffset(a: Float64Array): number {
    return this.helper ? this.m.sideOffset(a) : -1;
  }

  /** The root's histogram: every row in order, starting from the precomputed counts. */
  buildRootHist(hi: number): void {
    const hist = this.m.pool[hi];
    hist.set(this.m.rootCounts);
    if (this.kernels) {
      const { rows, cols } = this.m;
      const at = this.m.histAt(hi);
      const half = this.helperSplit(rows);
      const k = this.kernels;
      const a = [at + half * FEATURE_BYTES, this.m.rowBinsAt + half, this.m.ghAt, rows, cols - half, cols];
      if (half > 0 && this.helper!.post(OP_HIST_ALL, a, () => (k.histAll(a[0], a[1], a[2], a[3], a[4], a[5]), 0))) {
        try {
          k.histAll(at, this.m.rowBinsAt, this.m.ghAt, rows, half, cols);
        } finally {
          this.helper!.wait();
        }
        return;
      }
      this.kernels.histAll(at, this.m.rowBinsAt, this.m.ghAt, rows, cols, cols);
      return;
    }
    histAllJs(hist, this.m.rowBins, this.m.gh, this.m.rows, this.m.cols);
  }

  /**
   * Fills histogram `hi` (any contents: it is zeroed first) from the rows idx[start, stop), row by row over the row-major bins:
   * each row's gradient and hessian are read once, and its bins are adjacent in memory.
   */
  private buildHist(hi: number, start: number, stop: number): void {
    if (this.kernels) {
      const cols = this.m.cols;
      const at = this.m.histAt(hi);
      const half = this.helperSplit(stop - start);
      const k = this.kernels;
      const a = [at + half * FEATURE_BYTES, this.m.rowBinsAt + half, this.m.idxAt, this.m.ghAt, start, stop, cols - half, cols];
      if (half > 0 && this.helper!.post(OP_HIST_ROWS, a, () => (k.histRows(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]), 0))) {
        try {
          k.histRows(at, this.m.rowBinsAt, this.m.idxAt, this.m.ghAt, start, stop, half, cols);
        } finally {
          this.helper!.wait();
        }
        return;
      }
      this.kernels.histRows(at, this.m.rowBinsAt, this.m.idxAt, this.m.ghAt, start, stop, cols, cols);
      return;
    }
    histRowsJs(this.m.pool[hi], this.m.rowBins, this.m.idx, this.m.gh, start, stop, this.m.cols);
  }

  /**
   * Features [0, k) for this thread and [k, cols) for the helper (it starts later: the smaller
   * half), or 0 when a histogram of `n` rows is built on this thread alone.
   */
  private helperSplit(n: number): number {
    if (!this.helper || n * this.m.cols < MIN_SPLIT_WORK) return 0;
    return this.m.cols - (this.m.cols >> 1);
  }

  /** Ends the helper thread, if any (idempotent); the grower still grows trees on one thread after it. */
  close(): void {
    this.helper?.close();
    this.helper = null;
  }

  /**
   * Log-loss gradients and hessians (logLossRows) straight into the interleaved buffer, on the
   * log-loss kernel (the same float32 values) where raw, y and w are side arrays in the kernels'
   * memory; then the helper thread, if any, does the second half of the rows. Returns the sums
   * over all rows, in row order.
   */
  loadLogLoss(raw: Float64Array, y: Float64Array, w: Float64Array): [number, number] {
    const n = this.m.rows;
    let from = n;
    // Byte offsets of raw, y and w where they are side arrays in the kernels' memory, else -1.
    const [rawAt, yAt, wAt] = [raw, y, w].map((a) => (this.kernels ? this.m.sideOffset(a) : -1));
    const k = rawAt >= 0 && yAt >= 0 && wAt >= 0 ? this.kernels : null;
    const rows = (a: number, b: number) => {
      if (k) logLossKernelRows(k, raw, y, w, this.m.gh, [rawAt, yAt, wAt, this.m.ghAt], a, b);
      else logLossRows(raw, y, w, this.m.gh, a, b);
    };
    if (k && this.helper && n >= MIN_SPLIT_ROWS) {
      const half = n >> 1;
      if (this.helper.post(OP_LOG_LOSS, [rawAt, yAt, wAt, this.m.ghAt, half, n], () => (rows(half, n), 0))) from = half;
    }
    try {
      rows(0, from);
    } finally {
      if (from < n) this.helper!.wait();
    }
    return this.sums();
  }

  /** The node's best split found on this thread (io slot 0). */
  findSplit(node: GrowNode): void {
    if (this.kernels) {
      splitInputs(node, this.params, this.m.io, 0);
      this.kernels.bestSplit(this.m.histAt(node.hist), this.m.nbAt, this.m.hmAt, this.m.cols, this.m.ioAt);
      splitOutputs(node, this.m.io, 0);
    } else findSplit(node, this.m.pool[node.hist], this.m.cols, this.m.nb, this.m.hm, this.params, this.m.io, 0);
  }

  /**
   * The children's histograms and best splits: the smaller child's histogram from its rows, the
   * larger's as parent − smaller (in the parent's buffer). With a helper thread, it subtracts and
   * scans the larger child while this thread scans the smaller. A child that cannot split (the
   * grower says which) gets no histogram and no scan; neither changes any split found.
   */
  splitChildren(parentHist: number, small: GrowNode, large: GrowNode, smallSplits: boolean, largeSplits: boolean): void {
    if (smallSplits || largeSplits) {
      small.hist = this.m.takeHist();
      this.buildHist(small.hist, small.start, small.stop);
    }
    if (largeSplits) large.hist = parentHist;
    else this.m.freeHist(parentHist);
    if (smallSplits && largeSplits && this.helper) {
      const io = this.m.io;
      splitInputs(large, this.params, io, SPLIT_IO);
      const at = (h: number) => this.m.histAt(h);
      const a = [at(large.hist), at(small.hist), this.m.nbAt, this.m.hmAt, this.m.cols, this.m.ioAt + SPLIT_IO * 8];
      const k = this.kernels!;
      const runHere = () => (k.subtract(a[0], a[1], a[2], a[4]), k.bestSplit(a[0], a[2], a[3], a[4], a[5]), 0);
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
      this.subtract(large.hist, small.hist);
      this.findSplit(large);
    }
    if (smallSplits) this.findSplit(small);
  }

  /** Histogram a −= histogram b: the kernel (SIMD) or the JavaScript loop, the same doubles. */
  private subtract(a: number, b: number): void {
    if (this.kernels) this.kernels.subtract(this.m.histAt(a), this.m.histAt(b), this.m.nbAt, this.m.cols);
    else subtractHistogram(this.m.pool[a], this.m.pool[b], this.m.nb, this.m.cols);
  }

  /**
   * Partitions idx[start, stop) stably by the node's split, left rows first; returns the first
   * right position.
   */
  partition(node: GrowNode): number {
    const { idx, scratch } = this.m;
    const bin = node.bin;
    const missingBin = this.m.nb[node.feature];
    const mlBit = node.missingLeft ? 1 : 0;
    const col = node.feature * this.m.rows;
    let l: number;
    const { start, stop } = node;
    const mid = start + ((stop - start) >> 1);
    const k = this.kernels;
    const a = [this.m.idxAt, this.m.scratchAt + (mid - start) * 4, this.m.colBinsAt + col, mid, stop, bin, missingBin, mlBit];
    if (k && this.helper && stop - start >= MIN_SPLIT_ROWS && this.helper.post(OP_PARTITION, a, () => k.partition(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]))) {
      // Halves on two threads: [start, mid) here, [mid, stop) on the helper, each left rows in
      // place and right rows to its own part of scratch; then left2 moves down behind left1, and
      // right1, right2 follow: the same order as one pass over [start, stop).
      let l1: number;
      try {
        l1 = k.partition(this.m.idxAt, this.m.scratchAt, this.m.colBinsAt + col, start, mid, bin, missingBin, mlBit);
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
    if (this.kernels) l = this.kernels.partition(this.m.idxAt, this.m.scratchAt, this.m.colBinsAt + col, start, stop, bin, missingBin, mlBit);
    else l = partitionJs(idx, scratch, this.m.colBins, col, start, stop, bin, missingBin, mlBit);
    idx.set(scratch.subarray(0, node.stop - l), l);
    return l;
  }

  /**
   * Copies g and h into the interleaved float32 buffer (rounded to nearest, as a C cast);
   * returns the sums of the stored values over all rows, as doubles in row order.
   */
  loadGradients(g: Float32Array | Float64Array, h: Float32Array | Float64Array): [number, number] {
    const gh = this.m.gh;
    for (let i = 0; i < this.m.rows; i++) {
      gh[2 * i] = g[i];
      gh[2 * i + 1] = h[i];
    }
    return this.sums();
  }

  /** Sums of the stored gradients and hessians, as doubles in row order (sklearn's sum_parallel on one thread). */
  private sums(): [number, number] {
    if (this.kernels) {
      this.kernels.sumPairs(this.m.ghAt, this.m.rows, this.m.sumAt);
      return [this.m.sum[0], this.m.sum[1]];
    }
    const gh = this.m.gh;
    let G = 0;
    let H = 0;
    for (let i = 0, n = this.m.rows; i < n; i++) {
      G += gh[2 * i];
      H += gh[2 * i + 1];
    }
    return [G, H];
  }

  /**
   * raw[row*stride + offset] += leaf value, for every training row (no tree traversal): leaf k
   * holds the rows idx[leafStart[k], leafStop[k]) of the last tree grown. Every row
   * gets one addition, so where raw is a side array the helper thread adds the second half of the
   * positions (other rows) with the same result.
   */
  addLeafValues(raw: Float64Array, stride: number, offset: number, leafStart: number[], leafStop: number[], leafValue: number[]): void {
    const nLeaves = leafStart.length;
    const n = this.m.rows;
    const k = this.kernels;
    const rawAt = k && stride === 1 && offset === 0 ? this.m.sideOffset(raw) : -1;
    if (k && rawAt >= 0 && nLeaves <= this.m.leafCap) {
      const leaf = this.m.leafTriples;
      for (let j = 0; j < nLeaves; j++) {
        leaf[3 * j] = leafStart[j];
        leaf[3 * j + 1] = leafStop[j];
        leaf[3 * j + 2] = leafValue[j];
      }
      const [idxAt, leafAt] = [this.m.idxAt, this.m.leafAt];
      const half = n >> 1;
      const a = [rawAt, idxAt, leafAt, nLeaves, half, n];
      if (this.helper && n >= MIN_SPLIT_ROWS && this.helper.post(OP_LEAVES, a, () => (k.addLeaves(rawAt, idxAt, leafAt, nLeaves, half, n), 0))) {
        try {
          k.addLeaves(rawAt, idxAt, leafAt, nLeaves, 0, half);
        } finally {
          this.helper.wait();
        }
      } else k.addLeaves(rawAt, idxAt, leafAt, nLeaves, 0, n);
      return;
    }
    const idx = this.m.idx;
    for (let j = 0; j < nLeaves; j++) {
      const v = leafValue[j];
      for (let i = leafStart[j]; i < leafStop[j]; i++) raw[idx[i] * stride + offset] += v;
    }
  }

}
