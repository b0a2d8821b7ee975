import type { BinMapper } from './binning.ts';
import type { HistGrowerParams } from './hist-grower.ts';
import { FEATURE_BYTES, PAGE_BYTES, kernelMemory, sharedKernelMemory, type KernelMemory } from './tree-kernels.ts';
import { SPLIT_IO, STRIDE, type GrowNode } from './hist-split.ts';

/** Smallest training problem (rows × features) for which a fit starts the helper thread at all. */
const MIN_HELPER_WORK = 1 << 20;
/** Most leaves whose values the two threads add to the raw scores (a tree with more: one thread). */
const MAX_SHARED_LEAVES = 4096;

const HIST_BYTES_PER_FEATURE = STRIDE * 8;
if (HIST_BYTES_PER_FEATURE !== FEATURE_BYTES) throw new Error('histogram layout mismatch');

const align16 = (n: number) => (n + 15) & ~15;

/**
 * The histogram grower's memory: every per-row buffer and every histogram in one WebAssembly
 * memory, so the kernels (tree-kernels.ts) and a helper thread (on a shared memory) can read
 * them, and the pool the histograms are taken from and given back to. The typed arrays below are
 * views on it, made again when the memory grows (more histograms); byte offsets (`…At`) are what
 * the kernels receive. Allocated once per grower, reused for every tree. hist-passes.ts runs the
 * passes over it; hist-grower.ts grows the trees.
 */
export class HistMemory {
  readonly memory: KernelMemory;
  /** True when the memory is shared (the side arrays live in it). */
  readonly shared: boolean;
  /** True when a helper thread should run on it (params.threads 2, a problem large enough). */
  readonly twoThreads: boolean;
  readonly ghAt: number;
  readonly idxAt: number;
  readonly scratchAt: number;
  readonly rowBinsAt: number;
  readonly colBinsAt: number;
  private readonly sideAt: number;
  /** mapper.nBinsNonMissing (i32) and hasMissing (u8), two SPLIT_IO in/outs, the (G, H) sums, the leaves (3 f64 each). */
  readonly nbAt: number;
  readonly hmAt: number;
  readonly ioAt: number;
  readonly sumAt: number;
  readonly leafAt: number;
  readonly leafCap: number;
  private readonly sides: Float64Array[] = [];
  private readonly poolAt: number;
  private readonly histBytes: number;
  private poolCap: number;
  private viewsOf: ArrayBuffer | null = null;
  /** Row numbers; each node owns a contiguous range. */
  idx!: Int32Array;
  scratch!: Int32Array;
  /**
   * Gradient and hessian of row r at [2r], [2r + 1], as float32 (scikit-learn's G_H_DTYPE, as
   * LightGBM keeps them): the histograms sum them as doubles. Stored any wider, near-tied splits
   * go the other way from scikit-learn's and its trees drift from ours.
   */
  gh!: Float32Array;
  /** Row-major bins (rows × cols), read by the histogram loops. */
  rowBins!: Uint8Array;
  /** Column-major bins as given, read by the partition (one feature's bins are contiguous). */
  colBins!: Uint8Array;
  /** The mapper's per-feature arrays, copied where the helper thread reads them too. */
  nb!: Int32Array;
  hm!: Uint8Array;
  /** Two bestSplit in/outs: slot 0 (offset 0) this thread's, slot 1 (SPLIT_IO) the helper's. */
  io!: Float64Array;
  /** The gradient and hessian sums over all rows (the sumPairs kernel's output). */
  sum!: Float64Array;
  /** The last tree's leaves as (start, stop, value) triples, for the addLeaves kernel. */
  leafTriples!: Float64Array;
  /** Histogram i of the pool (cols × STRIDE doubles). */
  readonly pool: Float64Array[] = [];
  private nPool = 0;
  /**
   * The root's histogram before any gradient: row counts per bin (slot +2). Every tree's root
   * holds all rows, so its counts never change and are counted once.
   */
  readonly rootCounts: Float64Array;
  private readonly free: number[] = [];
  /** 0, 1, …, rows − 1: every tree starts from the rows in order (copied, not counted, per tree). */
  private readonly iota: Int32Array;

  /**
   * Bytes at the start of the memory that hold nothing until load() (the gradients, row numbers
   * and bins): binning's slot (EdgeSharing) may use them before.
   */
  readonly loadBytes: number;

  /** The memory for a problem of rows × cols; load() puts the bins in it. */
  constructor(
    readonly rows: number,
    readonly cols: number,
    params: HistGrowerParams,
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
    this.sumAt = this.ioAt + 2 * SPLIT_IO * 8;
    this.leafAt = this.sumAt + 16;
    this.leafCap = Math.min(params.maxLeafNodes, MAX_SHARED_LEAVES);
    this.poolAt = this.leafAt + align16(this.leafCap * 24);
    this.poolCap = Math.min(params.maxLeafNodes + 1, 16);
    const pages = Math.ceil((this.poolAt + this.poolCap * this.histBytes) / PAGE_BYTES);
    const twoThreads = params.threads === 2 && params.kernels !== 'js' && cols >= 2 && rows * cols >= MIN_HELPER_WORK;
    // Shared also on one thread when there are side arrays: views on a shared memory survive its
    // growth, so the side arrays can live in it, where the log-loss kernel reads them.
    const shared = params.kernels !== 'js' && (twoThreads || nSide > 0) ? sharedKernelMemory(pages) : null;
    this.shared = shared !== null;
    this.twoThreads = twoThreads && this.shared;
    this.memory = shared ?? kernelMemory(pages);
    // Views on a shared memory stay valid when it grows; on any other memory they would not.
    for (let k = 0; k < nSide; k++) this.sides.push(shared ? new Float64Array(this.memory.buffer, this.sideAt + k * align16(rows * 8), rows) : new Float64Array(rows));
    this.views();
    this.loadBytes = this.sideAt;
    this.rootCounts = new Float64Array(cols * STRIDE);
    this.iota = new Int32Array(rows);
    for (let i = 0; i < rows; i++) this.iota[i] = i;
  }

  /** Copies the column-major bins from binMatrix(X, mapper, true) (not kept) and the mapper's counts in. */
  load(bins: Uint8Array, mapper: BinMapper): void {
    this.colBins.set(bins.subarray(0, this.rows * this.cols));
    this.nb.set(mapper.nBinsNonMissing);
    this.hm.set(mapper.hasMissing);
    this.transpose(bins);
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
    this.sum = new Float64Array(buf, this.sumAt, 2);
    this.leafTriples = new Float64Array(buf, this.leafAt, 3 * this.leafCap);
    for (let i = 0; i < this.nPool; i++) this.pool[i] = this.histView(i);
  }

  private histView(i: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.histAt(i), this.cols * STRIDE);
  }

  /** Byte offset of histogram `hi` in the memory. */
  histAt(hi: number): number {
    return this.poolAt + hi * this.histBytes;
  }

  /**
   * A histogram's index, its contents undefined (buildHist zeroes it, the root's is overwritten).
   * May grow the memory, which remakes every view.
   */
  takeHist(): number {
    const h = this.free.pop();
    if (h !== undefined) return h;
    if (this.nPool === this.poolCap) {
      const cap = this.poolCap * 2;
      const need = this.histAt(cap) - this.memory.buffer.byteLength;
      if (need > 0) this.memory.grow(Math.ceil(need / PAGE_BYTES));
      this.poolCap = cap;
      this.views();
    }
    this.pool[this.nPool] = this.histView(this.nPool);
    return this.nPool++;
  }

  /** Gives the node's histogram, if any, back to the pool. */
  release(node: GrowNode): void {
    if (node.hist >= 0) this.free.push(node.hist);
    node.hist = -1;
  }

  /** Gives histogram `hi` back to the pool. */
  freeHist(hi: number): void {
    this.free.push(hi);
  }

  /** Puts every row back in the root and frees every histogram. */
  reset(): void {
    this.idx.set(this.iota);
    this.free.length = 0;
    for (let i = 0; i < this.nPool; i++) this.free.push(i);
  }

  /**
   * Per-row array k (0 ≤ k < params.sideArrays), zeroed at first: where the caller keeps what
   * growLogLoss reads (raw scores, targets, weights), so that the helper thread can read it too.
   */
  side(k: number): Float64Array {
    return this.sides[k];
  }

  /** Byte offset of side array `a` in the shared memory; -1 when it lies outside (not shared, not a side array). */
  sideOffset(a: Float64Array): number {
    return this.shared && this.sides.includes(a) ? a.byteOffset : -1;
  }
}
