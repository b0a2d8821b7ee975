/**
 * Two kernels of the histogram grower's module (tree-kernels.ts): the sibling subtraction and
 * the gradient/hessian sums over every row, two doubles per SIMD instruction with the same
 * operations in the same order per double as the JavaScript loops (hist-split.ts's
 * subtractHistogram, hist-passes.ts's sums), so the trees are bit-identical either way.
 */

import {
  ADD, AND, BLOCK, BR_IF, END, F64X2_ADD, F64X2_PROMOTE_LOW_F32X4, F64X2_SUB, GE_S, I32, I32_LOAD, LE_S_, LOOP, LT_S, MUL, SHL, V128, V128_LOAD,
  V128_LOAD64_ZERO, V128_STORE, f64x2c, get, i32c, set, tee, uleb, vec,
} from '../wasm/encoder.ts';
import { STRIDE } from './hist-split.ts';

/** Bytes per feature in a histogram (tree-kernels.ts's FEATURE_BYTES). */
const FEATURE_BYTES = STRIDE * 8;

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
