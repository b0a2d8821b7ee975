/**
 * The hot loops of the tree learners as a tiny WebAssembly module, hand-assembled: the
 * histogram grower's histograms, partition, subtraction and sums (their bodies in
 * hist-kernel-bodies.ts), its log-loss gradients (log-loss-kernel.ts), and, below, the batch
 * tree walk that predicts. WebAssembly drops the bounds check of every typed
 * array access and adds a (gradient, hessian) pair with one f64x2 instruction; the arithmetic
 * (float32 pairs widened to doubles, summed as doubles, rows in the same order) is the same as
 * the JavaScript loops in hist-grower.ts,
 * so both give bit-identical trees and predictions (tests check this). When the module cannot be
 * compiled (an engine without WebAssembly SIMD), `loadTreeKernels()` returns null and the
 * callers keep their JavaScript loops.
 *
 * Memory layout the kernels expect (byte offsets into the grower's WebAssembly.Memory):
 *   gh      rows × (gradient, hessian) f32 pairs (scikit-learn's G_H_DTYPE), 16-byte aligned;
 *           the histograms sum them as doubles
 *   idx     rows × i32 row numbers; scratch: the same
 *   bins    rows × cols u8 (row-major); one feature column: rows × u8 (column-major)
 *   hist    cols × 256 slots × (gradient, hessian, count) f64; a feature spans 6144 bytes
 *   tree    nodes × 16 bytes: threshold f64, feature × 8 i32, link i32 = byte offset of the left
 *           child | 1 when NaN goes right (that bit only where walk, not walkNoNaN, reads the
 *           tree); right child = left + 16 bytes; a leaf links to itself, its threshold a NaN
 *           (no row ever goes right of it) whose low 32 bits are the byte offset of its values
 *           from the walk's `values` (leaves with equal values share them)
 */

import {
  ADD, AND, BLOCK, BR_IF, END, F64, F64ADD, F64MUL, F64_GT, F64_LOAD, F64_NE, F64_STORE, GE_S, GT_S, I32, I32_LOAD, LE_S_, LOOP, LT_S, MUL,
  NE, OR, PAGE_BYTES, SHL, SUB, XOR, get, i32c, name, section, set, tee, uleb, vec, wasm, type KernelMemory,
} from '../wasm/encoder.ts';
import { addLeavesBody, histAllBody, histRowsBody, partitionBody, subtractBody, sumPairsBody } from './hist-kernel-bodies.ts';
import { expNegAbsBody, logLossBody } from './log-loss-kernel.ts';
import { bestSplitBody } from './split-kernel.ts';

export { PAGE_BYTES, type KernelMemory };


export interface TreeKernels {
  /**
   * Fills a histogram (zeroed first) from rows idx[start, stop): (g, h) pair and count + 1 per (row, feature),
   * for `cols` features of rows `rowBytes` apart (a range of features: hist and bins moved to
   * its first feature).
   */
  histRows(hist: number, bins: number, idx: number, gh: number, start: number, stop: number, cols: number, rowBytes: number): void;
  /** Adds rows 0..rows-1 (no index) into a histogram, (g, h) pairs only: counts are preset. */
  histAll(hist: number, bins: number, gh: number, rows: number, cols: number, rowBytes: number): void;
  /**
   * Stable partition of idx[start, stop) by one feature's column-major bins: rows with
   * bin <= `bin`, or bin == missingBin when missingLeft is 1, stay in front; the others go to
   * scratch[0..). Returns the first right position (the caller copies scratch back after it).
   */
  partition(idx: number, scratch: number, column: number, start: number, stop: number, bin: number, missingBin: number, missingLeft: number): number;
  /**
   * Histogram a −= histogram b (sibling = parent − child), feature by feature over the slots in
   * use ((nb[f] + 1) × 3 doubles, nb: i32 per feature), two doubles per instruction. It may also
   * subtract the one double after a feature's last slot in use, which nothing reads.
   */
  subtract(a: number, b: number, nb: number, cols: number): void;
  /**
   * Sums of the (g, h) float32 pairs of rows 0..rows-1 as doubles, row by row (the same
   * additions in the same order as a scalar loop), stored as two doubles at `out`.
   */
  sumPairs(gh: number, rows: number, out: number): void;
  /**
   * Log-loss gradients and hessians of rows from, from + 2, … (pairs while both rows are before
   * `to`) into the (g, h) float32 pairs, exactly as hist-helper.ts's logLossRows (log-loss-kernel.ts);
   * returns 1 when a row of those has |raw| > 708 or NaN, which the caller must redo.
   */
  logLoss(raw: number, y: number, w: number, gh: number, from: number, to: number): number;
  /** The doubles at[0..n) (n even, each |v| ≤ 708) replaced by exp(−|v|) as logLoss computes it (for tests). */
  expNegAbs(at: number, n: number): void;
  /**
   * raw[idx[i]] += the value of the leaf holding position i, for positions [from, to) (f64 raw,
   * i32 idx); leaf k spans positions [leaf[3k], leaf[3k + 1]) with value leaf[3k + 2] (f64 triples).
   */
  addLeaves(raw: number, idx: number, leaf: number, nLeaves: number, from: number, to: number): void;
  /**
   * hist-split.ts's bestSplit of the histogram at `hist` (nb: i32, hasMissing: u8 per feature),
   * its inputs and outputs in the SPLIT_IO doubles at `io` (split-kernel.ts): the same split.
   */
  bestSplit(hist: number, nb: number, hasMissing: number, cols: number, io: number): void;
  /**
   * Walks rows 0..n-1 of a row-major block (rowBytes apart; n a multiple of WALK_LANES) through a
   * tree, at most `depth` steps each (leaves step onto themselves), and adds weight × the leaf's
   * value vector (valueBytes / 8 doubles at values + the leaf's value offset, see the layout) to the row's
   * doubles at out + row × outStride. WALK_LANES rows walk side by side: independent chains of
   * loads, no branch per row; a group stops once all its rows sit on leaves.
   */
  walk(tree: number, depth: number, x: number, rowBytes: number, n: number, out: number, outStride: number, values: number, valueBytes: number, weight: number): void;
  /** walk for rows without NaN, on a tree packed without the NaN bit in its links. */
  walkNoNaN(tree: number, depth: number, x: number, rowBytes: number, n: number, out: number, outStride: number, values: number, valueBytes: number, weight: number): void;
  /** walk for one value per leaf (valueBytes must be 8). */
  walk1(tree: number, depth: number, x: number, rowBytes: number, n: number, out: number, outStride: number, values: number, valueBytes: number, weight: number): void;
  /** walkNoNaN for one value per leaf (valueBytes must be 8). */
  walk1NoNaN(tree: number, depth: number, x: number, rowBytes: number, n: number, out: number, outStride: number, values: number, valueBytes: number, weight: number): void;
}

/** Bytes per feature in a histogram (256 slots × 3 doubles); hist-grower.ts's STRIDE × 8. */
export const FEATURE_BYTES = 256 * 3 * 8;


/** Rows walked side by side by `walk`: independent chains of loads that the CPU overlaps. */
export const WALK_LANES = 8;
/** Steps per lane between two checks for "all lanes on leaves" in `walk`. */
const WALK_STEPS_PER_CHECK = 2;

/** One tree step of the row at x-pointer local `xr` + `rowOffset` bytes, node pointer local `p` (see walkBody). */
function treeStep(p: number, xr: number, rowOffset: number, nan: boolean, link: number, xv: number): number[] {
  if (!nan) {
    // No NaN in the rows (and links packed without the NaN bit): right = x > threshold.
    return [
      ...get(p), ...I32_LOAD(12),
      ...get(xr), ...get(p), ...I32_LOAD(8), ADD, ...F64_LOAD(rowOffset), ...get(p), ...F64_LOAD(0), F64_GT,
      ...i32c(4), SHL, ADD, ...set(p),
    ];
  }
  return [
    ...get(xr), ...get(p), ...I32_LOAD(8), ADD, ...F64_LOAD(rowOffset), ...set(xv),
    ...get(p), ...I32_LOAD(12), ...set(link),
    ...get(link), ...i32c(-2), AND,
    ...get(xv), ...get(p), ...F64_LOAD(0), F64_GT,
    ...get(xv), ...get(xv), F64_NE, ...get(link), AND,
    OR, ...i32c(4), SHL, ADD, ...set(p),
  ];
}

/**
 * The walk; with `fixedRowBytes` (> 0) compiled for that row length: every lane reads its row at
 * a constant offset from one row pointer (fewer live registers than one pointer per lane).
 */
function walkBody(nan: boolean, oneValue: boolean, fixedRowBytes: number): number[] {
  // params: 0 tree, 1 depth, 2 x, 3 rowBytes, 4 n, 5 out, 6 outStride, 7 values, 8 valueBytes (i32), 9 weight (f64)
  // locals: 10 i, 11 k, 12 link, 13 moved, 14 old, 15 o, 16 va, 17 v, then node pointers (one per
  // lane), then row pointers (one per lane), all i32; then xv (f64).
  const L = WALK_LANES;
  const [i, k, link, moved, old, o, va, v] = [10, 11, 12, 13, 14, 15, 16, 17];
  const node = (l: number) => 18 + l;
  const row = (l: number) => 18 + L + l;
  const xv = 18 + 2 * L;
  const lanes = Array.from({ length: L }, (_, l) => l);
  // out[row] += weight × value of the leaf, value by value: the same IEEE steps as the JavaScript walk.
  // A leaf's values are at values + the byte offset in the low word of its (NaN) threshold.
  const addOneLeaf = (l: number) => [
    ...get(5), ...get(i), ...i32c(l), ADD, ...get(6), MUL, ADD, ...tee(o),
    ...get(o), ...F64_LOAD(0), ...get(9), ...get(7), ...get(node(l)), ...I32_LOAD(0), ADD, ...F64_LOAD(0), F64MUL, F64ADD,
    ...F64_STORE(0),
  ];
  const addLeaf = (l: number) => oneValue ? addOneLeaf(l) : [
    ...get(5), ...get(i), ...i32c(l), ADD, ...get(6), MUL, ADD, ...set(o),
    ...get(7), ...get(node(l)), ...I32_LOAD(0), ADD, ...set(va),
    ...i32c(0), ...set(v),
    ...LOOP,
    ...get(o), ...get(v), ADD,
    ...get(o), ...get(v), ADD, ...F64_LOAD(0), ...get(9), ...get(va), ...get(v), ADD, ...F64_LOAD(0), F64MUL, F64ADD,
    ...F64_STORE(0),
    ...get(v), ...i32c(8), ADD, ...tee(v), ...get(8), LT_S, ...BR_IF(0),
    END,
  ];
  // A round of steps that moves no lane means every lane sits on a leaf (a leaf links to itself):
  // stop early, so a group of rows walks about as deep as its deepest row, not the whole tree.
  // Only the last step of a round of WALK_STEPS_PER_CHECK checks; the extra steps are harmless.
  const plain = (l: number) => (fixedRowBytes > 0 ? treeStep(node(l), row(0), l * fixedRowBytes, nan, link, xv) : treeStep(node(l), row(l), 0, nan, link, xv));
  const checked = (l: number) => [...get(node(l)), ...set(old), ...plain(l), ...get(moved), ...get(node(l)), ...get(old), XOR, OR, ...set(moved)];
  const round = [...Array.from({ length: WALK_STEPS_PER_CHECK - 1 }, () => lanes.flatMap(plain)).flat(), ...lanes.flatMap(checked)];
  const code = [
    ...i32c(0), ...set(i),
    ...BLOCK,
    ...get(i), ...get(4), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(2), ...get(i), ...get(3), MUL, ADD, ...set(row(0)),
    ...(fixedRowBytes > 0 ? [] : lanes.slice(1).flatMap((l) => [...get(row(l - 1)), ...get(3), ADD, ...set(row(l))])),
    ...lanes.flatMap((l) => [...get(0), ...set(node(l))]),
    ...get(1), ...set(k),
    ...BLOCK,
    ...get(k), ...i32c(0), LE_S_, ...BR_IF(0),
    ...LOOP,
    ...i32c(0), ...set(moved),
    ...round,
    ...get(k), ...i32c(WALK_STEPS_PER_CHECK), SUB, ...tee(k), ...i32c(0), GT_S, ...get(moved), ...i32c(0), NE, AND, ...BR_IF(0),
    END,
    END,
    ...lanes.flatMap(addLeaf),
    ...get(i), ...i32c(L), ADD, ...tee(i), ...get(4), LT_S, ...BR_IF(0),
    END,
    END,
  ];
  return [...vec([[...uleb(8 + 2 * L), I32], [...uleb(1), F64]]), ...code, END];
}

/**
 * The module: every kernel (fixedRowBytes 0), or only the walks compiled for one row length;
 * `shared`: it imports a shared memory (limits flag 3, maximum MAX_WASM_PAGES).
 */
function moduleBytes(fixedRowBytes: number, shared = false): Uint8Array {
  const walkOnly = fixedRowBytes > 0;
  const types = vec([
    [0x60, ...vec([...Array(9).fill([I32]), [F64]]), ...vec([])], // walk, walkNoNaN, walk1, walk1NoNaN
    ...(walkOnly
      ? []
      : [
          [0x60, ...vec(Array(8).fill([I32])), ...vec([])], // histRows
          [0x60, ...vec(Array(6).fill([I32])), ...vec([])], // histAll
          [0x60, ...vec(Array(8).fill([I32])), ...vec([[I32]])], // partition
          [0x60, ...vec(Array(4).fill([I32])), ...vec([])], // subtract
          [0x60, ...vec(Array(3).fill([I32])), ...vec([])], // sumPairs
          [0x60, ...vec(Array(6).fill([I32])), ...vec([[I32]])], // logLoss
          [0x60, ...vec(Array(2).fill([I32])), ...vec([])], // expNegAbs
          [0x60, ...vec(Array(6).fill([I32])), ...vec([])], // addLeaves
          [0x60, ...vec(Array(5).fill([I32])), ...vec([])], // bestSplit
        ]),
  ]);
  const limits = shared ? [0x03, ...uleb(1), ...uleb(MAX_WASM_PAGES)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const funcs = vec(walkOnly ? [[0], [0], [0], [0]] : [[0], [0], [0], [0], [1], [2], [3], [4], [5], [6], [7], [8], [9]]);
  const exports = vec([
    [...name('walk'), 0x00, 0],
    [...name('walkNoNaN'), 0x00, 1],
    [...name('walk1'), 0x00, 2],
    [...name('walk1NoNaN'), 0x00, 3],
    ...(walkOnly ? [] : [[...name('histRows'), 0x00, 4], [...name('histAll'), 0x00, 5], [...name('partition'), 0x00, 6], [...name('subtract'), 0x00, 7], [...name('sumPairs'), 0x00, 8], [...name('logLoss'), 0x00, 9], [...name('expNegAbs'), 0x00, 10], [...name('addLeaves'), 0x00, 11], [...name('bestSplit'), 0x00, 12]]),
  ]);
  const walks = [false, true].flatMap((one) => [walkBody(true, one, fixedRowBytes), walkBody(false, one, fixedRowBytes)]);
  const bodies = walkOnly ? walks : [...walks, histRowsBody(), histAllBody(), partitionBody(), subtractBody(), sumPairsBody(), logLossBody(), expNegAbsBody(), addLeavesBody(), bestSplitBody()];
  const code = vec(bodies.map((b) => [...uleb(b.length), ...b]));
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code),
  ]);
}

/** 2 GB: the kernels' addresses stay below 2^31 (their loop bounds are signed). */
const MAX_WASM_PAGES = 32768;

/** Growable memory for the grower's buffers: a WebAssembly memory, or an ArrayBuffer without it. */
export function kernelMemory(pages: number): KernelMemory {
  if (wasm && pages <= MAX_WASM_PAGES) {
    try {
      return new wasm.Memory({ initial: pages });
    } catch {
      // Too large for the engine: plain memory, JavaScript loops.
    }
  }
  let buffer = new ArrayBuffer(pages * PAGE_BYTES);
  return {
    get buffer() {
      return buffer;
    },
    grow(more: number): number {
      const old = buffer;
      buffer = new ArrayBuffer(old.byteLength + more * PAGE_BYTES);
      new Uint8Array(buffer).set(new Uint8Array(old));
      return old.byteLength / PAGE_BYTES;
    },
  };
}

/** Compiled modules by fixed row length (0: any, the row length a parameter) and memory kind; null: cannot compile. */
const compiled = new Map<string, object | null>();
/** The module of every kernel on a shared memory (undefined: not tried yet; null: cannot compile). */
let compiledShared: object | null | undefined;

/**
 * A shared WebAssembly memory (its buffer a SharedArrayBuffer, growable up to 2 GB) for kernels
 * that two threads run on the same buffers, or null where the engine has none (no
 * SharedArrayBuffer, no threads proposal, too large).
 */
export function sharedKernelMemory(pages: number): KernelMemory | null {
  if (!wasm || typeof SharedArrayBuffer === 'undefined' || pages > MAX_WASM_PAGES || !sharedKernelModule()) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: MAX_WASM_PAGES, shared: true });
  } catch {
    return null;
  }
}

/** The compiled module of every kernel for a shared memory (what a helper thread instantiates), or null. */
export function sharedKernelModule(): object | null {
  if (compiledShared === undefined) {
    try {
      compiledShared = wasm ? new wasm.Module(moduleBytes(0, true)) : null;
    } catch {
      compiledShared = null;
    }
  }
  return compiledShared;
}

const isShared = (memory: KernelMemory) => typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/** Row lengths with their own compiled walk at most (one per matrix width a process predicts). */
const MAX_FIXED_ROW_MODULES = 16;

function compiledModule(fixedRowBytes: number, shared = false): object | null {
  const key = `${fixedRowBytes}:${shared}`;
  if (!compiled.has(key)) {
    try {
      compiled.set(key, new wasm!.Module(moduleBytes(fixedRowBytes, shared)));
    } catch {
      compiled.set(key, null);
    }
  }
  return compiled.get(key)!;
}

const isKernelMemory = (memory: KernelMemory) => !!wasm && memory instanceof (wasm.Memory as unknown as new () => object);

/** Kernels bound to `memory`, or null where WebAssembly (with SIMD) is not available. */
export function loadTreeKernels(memory: KernelMemory): TreeKernels | null {
  const module = !isKernelMemory(memory) ? null : isShared(memory) ? sharedKernelModule() : compiledModule(0);
  return module ? (new wasm!.Instance(module, { env: { memory } }).exports as TreeKernels) : null;
}

/** The walks of TreeKernels. */
export type WalkKernels = Pick<TreeKernels, 'walk' | 'walkNoNaN' | 'walk1' | 'walk1NoNaN'>;

/**
 * The walks bound to `memory` (plain or shared), compiled for rows of `rowBytes` bytes (they read their rowBytes
 * argument only to step from one group of rows to the next), or null without WebAssembly.
 * Past MAX_FIXED_ROW_MODULES row lengths, the general walks (row length an argument).
 */
export function loadWalkKernels(memory: KernelMemory, rowBytes: number): WalkKernels | null {
  if (!isKernelMemory(memory)) return null;
  const shared = isShared(memory);
  const fixed = compiled.has(`${rowBytes}:${shared}`) || compiled.size < MAX_FIXED_ROW_MODULES ? rowBytes : 0;
  const module = compiledModule(fixed, shared);
  return module ? (new wasm!.Instance(module, { env: { memory } }).exports as WalkKernels) : null;
}
