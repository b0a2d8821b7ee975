/**
 * The bodies of the histogram grower's kernels in tree-kernels.ts's module (the walks that
 * predict stay there): histograms of a node's rows and of the root, the partition of a node's
 * rows, the sibling subtraction and the gradient/hessian sums. Each does the same arithmetic
 * in the same order per double as its JavaScript loop (hist-loops-js.ts, hist-split.ts's
 * subtractHistogram, hist-passes.ts's sums), so trees are bit-identical either way; and the
 * raw-score update from the last tree's leaves (one addition per row, as hist-passes.ts's loop).
 */

import {
  ADD, AND, BLOCK, BR_IF, END, EQ, F64, F64ADD, F64X2_ADD, F64X2_PROMOTE_LOW_F32X4, F64X2_SUB, F64_LOAD, F64_STORE, GE_S, GT_S, I32, I32_LOAD, I32_STORE,
  LE_S_, LE_U, LOOP, LT_S, MEMORY_FILL, MUL, OR, SHL, SUB, U8_LOAD, V128, V128_LOAD, V128_LOAD64_ZERO, V128_STORE, f64c, f64x2c, get, i32c, set,
  tee, uleb, vec,
} from '../wasm/encoder.ts';
import { STRIDE } from './hist-split.ts';

/** Bytes per feature in a histogram (tree-kernels.ts's FEATURE_BYTES). */
const FEATURE_BYTES = STRIDE * 8;
const f64one = f64c(1);
const SELECT = 0x1b;
const I32_TRUNC_F64_S = 0xaa;

/** One (g, h) pair plus, with `count`, one row count: hist slot at local `p` (already computed). */
function addPair(p: number, v: number, count: boolean): number[] {
  const pair = [...get(p), ...get(p), ...V128_LOAD(), ...get(v), ...F64X2_ADD, ...V128_STORE()];
  if (!count) return pair;
  return [...pair, ...get(p), ...get(p), ...F64_LOAD(16), ...f64one, F64ADD, ...F64_STORE(16)];
}

const SHR_U = 0x76;
const BR = (l: number) => [0x0c, l];

/**
 * Inner loop over the features of one row: for f in 0..cols-1,
 * slot = ho + bins[rowp + f] * 24; add v there; ho += FEATURE_BYTES.
 * Four features per step from one 4-byte load of their bins (the loop's own counting and one
 * load where there were four); the rest one by one. Every slot still gets the rows in row
 * order, so the sums are the same.
 * Locals: rowp, f, ho, p, v, cols, w (i32 scratch) as given.
 */
function featureLoop(hist: number, cols: number, rowp: number, f: number, ho: number, p: number, v: number, count: boolean, w: number): number[] {
  const quad = [0, 1, 2, 3].flatMap((q) => [
    ...get(ho), ...get(w), ...(q > 0 ? [...i32c(8 * q), SHR_U] : []), ...(q < 3 ? [...i32c(255), AND] : []), ...i32c(24), MUL, ADD,
    ...(q > 0 ? [...i32c(q * FEATURE_BYTES), ADD] : []), ...set(p),
    ...addPair(p, v, count),
  ]);
  return [
    ...i32c(0), ...set(f),
    ...get(hist), ...set(ho),
    ...BLOCK,
    ...LOOP,
    ...get(f), ...i32c(4), ADD, ...get(cols), GT_S, ...BR_IF(1),
    ...get(rowp), ...get(f), ADD, ...I32_LOAD(), ...set(w),
    ...quad,
    ...get(ho), ...i32c(4 * FEATURE_BYTES), ADD, ...set(ho),
    ...get(f), ...i32c(4), ADD, ...set(f),
    ...BR(0),
    END,
    END,
    ...BLOCK,
    ...get(f), ...get(cols), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(ho), ...get(rowp), ...get(f), ADD, ...U8_LOAD, ...i32c(24), MUL, ADD, ...set(p),
    ...addPair(p, v, count),
    ...get(ho), ...i32c(FEATURE_BYTES), ADD, ...set(ho),
    ...get(f), ...i32c(1), ADD, ...tee(f), ...get(cols), LT_S, ...BR_IF(0),
    END,
    END,
  ];
}

/** The body of TreeKernels.histRows. */
export function histRowsBody(): number[] {
  // params: 0 hist, 1 bins, 2 idx, 3 gh, 4 start, 5 stop, 6 cols, 7 rowBytes; locals: 8 i, 9 r, 10 rowp, 11 f, 12 ho, 13 p (i32), 14 v (v128), 15 w (i32)
  const code = [
    // Zero the histogram's features first: each thread its own range, hot in its cache after.
    ...get(0), ...i32c(0), ...get(6), ...i32c(FEATURE_BYTES), MUL, ...MEMORY_FILL,
    ...get(4), ...set(8),
    ...BLOCK,
    ...get(8), ...get(5), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(2), ...get(8), ...i32c(2), SHL, ADD, ...I32_LOAD(), ...set(9),
    ...get(3), ...get(9), ...i32c(3), SHL, ADD, ...V128_LOAD64_ZERO(), ...F64X2_PROMOTE_LOW_F32X4, ...set(14),
    ...get(1), ...get(9), ...get(7), MUL, ADD, ...set(10),
    ...featureLoop(0, 6, 10, 11, 12, 13, 14, true, 15),
    ...get(8), ...i32c(1), ADD, ...tee(8), ...get(5), LT_S, ...BR_IF(0),
    END,
    END,
  ];
  return [...vec([[...uleb(6), I32], [...uleb(1), V128], [...uleb(1), I32]]), ...code, END];
}

/** The body of TreeKernels.histAll. */
export function histAllBody(): number[] {
  // params: 0 hist, 1 bins, 2 gh, 3 rows, 4 cols, 5 rowBytes; locals: 6 i, 7 rowp, 8 f, 9 ho, 10 p, 11 ghp (i32), 12 v (v128), 13 w (i32)
  const code = [
    ...i32c(0), ...set(6),
    ...get(1), ...set(7),
    ...get(2), ...set(11),
    ...BLOCK,
    ...get(6), ...get(3), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(11), ...V128_LOAD64_ZERO(), ...F64X2_PROMOTE_LOW_F32X4, ...set(12),
    ...featureLoop(0, 4, 7, 8, 9, 10, 12, false, 13),
    ...get(7), ...get(5), ADD, ...set(7),
    ...get(11), ...i32c(8), ADD, ...set(11),
    ...get(6), ...i32c(1), ADD, ...tee(6), ...get(3), LT_S, ...BR_IF(0),
    END,
    END,
  ];
  return [...vec([[...uleb(6), I32], [...uleb(1), V128], [...uleb(1), I32]]), ...code, END];
}

/** The body of TreeKernels.partition. */
export function partitionBody(): number[] {
  // params: 0 idx, 1 scratch, 2 column, 3 start, 4 stop, 5 bin, 6 missingBin, 7 missingLeft
  // locals: 8 i, 9 l, 10 r, 11 row, 12 b, 13 goLeft
  const code = [
    ...get(3), ...tee(8), ...set(9),
    ...i32c(0), ...set(10),
    ...BLOCK,
    ...get(8), ...get(4), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(0), ...get(8), ...i32c(2), SHL, ADD, ...I32_LOAD(), ...set(11),
    ...get(2), ...get(11), ADD, ...U8_LOAD, ...set(12),
    ...get(12), ...get(5), LE_U, ...get(12), ...get(6), EQ, ...get(7), AND, OR, ...set(13),
    ...get(0), ...get(9), ...i32c(2), SHL, ADD, ...get(11), ...I32_STORE,
    ...get(1), ...get(10), ...i32c(2), SHL, ADD, ...get(11), ...I32_STORE,
    ...get(9), ...get(13), ADD, ...set(9),
    ...get(10), ...i32c(1), ...get(13), SUB, ADD, ...set(10),
    ...get(8), ...i32c(1), ADD, ...tee(8), ...get(4), LT_S, ...BR_IF(0),
    END,
    END,
    ...get(9),
  ];
  return [...vec([[...uleb(6), I32]]), ...code, END];
}

/** The body of TreeKernels.subtract. */
export function subtractBody(): number[] {
  // params: 0 a, 1 b, 2 nb, 3 cols; locals: 4 f, 5 s (byte offset), 6 end
  const at = (base: number) => [...get(base), ...get(5), ADD];
  const code = [
    ...i32c(0), ...set(4),
    ...BLOCK,
    ...get(3), ...i32c(0), LE_S_, ...BR_IF(0),
    ...LOOP,
    ...get(4), ...i32c(FEATURE_BYTES), MUL, ...tee(5),
    // end = s + ((nb[f] + 1) × 24 rounded up to 16 bytes): at most FEATURE_BYTES.
    ...get(2), ...get(4), ...i32c(2), SHL, ADD, ...I32_LOAD(), ...i32c(1), ADD, ...i32c(24), MUL, ...i32c(15), ADD, ...i32c(-16), AND, ADD, ...set(6),
    ...LOOP,
    ...at(0), ...at(0), ...V128_LOAD(), ...at(1), ...V128_LOAD(), ...F64X2_SUB, ...V128_STORE(),
    ...get(5), ...i32c(16), ADD, ...tee(5), ...get(6), LT_S, ...BR_IF(0),
    END,
    ...get(4), ...i32c(1), ADD, ...tee(4), ...get(3), LT_S, ...BR_IF(0),
    END,
    END,
  ];
  return [...vec([[...uleb(3), I32]]), ...code, END];
}

/** The body of TreeKernels.sumPairs. */
export function sumPairsBody(): number[] {
  // params: 0 gh, 1 rows, 2 out; locals: 3 p, 4 end (i32), 5 acc (v128)
  const code = [
    ...f64x2c(0), ...set(5),
    ...get(0), ...tee(3), ...get(1), ...i32c(3), SHL, ADD, ...set(4),
    ...BLOCK,
    ...get(3), ...get(4), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(5), ...get(3), ...V128_LOAD64_ZERO(), ...F64X2_PROMOTE_LOW_F32X4, ...F64X2_ADD, ...set(5),
    ...get(3), ...i32c(8), ADD, ...tee(3), ...get(4), LT_S, ...BR_IF(0),
    END,
    END,
    ...get(2), ...get(5), ...V128_STORE(),
  ];
  return [...vec([[...uleb(2), I32], [...uleb(1), V128]]), ...code, END];
}

/** The body of TreeKernels.addLeaves. */
export function addLeavesBody(): number[] {
  // params: 0 raw, 1 idx, 2 leaf, 3 nLeaves, 4 from, 5 to; locals: 6 k, 7 a, 8 b, 9 lp, 10 p (i32), 11 v (f64)
  const [k, a, b, lp, p, v] = [6, 7, 8, 9, 10, 11];
  const code = [
    ...i32c(0), ...set(k),
    ...get(2), ...set(lp),
    ...BLOCK,
    ...get(3), ...i32c(0), LE_S_, ...BR_IF(0),
    ...LOOP,
    // a = max(start, from), b = min(stop, to): this thread's positions of leaf k.
    ...get(lp), ...F64_LOAD(0), I32_TRUNC_F64_S, ...tee(a), ...get(4), ...get(a), ...get(4), GE_S, SELECT, ...set(a),
    ...get(lp), ...F64_LOAD(8), I32_TRUNC_F64_S, ...tee(b), ...get(5), ...get(b), ...get(5), LE_S_, SELECT, ...set(b),
    ...get(lp), ...F64_LOAD(16), ...set(v),
    ...BLOCK,
    ...get(a), ...get(b), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(0), ...get(1), ...get(a), ...i32c(2), SHL, ADD, ...I32_LOAD(), ...i32c(3), SHL, ADD, ...tee(p),
    ...get(p), ...F64_LOAD(0), ...get(v), F64ADD, ...F64_STORE(0),
    ...get(a), ...i32c(1), ADD, ...tee(a), ...get(b), LT_S, ...BR_IF(0),
    END,
    END,
    ...get(lp), ...i32c(24), ADD, ...set(lp),
    ...get(k), ...i32c(1), ADD, ...tee(k), ...get(3), LT_S, ...BR_IF(0),
    END,
    END,
  ];
  return [...vec([[...uleb(5), I32], [...uleb(1), F64]]), ...code, END];
}
