import type { FlatTree, Matrix } from '../types.ts';
import { FlatTreeBuilder } from './flat-tree.ts';
import { binMatrix, fitBinMapper, type BinMapper } from './binning.ts';
import { GrowNode, nodeValue } from './hist-split.ts';
import { HistMemory } from './hist-memory.ts';
import { HistPasses } from './hist-passes.ts';

/**
 * Leaf-wise (best-first) gradient tree growth on uint8 bins, as LightGBM / scikit-learn's
 * HistGradientBoosting: per node a (gradient, hessian, count) histogram per feature; only the
 * smaller child's histogram is built from its rows, the sibling's is parent − child. Feature f's
 * histogram has slots 0..nBinsNonMissing[f]-1 for values and slot nBinsNonMissing[f] for missing
 * values, so `bins` must come from binMatrix(X, mapper, true).
 *
 * This file picks the node to split next and builds the tree. Where the bytes live (the buffers
 * and the histogram pool) is HistMemory (hist-memory.ts); the passes over them, on the kernels
 * or the JavaScript loops and on one or two threads, are HistPasses (hist-passes.ts).
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

export class HistGrower {
  private readonly mem: HistMemory;
  private readonly passes: HistPasses;
  private readonly open: GrowNode[] = [];
  private readonly leaves: GrowNode[] = [];
  /** Leaves of the last tree: [start, stop) ranges of the memory's row numbers and their (shrunk) values. */
  leafStart: number[] = [];
  leafStop: number[] = [];
  leafValue: number[] = [];

  /** The bin edges the trees split on (given, or fitted on the matrix). */
  readonly mapper: BinMapper;

  constructor(
    /**
     * Column-major bins from binMatrix(X, mapper, true) (copied, not kept) and their mapper; or
     * the matrix to bin, fitBinMapper's arguments: then the helper thread, where one runs, finds
     * the edges of half the columns.
     */
    input: { bins: Uint8Array; mapper: BinMapper } | { X: Matrix; maxBins: number; seed: number; subsample?: number },
    readonly rows: number,
    readonly cols: number,
    readonly params: HistGrowerParams,
  ) {
    this.mem = new HistMemory(rows, cols, params);
    this.passes = new HistPasses(this.mem, params);
    try {
      if ('bins' in input) this.mapper = input.mapper;
      else this.mapper = fitBinMapper(input.X, input.maxBins, input.seed, input.subsample, this.passes.edgeSharing());
      this.mem.load('bins' in input ? input.bins : binMatrix(input.X, this.mapper, true), this.mapper);
    } catch (e) {
      this.passes.close();
      throw e;
    }
  }

  /** Ends the helper thread, if any (idempotent); the grower still grows trees on one thread after it. */
  close(): void {
    this.passes.close();
  }

  /**
   * Per-row array k (0 ≤ k < params.sideArrays), zeroed at first: where the caller keeps what
   * growLogLoss reads (raw scores, targets, weights), so that the helper thread can read it too.
   */
  side(k: number): Float64Array {
    return this.mem.side(k);
  }

  /** Puts every row back in the root and frees every histogram. */
  private reset(): void {
    this.mem.reset();
    this.open.length = 0;
    this.leaves.length = 0;
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
    this.mem.release(node);
    this.leaves.push(node);
  }

  /**
   * Grows one tree on all rows with gradients g and hessians h (kept as float32). Leaf values
   * are −G/(H+λ+1e-15)·learning_rate, as sklearn's compute_node_value (0 for a root that cannot
   * split, as sklearn's); cover is the hessian sum.
   */
  grow(g: Float32Array | Float64Array, h: Float32Array | Float64Array): FlatTree {
    this.reset();
    return this.growLoaded(...this.passes.loadGradients(g, h));
  }

  /**
   * grow() with the log-loss gradients of raw scores `raw` (one per row), targets y and weights
   * w: the same tree as grow(g, h) with g, h from hist-gradient-boosting.ts's gradients().
   */
  growLogLoss(raw: Float64Array, y: Float64Array, w: Float64Array): FlatTree {
    this.reset();
    return this.growLoaded(...this.passes.loadLogLoss(raw, y, w));
  }

  /** The tree on the gradients in `gh`, whose sums are G and H. */
  private growLoaded(G: number, H: number): FlatTree {
    const { params, rows, open, leaves } = this;
    const builder = new FlatTreeBuilder(1, 2 * params.maxLeafNodes);
    // sklearn gives the root the value 0 (its gain then omits the parent's term: same argmax).
    const root = new GrowNode(builder.addNode(H), 0, rows, 0, G, H, 0);
    if (this.splittable(root)) {
      root.hist = this.mem.takeHist();
      this.passes.buildRootHist(root.hist);
      this.passes.findSplit(root);
      this.queue(root);
    } else this.toLeaf(root);
    let nLeaves = 1;
    while (open.length > 0 && nLeaves < params.maxLeafNodes) {
      let best = 0;
      for (let i = 1; i < open.length; i++) if (open[i].gain > open[best].gain) best = i;
      const node = open[best];
      open.splice(best, 1);
      const l = this.passes.partition(node);
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
      const [small, large] = leftSmaller ? [left, right] : [right, left];
      this.passes.splitChildren(parentHist, small, large, this.splittable(small), this.splittable(large));
      nLeaves++;
      // Left first: of equal gains in `open`, the first queued wins.
      for (const child of [left, right]) {
        if (this.splittable(child)) this.queue(child);
        else this.toLeaf(child);
      }
    }
    for (const node of open) {
      this.mem.release(node);
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

  /** raw[row*stride + offset] += its leaf's value in the last tree, for every training row (HistPasses.addLeafValues). */
  addLeafValues(raw: Float64Array, stride: number, offset: number): void {
    this.passes.addLeafValues(raw, stride, offset, this.leafStart, this.leafStop, this.leafValue);
  }
}
