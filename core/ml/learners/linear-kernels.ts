/**
 * Binary logistic prediction as a hand-assembled WebAssembly SIMD kernel (built with the same
 * encoder as the tree kernels, wasm/encoder.ts): decision values, sigmoid probabilities and labels
 * in one pass over the rows, two rows per f64x2 vector and eight rows in flight.
 *
 * - Decision values are bit-identical to logistic.ts's margins(): each lane is one row, summed in
 *   the same order (intercept, then x₀w₀, x₁w₁, … as separate multiply and add; WebAssembly never
 *   fuses them). So labels (decision > 0) are identical too.
 * - exp(−|d|) is computed in the vectors (range reduction by ln 2 in two parts, a degree-13
 *   polynomial, 2^k from the exponent bits): within a few ulps of Math.exp, so probabilities stay
 *   within 1e-15 relative of the JavaScript path (tests check 1e-12). Rows with |d| > 708 (exp
 *   leaves the normal range) or NaN are recomputed with Math.exp after the kernel, exactly as the
 *   JavaScript path does.
 * - WebAssembly reads only its own memory: rows are copied in blocks that stay in the L2 cache,
 *   as they are (row-major, no transpose); a block is a multiple of 8 rows, zero-padded.
 *
 * One module per feature count (row length and feature loop compiled in as constants, as the tree
 * walks are), at most MAX_MODULES; past that, or without WebAssembly SIMD, callers keep their
 * JavaScript loops (`logisticKernel` returns null).
 */

import { sigmoid } from './check-input.ts';
import {
  ADD, BLOCK, BR_IF, END, F64, F64X2_ABS, F64X2_ADD, F64X2_DIV, F64X2_GE, F64X2_GT, F64X2_LE, F64X2_MUL, F64X2_NEG, F64X2_SUB, GE_S, I32,
  INTERLEAVE_LANE, I64X2_SHL, LOOP, LT_S, PAGE_BYTES, SHL, V128, V128_AND, V128_ANY_TRUE, V128_LOAD64_LANE, V128_LOAD64_SPLAT, V128_LOAD64_ZERO,
  V128_NOT, V128_OR, V128_STORE, body, f64x2c, funcType, get, i32c, moduleOf, set, simd, uleb, wasm,
} from './wasm/encoder.ts';
import type { Prediction } from './types.ts';

/** Rows per vector lane group: four f64x2 accumulators. */
const LANES = 8;
/** Target bytes of one block of rows in WebAssembly memory (it and the outputs stay in L2). */
const BLOCK_BYTES = 256 * 1024;
/** Feature counts with their own compiled module at most (one per model width a process predicts). */
const MAX_MODULES = 16;
/** Above this |decision|, exp(−|d|) leaves the normal doubles: Math.exp does those rows. */
const EXP_RANGE = 708;
/** 1.5 · 2^52: adding it rounds a double of magnitude < 2^51 to an integer (ties to even). */
const MAGIC = 6755399441055744;
/** ln 2 in two parts: LN2_HI has 32 significant bits, so k · LN2_HI is exact for |k| < 2^21 (fdlibm's split). */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** 1/m! for m = 0..13: exp(r) for |r| ≤ ln 2 / 2 to 4e-18 (Taylor's remainder). */
const EXP_TERMS = 13;

interface Kernel {
  memory: { buffer: ArrayBuffer };
  run: (x: number, n: number, w: number, dec: number, lab: number, proba: number, b: number) => number;
  /** Rows per block (a multiple of LANES) and the byte offsets of the areas below. */
  rows: number;
  w: number;
  x: number;
  dec: number;
  lab: number;
  proba: number;
}

/**
 * The kernel for rows of `p` doubles. Params: 0 x, 1 n (a multiple of 8), 2 w, 3 dec, 4 lab,
 * 5 proba (byte offsets, i32), 6 b (intercept, f64). Returns 1 when a row needs Math.exp.
 */
function binaryBody(p: number): number[] {
  const rowBytes = p * 8;
  const [i, xr, jo, xa, o8, o16] = [7, 8, 9, 10, 11, 12];
  const acc = (q: number) => 13 + q;
  const [wj, d, t, r, q, e, s, p1, bad, bv] = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26];
  // One vector of two rows' decision values `d` (rows i + 2·slot, + 1) → dec, lab, proba.
  const finish = (slot: number) => [
    ...get(3), ...get(o8), ADD, ...get(d), ...V128_STORE(16 * slot),
    // x = −|d| = k·ln2 + r; exp(x) = 2^k · exp(r)
    ...get(d), ...F64X2_ABS, ...F64X2_NEG, ...set(r),
    ...get(r), ...f64x2c(1 / Math.LN2), ...F64X2_MUL, ...f64x2c(MAGIC), ...F64X2_ADD, ...set(t),
    ...get(t), ...f64x2c(MAGIC), ...F64X2_SUB, ...set(q),
    ...get(r), ...get(q), ...f64x2c(LN2_HI), ...F64X2_MUL, ...F64X2_SUB, ...get(q), ...f64x2c(LN2_LO), ...F64X2_MUL, ...F64X2_SUB, ...set(r),
    // 2^k: k + 1023 in the low mantissa bits of k + MAGIC + 1023, shifted into the exponent
    ...get(q), ...f64x2c(MAGIC + 1023), ...F64X2_ADD, ...i32c(52), ...I64X2_SHL, ...set(t),
    ...f64x2c(1 / factorial(EXP_TERMS)),
    ...Array.from({ length: EXP_TERMS }, (_, m) => [...get(r), ...F64X2_MUL, ...f64x2c(1 / factorial(EXP_TERMS - 1 - m)), ...F64X2_ADD]).flat(),
    ...get(t), ...F64X2_MUL, ...set(e),
    ...get(bad), ...get(d), ...F64X2_ABS, ...f64x2c(EXP_RANGE), ...F64X2_LE, ...V128_NOT, ...V128_OR, ...set(bad),
    // sigmoid's two forms picked by arithmetic, as probaFromDecision does: s = (d >= 0) as 0 or 1
    ...get(d), ...f64x2c(0), ...F64X2_GE, ...f64x2c(1), ...V128_AND, ...set(s),
    ...get(s), ...f64x2c(1), ...get(s), ...F64X2_SUB, ...get(e), ...F64X2_MUL, ...F64X2_ADD, ...f64x2c(1), ...get(e), ...F64X2_ADD, ...F64X2_DIV, ...set(p1),
    ...get(4), ...get(o8), ADD, ...get(d), ...f64x2c(0), ...F64X2_GT, ...f64x2c(1), ...V128_AND, ...V128_STORE(16 * slot),
    // proba rows: (1 − p1, p1) per row, lanes interleaved
    ...get(5), ...get(o16), ADD, ...f64x2c(1), ...get(p1), ...F64X2_SUB, ...get(p1), ...INTERLEAVE_LANE(0), ...V128_STORE(32 * slot),
    ...get(5), ...get(o16), ADD, ...f64x2c(1), ...get(p1), ...F64X2_SUB, ...get(p1), ...INTERLEAVE_LANE(1), ...V128_STORE(32 * slot + 16),
  ];
  const code = [
    ...get(6), ...simd(0x14), ...set(bv), // f64x2.splat
    ...f64x2c(0), ...set(bad),
    ...i32c(0), ...set(i),
    ...get(0), ...set(xr),
    ...BLOCK,
    ...get(i), ...get(1), GE_S, ...BR_IF(0),
    ...LOOP,
    ...[0, 1, 2, 3].flatMap((k) => [...get(bv), ...set(acc(k))]),
    ...i32c(0), ...set(jo),
    ...LOOP,
    ...get(xr), ...get(jo), ADD, ...set(xa),
    ...get(2), ...get(jo), ADD, ...V128_LOAD64_SPLAT(0), ...set(wj),
    ...[0, 1, 2, 3].flatMap((k) => [
      ...get(acc(k)),
      ...get(xa), ...get(xa), ...V128_LOAD64_ZERO(2 * k * rowBytes), ...V128_LOAD64_LANE((2 * k + 1) * rowBytes, 1),
      ...get(wj), ...F64X2_MUL, ...F64X2_ADD, ...set(acc(k)),
    ]),
    ...get(jo), ...i32c(8), ADD, ...set(jo),
    ...get(jo), ...i32c(rowBytes), LT_S, ...BR_IF(0),
    END,
    ...get(i), ...i32c(3), SHL, ...set(o8),
    ...get(i), ...i32c(4), SHL, ...set(o16),
    ...[0, 1, 2, 3].flatMap((k) => [...get(acc(k)), ...set(d), ...finish(k)]),
    ...get(xr), ...i32c(LANES * rowBytes), ADD, ...set(xr),
    ...get(i), ...i32c(LANES), ADD, ...set(i),
    ...get(i), ...get(1), LT_S, ...BR_IF(0),
    END,
    END,
    ...get(bad), ...V128_ANY_TRUE,
  ];
  return body([[6, I32], [14, V128]], code);
}

function factorial(m: number): number {
  let f = 1;
  for (let k = 2; k <= m; k++) f *= k;
  return f;
}

const kernels = new Map<number, Kernel | null>();

/** The binary kernel for `p` features with its own memory, or null (no WebAssembly SIMD, too many widths, p = 0). */
function logisticKernel(p: number): Kernel | null {
  if (kernels.has(p)) return kernels.get(p)!;
  if (!wasm || p < 1 || kernels.size >= MAX_MODULES) return null;
  let kernel: Kernel | null = null;
  try {
    const rowBytes = p * 8;
    const rows = Math.max(LANES, Math.floor(BLOCK_BYTES / rowBytes / LANES) * LANES);
    const w = 0;
    const x = Math.ceil(rowBytes / 16) * 16;
    const dec = x + rows * rowBytes;
    const lab = dec + rows * 8;
    const proba = lab + rows * 8;
    const memory = new wasm.Memory({ initial: Math.ceil((proba + rows * 16) / PAGE_BYTES) });
    const bytes = moduleOf([funcType([I32, I32, I32, I32, I32, I32, F64], [I32])], [0x00, ...uleb(1)], [0], ['binary'], [binaryBody(p)]);
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
    const run = (instance.exports as { binary: Kernel['run'] }).binary;
    kernel = { memory, run, rows, w, x, dec, lab, proba };
  } catch {
    kernel = null;
  }
  kernels.set(p, kernel);
  return kernel;
}

/**
 * Labels and (1 − p, p) probabilities of a binary linear model on row-major rows, as
 * probaFromDecision(linearDecision(...)) gives them (labels and decisions bit for bit, probabilities
 * within a few ulps), or null where the kernel is not available.
 */
export function binaryLogisticKernel(coef: Float64Array, intercept: number, X: Float64Array, rows: number, p: number): Prediction | null {
  const k = rows > 0 ? logisticKernel(p) : null;
  if (!k) return null;
  const f64 = new Float64Array(k.memory.buffer);
  f64.set(coef.subarray(0, p), k.w / 8);
  const values = new Float64Array(rows);
  const proba = new Float64Array(2 * rows);
  const dec = f64.subarray(k.dec / 8, k.dec / 8 + k.rows);
  for (let start = 0; start < rows; start += k.rows) {
    const m = Math.min(k.rows, rows - start);
    const padded = Math.ceil(m / LANES) * LANES;
    f64.set(X.subarray(start * p, (start + m) * p), k.x / 8);
    if (padded > m) f64.fill(0, k.x / 8 + m * p, k.x / 8 + padded * p);
    const outOfRange = k.run(k.x, padded, k.w, k.dec, k.lab, k.proba, intercept);
    values.set(f64.subarray(k.lab / 8, k.lab / 8 + m), start);
    proba.set(f64.subarray(k.proba / 8, k.proba / 8 + 2 * m), 2 * start);
    if (outOfRange) {
      for (let i = 0; i < m; i++) {
        const d = dec[i];
        if (Math.abs(d) <= EXP_RANGE) continue;
        const p1 = sigmoid(d);
        proba[2 * (start + i)] = 1 - p1;
        proba[2 * (start + i) + 1] = p1;
      }
    }
  }
  return { values, proba };
}
