/**
 * The log-loss gradient kernel of the histogram grower (tree-kernels.ts puts it in the module):
 * hist-helper.ts's logLossRows, two rows per instruction, with Math.exp written out.
 *
 * Math.exp in V8 is fdlibm's __ieee754_exp (V8's base/ieee754.cc); a third of a fit's CPU time
 * on 100k rows went to it, most of that the call itself. The kernel computes fdlibm's own steps
 * (argument reduction k·ln2 in two parts, the degree-5 polynomial, the scaling by 2^k) for
 * |z| ≤ 708 without branches: each of fdlibm's cases is computed and the lane's one selected, so
 * the result is Math.exp's bit for bit (tests compare them on millions of values and on every
 * boundary). Rows with |z| > 708 or NaN (where fdlibm takes its subnormal and overflow paths)
 * are not handled: the kernel reports them and the caller redoes the range with logLossRows.
 *
 * Then, as logLossRows: p = (z ≥ 0 ? 1 : e) / (1 + e) with e = exp(−|z|), g = w·(p − y),
 * h = w·p·(1 − p), each stored as float32 (round to nearest, as a typed-array store).
 */

import {
  ADD, AND, BLOCK, BR_IF, END, GE_S, I32, LOOP, LT_S, SHL, SUB, V128, V128_LOAD, V128_STORE, f64x2c, get, i32c, set, simd, tee, uleb, vec,
} from '../wasm/encoder.ts';

const F64X2_LT = simd(0x49);
const F64X2_LE = simd(0x4b);
const F64X2_GE = simd(0x4c);
const F64X2_ABS = simd(0xec);
const F64X2_NEG = simd(0xed);
const F64X2_ADD = simd(0xf0);
const F64X2_SUB = simd(0xf1);
const F64X2_MUL = simd(0xf2);
const F64X2_DIV = simd(0xf3);
const F64X2_TRUNC = simd(0x7a);
const I64X2_SHL = simd(0xcb);
const V128_NOT = simd(0x4d);
const V128_OR = simd(0x50);
const V128_BITSELECT = simd(0x52);
const V128_ANY_TRUE = simd(0x53);
const F32X4_DEMOTE_F64X2_ZERO = simd(0x5e);
/** [g0, g1, 0, 0] and [h0, h1, 0, 0] as f32 lanes → [g0, h0, g1, h1]: two rows of the (g, h) layout. */
const INTERLEAVE_F32 = [...simd(0x0d), 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23];

/** The double whose high word is `hi` and low word 0 (fdlibm compares |x|'s high word with these). */
function fromHighWord(hi: number): number {
  const d = new Float64Array(1);
  new Uint32Array(d.buffer)[1] = hi;
  return d[0];
}

// fdlibm e_exp.c's constants.
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const P = [1.66666666666666019037e-1, -2.77777777770155933842e-3, 6.61375632143793436117e-5, -1.65339022054652515390e-6, 4.13813679705723846039e-8];
/** |x| below: exp(x) = 1 + x (high word < 0x3E300000, |x| < 2^-28). */
const TINY = fromHighWord(0x3e300000);
/** |x| below: no argument reduction, k = 0 (high word ≤ 0x3FD62E42, about 0.5·ln2). */
const HALF_LN2 = fromHighWord(0x3fd62e43);
/** |x| below: k = ±1 (high word < 0x3FF0A2B2, about 1.5·ln2). */
const ONE_AND_HALF_LN2 = fromHighWord(0x3ff0a2b2);
/** Largest |z| the kernel computes: 2^k stays normal (k ≥ −1021), fdlibm's simple scaling. */
export const LOG_LOSS_KERNEL_MAX_ABS = 708;

/**
 * Code leaving exp(x) in local `e` for both lanes, x = −|z| in local `x` and |z| in `ax`, |z| ≤ 708
 * (other locals are scratch v128s): fdlibm's steps, every case computed and the lane's selected.
 */
function expNegAbs(ax: number, x: number, kf: number, hi: number, lo: number, xr: number, t: number, c: number, q: number, e: number): number[] {
  const below = (limit: number) => [...get(ax), ...f64x2c(limit), ...F64X2_LT];
  // c = xr − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))), as fdlibm nests it.
  const polyCode = [
    ...get(xr),
    ...get(t), ...f64x2c(P[0]),
    ...get(t), ...f64x2c(P[1]),
    ...get(t), ...f64x2c(P[2]),
    ...get(t), ...f64x2c(P[3]),
    ...get(t), ...f64x2c(P[4]), ...F64X2_MUL, ...F64X2_ADD, // P4 + t·P5
    ...F64X2_MUL, ...F64X2_ADD, // P3 + t·(…)
    ...F64X2_MUL, ...F64X2_ADD, // P2 + t·(…)
    ...F64X2_MUL, ...F64X2_ADD, // P1 + t·(…)
    ...F64X2_MUL, ...F64X2_SUB, // xr − t·(…)
    ...set(c),
  ];
  return [
    // k = (int)(invln2·x − 0.5) (x ≤ 0), or −1 below 1.5·ln2; t·ln2HI is exact, hi − lo the reduced x.
    ...f64x2c(-1),
    ...f64x2c(INV_LN2), ...get(x), ...F64X2_MUL, ...f64x2c(-0.5), ...F64X2_ADD, ...F64X2_TRUNC,
    ...below(ONE_AND_HALF_LN2), ...V128_BITSELECT, ...set(kf),
    ...get(x), ...get(kf), ...f64x2c(LN2_HI), ...F64X2_MUL, ...F64X2_SUB, ...set(hi),
    ...get(kf), ...f64x2c(LN2_LO), ...F64X2_MUL, ...set(lo),
    ...get(x), ...get(hi), ...get(lo), ...F64X2_SUB, ...below(HALF_LN2), ...V128_BITSELECT, ...tee(xr),
    ...get(xr), ...F64X2_MUL, ...set(t),
    ...polyCode,
    // q = xr·c / (2 − c); k = 0: 1 − (xr·c/(c − 2) − xr) = 1 + (q + xr) exactly (IEEE's sign symmetry).
    ...get(xr), ...get(c), ...F64X2_MUL, ...f64x2c(2), ...get(c), ...F64X2_SUB, ...F64X2_DIV, ...set(q),
    // e = |x| < 2^-28 ? 1 + x : k = 0 ? 1 + (q + xr) : (1 − ((lo − q) − hi))·2^k
    ...f64x2c(1), ...get(x), ...F64X2_ADD,
    ...f64x2c(1), ...get(q), ...get(xr), ...F64X2_ADD, ...F64X2_ADD,
    ...f64x2c(1), ...get(lo), ...get(q), ...F64X2_SUB, ...get(hi), ...F64X2_SUB, ...F64X2_SUB,
    // 2^k: k + 2^52 + 1023 holds k + 1023 in its low mantissa bits; shifted into the exponent.
    ...get(kf), ...f64x2c(2 ** 52 + 1023), ...F64X2_ADD, ...i32c(52), ...I64X2_SHL, ...F64X2_MUL,
    ...below(HALF_LN2), ...V128_BITSELECT,
    ...below(TINY), ...V128_BITSELECT, ...set(e),
  ];
}

/**
 * logLoss(raw, y, w, gh, from, to) → 1 when some row of the pairs done has |z| > 708 or NaN (the
 * caller redoes the range), else 0. Does rows from, from + 2, … in pairs while a whole pair fits
 * before `to`: an odd last row is the caller's. Byte offsets: raw, y, w f64 per row, gh two f32 per row.
 */
export function logLossBody(): number[] {
  // params: 0 raw, 1 y, 2 w, 3 gh, 4 from, 5 to; locals: 6 i, 7 o (byte offset 8·i), 8 end (i32);
  // v128: 9 z, 10 ax, 11 x, 12 kf, 13 hi, 14 lo, 15 xr, 16 t, 17 c, 18 q, 19 e, 20 p, 21 w, 22 bad.
  const [i, o, end, z, ax, x, kf, hi, lo, xr, t, c, q, e, p, w, bad] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
  const at = (base: number) => [...get(base), ...get(o), ADD];
  const expCode = expNegAbs(ax, x, kf, hi, lo, xr, t, c, q, e);
  const code = [
    ...f64x2c(0), ...set(bad),
    ...get(4), ...set(i),
    // end = from + ((to − from) & ~1)
    ...get(4), ...get(5), ...get(4), SUB, ...i32c(-2), AND, ADD, ...set(end),
    ...BLOCK,
    ...get(i), ...get(end), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(i), ...i32c(3), SHL, ...set(o),
    ...at(0), ...V128_LOAD(), ...tee(z), ...F64X2_ABS, ...tee(ax), ...F64X2_NEG, ...set(x),
    // bad |= !(|z| ≤ 708): also true for NaN.
    ...get(bad), ...get(ax), ...f64x2c(LOG_LOSS_KERNEL_MAX_ABS), ...F64X2_LE, ...V128_NOT, ...V128_OR, ...set(bad),
    ...expCode,
    // p = (z ≥ 0 ? 1 : e) / (1 + e)
    ...f64x2c(1), ...get(e), ...get(z), ...f64x2c(0), ...F64X2_GE, ...V128_BITSELECT,
    ...f64x2c(1), ...get(e), ...F64X2_ADD, ...F64X2_DIV, ...set(p),
    ...at(2), ...V128_LOAD(), ...set(w),
    // gh: [g0, h0, g1, h1] as f32, g = w·(p − y), h = (w·p)·(1 − p)
    ...at(3), // gh + 8i: two (g, h) f32 pairs are 16 bytes, rows i and i + 1
    ...get(w), ...get(p), ...at(1), ...V128_LOAD(), ...F64X2_SUB, ...F64X2_MUL, ...F32X4_DEMOTE_F64X2_ZERO,
    ...get(w), ...get(p), ...F64X2_MUL, ...f64x2c(1), ...get(p), ...F64X2_SUB, ...F64X2_MUL, ...F32X4_DEMOTE_F64X2_ZERO,
    ...INTERLEAVE_F32, ...V128_STORE(),
    ...get(i), ...i32c(2), ADD, ...tee(i), ...get(end), LT_S, ...BR_IF(0),
    END,
    END,
    ...get(bad), ...V128_ANY_TRUE,
  ];
  return [...vec([[...uleb(3), I32], [...uleb(14), V128]]), ...code, END];
}

/**
 * expNegAbs(at, n): the doubles at[0..n) (n even) replaced by exp(−|v|), |v| ≤ 708: the exp of
 * the logLoss kernel alone, so tests can hold it to Math.exp bit for bit in doubles.
 */
export function expNegAbsBody(): number[] {
  // params: 0 at, 1 n; locals: 2 p, 3 end (i32); v128: 4 ax, 5 x, 6 kf, 7 hi, 8 lo, 9 xr, 10 t, 11 c, 12 q, 13 e
  const code = [
    ...get(0), ...tee(2), ...get(1), ...i32c(3), SHL, ADD, ...set(3),
    ...BLOCK,
    ...get(2), ...get(3), GE_S, ...BR_IF(0),
    ...LOOP,
    ...get(2), ...V128_LOAD(), ...F64X2_ABS, ...tee(4), ...F64X2_NEG, ...set(5),
    ...expNegAbs(4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
    ...get(2), ...get(13), ...V128_STORE(),
    ...get(2), ...i32c(16), ADD, ...tee(2), ...get(3), LT_S, ...BR_IF(0),
    END,
    END,
  ];
  return [...vec([[...uleb(2), I32], [...uleb(10), V128]]), ...code, END];
}
