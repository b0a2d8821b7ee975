/**
 * Linear models' predict as hand-assembled WebAssembly SIMD kernels (built with the same encoder
 * as the tree kernels, wasm/encoder.ts), two rows per f64x2 vector and eight rows in flight:
 * `binary` gives a binary logistic model's decision values, sigmoid probabilities and labels in
 * one pass over the rows; `decision` gives decision values only (multiclass, linear SVM, SHAP).
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
 * JavaScript loops (the functions below return null).
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
/**
 * Widest model on the kernel: a module keeps its memory (at least LANES rows) for the life of the
 * process, so past 16,384 features (1 MB per 8 rows) the JavaScript loops predict instead.
 */
const MAX_FEATURES = 16_384;
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
  binary: (x: number, n: number, w: number, dec: number, lab: number, proba: number, b: number) => number;
  decision: (x: number, n: number, w: number, dec: number, b: number) => void;
  /** Rows per block (a multiple of LANES) and the byte offsets of the areas below. */
  rows: number;
  w: number;
  x: number;
  dec: number;
  lab: number;
  proba: number;
}

/** Locals shared by both kernels (after their params): i32s, then v128s. */
const [I, XR, JO, XA, O8, O16] = [0, 1, 2, 3, 4, 5];
const ACC = (q: number) => 6 + q;
const [WJ, D, T, R, Q, E, S, P1, BAD, BV] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
const LOCALS: [number, number][] = [[6, I32], [14, V128]];

/**
 * Loops over groups of LANES rows from x (param 0; n = param 1, a multiple of LANES; w = param
 * 2, the intercept splat in local BV): the four accumulators hold the group's decision values
 * (lanes: rows i + 2q, i + 2q + 1), then `finish(q)` runs for each, with O8 = i·8 and O16 = i·16
 * (`l` is the first local's index, after the params).
 */
function rowGroups(p: number, l: number, finish: (q: number) => number[]): number[] {
  const rowBytes = p * 8;
  const L = (k: number) => l + k;
  return [
    ...i32c(0), ...set(L(I)),
    ...get(0), ...set(L(XR)),
    ...BLOCK,
    ...get(L(I)), ...get(1), GE_S, ...BR_IF(0),
    ...LOOP,
    ...[0, 1, 2, 3].flatMap((q) => [...get(L(BV)), ...set(L(ACC(q)))]),
    ...i32c(0), ...set(L(JO)),
    ...LOOP,
    ...get(L(XR)), ...get(L(JO)), ADD, ...set(L(XA)),
    ...get(2), ...get(L(JO)), ADD, ...V128_LOAD64_SPLAT(0), ...set(L(WJ)),
    ...[0, 1, 2, 3].flatMap((q) => [
      ...get(L(ACC(q))),
      ...get(L(XA)), ...get(L(XA)), ...V128_LOAD64_ZERO(2 * q * rowBytes), ...V128_LOAD64_LANE((2 * q + 1) * rowBytes, 1),
      ...get(L(WJ)), ...F64X2_MUL, ...F64X2_ADD, ...set(L(ACC(q))),
    ]),
    ...get(L(JO)), ...i32c(8), ADD, ...set(L(JO)),
    ...get(L(JO)), ...i32c(rowBytes), LT_S, ...BR_IF(0),
    END,
    ...get(L(I)), ...i32c(3), SHL, ...set(L(O8)),
    ...get(L(I)), ...i32c(4), SHL, ...set(L(O16)),
    ...[0, 1, 2, 3].flatMap(finish),
    ...get(L(XR)), ...i32c(LANES * rowBytes), ADD, ...set(L(XR)),
    ...get(L(I)), ...i32c(LANES), ADD, ...set(L(I)),
    ...get(L(I)), ...get(1), LT_S, ...BR_IF(0),
    END,
    END,
  ];
}

/** decision: params 0 x, 1 n, 2 w, 3 dec (byte offsets, i32), 4 b (f64); dec[i] = b + Σ x·w, row by row. */
function decisionBody(p: number): number[] {
  const L = (k: number) => 5 + k;
  const finish = (q: number) => [...get(3), ...get(L(O8)), ADD, ...get(L(ACC(q))), ...V128_STORE(16 * q)];
  return body(LOCALS, [...get(4), ...simd(0x14), ...set(L(BV)), ...rowGroups(p, 5, finish)]);
}

/**
 * binary: params 0 x, 1 n, 2 w, 3 dec, 4 lab, 5 proba (byte offsets, i32), 6 b (f64). Returns 1
 * when a row needs Math.exp (|d| > EXP_RANGE or NaN).
 */
function binaryBody(p: number): number[] {
  const L = (k: number) => 7 + k;
  const [d, t, r, q, e, s, p1, bad] = [D, T, R, Q, E, S, P1, BAD].map(L);
  const [o8, o16] = [L(O8), L(O16)];
  // One vector of two rows' decision values (rows i + 2·slot, + 1) → dec, lab, proba.
  const finish = (slot: number) => [
    ...get(L(ACC(slot))), ...set(d),
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
    ...get(6), ...simd(0x14), ...set(L(BV)), // f64x2.splat
    ...f64x2c(0), ...set(bad),
    ...rowGroups(p, 7, finish),
    ...get(bad), ...V128_ANY_TRUE,
  ];
  return body(LOCALS, code);
}

function factorial(m: number): number {
  let f = 1;
  for (let k = 2; k <= m; k++) f *= k;
  return f;
}

const kernels = new Map<number, Kernel | null>();

/** The kernels for `p` features with their own memory, or null (no WebAssembly SIMD, too many widths, p = 0 or too wide). */
function logisticKernel(p: number): Kernel | null {
  if (kernels.has(p)) return kernels.get(p)!;
  if (!wasm || p < 1 || p > MAX_FEATURES || kernels.size >= MAX_MODULES) return null;
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
    const types = [funcType([I32, I32, I32, I32, I32, I32, F64], [I32]), funcType([I32, I32, I32, I32, F64], [])];
    const bytes = moduleOf(types, [0x00, ...uleb(1)], [0, 1], ['binary', 'decision'], [binaryBody(p), decisionBody(p)]);
    const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
    const { binary, decision } = instance.exports as Pick<Kernel, 'binary' | 'decision'>;
    kernel = { memory, binary, decision, rows, w, x, dec, lab, proba };
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
    const outOfRange = k.binary(k.x, padded, k.w, k.dec, k.lab, k.proba, intercept);
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

/**
 * n × k decision values X·coefᵀ + intercept (coef k × p row-major, k = intercept.length), bit for
 * bit linearDecision's JavaScript sums, or null where the kernel is not available. Each block of
 * rows is copied in once and serves every class.
 */
export function linearDecisionKernel(coef: Float64Array, intercept: Float64Array, X: Float64Array, rows: number, p: number): Float64Array | null {
  const k = rows > 0 ? logisticKernel(p) : null;
  if (!k) return null;
  const kk = intercept.length;
  const f64 = new Float64Array(k.memory.buffer);
  const dec = f64.subarray(k.dec / 8, k.dec / 8 + k.rows);
  const out = new Float64Array(rows * kk);
  for (let start = 0; start < rows; start += k.rows) {
    const m = Math.min(k.rows, rows - start);
    const padded = Math.ceil(m / LANES) * LANES;
    f64.set(X.subarray(start * p, (start + m) * p), k.x / 8);
    if (padded > m) f64.fill(0, k.x / 8 + m * p, k.x / 8 + padded * p);
    for (let c = 0; c < kk; c++) {
      f64.set(coef.subarray(c * p, c * p + p), k.w / 8);
      k.decision(k.x, padded, k.w, k.dec, intercept[c]);
      if (kk === 1) out.set(dec.subarray(0, m), start);
      else for (let i = 0; i < m; i++) out[(start + i) * kk + c] = dec[i];
    }
  }
  return out;
}
