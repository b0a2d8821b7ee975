/**
 * The split scan of the histogram grower as a kernel (tree-kernels.ts puts it in the module):
 * hist-split.ts's bestSplit, the same scan written out in WebAssembly. Every double is computed
 * by the same operations in the same order (the running sums, G − G_L, the gain's two
 * subtractions, the comparisons, NaN included, which WebAssembly's f64 compares as JavaScript
 * does), and the first of equal gains wins, so it finds the same split, bit for bit (tests
 * compare them). The JavaScript function was a tenth of a fit's CPU on one thread.
 */

import {
  ADD, BLOCK, BR_IF, END, EQ, F64, F64ADD, F64MUL, F64X2_ADD, F64X2_DIV, F64X2_MUL, F64X2_NEG, F64_LOAD, F64_STORE, GE_S, I32, I32_LOAD, LOOP, LT_S, MUL, SUB, U8_LOAD, V128,
  f64c, f64x2c, get, i32c, set, simd, tee, uleb, vec,
} from '../wasm/encoder.ts';
import { STRIDE } from './hist-split.ts';

const F64SUB = 0xa1;
const F64X2_SPLAT = simd(0x14);
const F64X2_EXTRACT = (lane: number) => [...simd(0x21), lane];
const F64X2_REPLACE = (lane: number) => [...simd(0x22), lane];
const F64LT = 0x63;
const F64GT = 0x64;
const F64_FROM_I32 = 0xb7;
const IF = [0x04, 0x40];
const BR = (l: number) => [0x0c, l];

// params: 0 hist, 1 nb (i32 per feature), 2 hasMissing (u8 per feature), 3 cols, 4 io (byte offsets but cols)
const [HIST, NB, HM, COLS, IO] = [0, 1, 2, 3, 4];
// i32 locals
const [F, HO, NBF, MISSING, END_, B, S, BEST_F, BEST_B, BEST_ML] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
// f64 locals
const [N, G, H, MSL, MH, L2, PARENT, BEST_GAIN, BEST_GL, BEST_HL, BEST_NL, GL, HL, NL, GR, HR, NR, GAIN] = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32];
// v128 local
const V = 33;

/**
 * gain = parent − gl·(−gl / (hl + l2 + 1e-15)) − gr·(−gr / (hr + l2 + 1e-15)), as bestSplit's two
 * `gain -=`: the left and right terms in the two lanes of one vector, each lane the scalar
 * expression's operations (one division instruction for both: the scan waits on divisions).
 */
function gainOf(gl: number, hl: number, gr: number, hr: number): number[] {
  const pair = (a: number, b: number) => [...get(a), ...F64X2_SPLAT, ...get(b), ...F64X2_REPLACE(1)];
  return [
    ...get(PARENT),
    ...pair(gl, gr), ...tee(V), ...F64X2_NEG,
    ...pair(hl, hr), ...get(L2), ...F64X2_SPLAT, ...F64X2_ADD, ...f64x2c(1e-15), ...F64X2_ADD,
    ...F64X2_DIV, ...get(V), ...F64X2_MUL, ...tee(V),
    ...F64X2_EXTRACT(0), F64SUB,
    ...get(V), ...F64X2_EXTRACT(1), F64SUB,
    ...set(GAIN),
  ];
}

/** If gain > bestGain: the best becomes this one (bin B, missingLeft ml, left sums gl, hl, nl). */
function keepBest(ml: number, gl: number, hl: number, nl: number): number[] {
  return [
    ...get(GAIN), ...get(BEST_GAIN), F64GT, ...IF,
    ...get(GAIN), ...set(BEST_GAIN),
    ...get(F), ...set(BEST_F),
    ...get(B), ...set(BEST_B),
    ...i32c(ml), ...set(BEST_ML),
    ...get(gl), ...set(BEST_GL),
    ...get(hl), ...set(BEST_HL),
    ...get(nl), ...set(BEST_NL),
    END,
  ];
}

/** The body of TreeKernels.bestSplit(hist, nb, hasMissing, cols, io): hist-split.ts's bestSplit at io slot 0. */
export function bestSplitBody(): number[] {
  const zero = f64c(0);
  // Left to right, missing values right: bins 0 … end − 1 (end = nb − 1, or nb with missing values: all non-missing left).
  const forward = [
    ...zero, ...set(GL), ...zero, ...set(HL), ...zero, ...set(NL),
    ...get(NBF), ...i32c(1), SUB, ...get(MISSING), ADD, ...set(END_),
    ...i32c(0), ...set(B),
    ...BLOCK,
    ...LOOP,
    ...get(B), ...get(END_), GE_S, ...BR_IF(1),
    ...get(HO), ...get(B), ...i32c(24), MUL, ADD, ...set(S),
    ...get(GL), ...get(S), ...F64_LOAD(0), F64ADD, ...set(GL),
    ...get(HL), ...get(S), ...F64_LOAD(8), F64ADD, ...set(HL),
    ...get(NL), ...get(S), ...F64_LOAD(16), F64ADD, ...set(NL),
    ...BLOCK, // continue
    ...get(NL), ...get(MSL), F64LT, ...BR_IF(0),
    ...get(N), ...get(NL), F64SUB, ...get(MSL), F64LT, ...BR_IF(2),
    ...get(H), ...get(HL), F64SUB, ...set(HR),
    ...get(HL), ...get(MH), F64LT, ...BR_IF(0),
    ...get(HR), ...get(MH), F64LT, ...BR_IF(2),
    ...get(G), ...get(GL), F64SUB, ...set(GR),
    ...gainOf(GL, HL, GR, HR),
    ...keepBest(0, GL, HL, NL),
    END,
    ...get(B), ...i32c(1), ADD, ...set(B),
    ...BR(0),
    END,
    END,
  ];
  // Right to left, missing values left: bins nb − 2 … 0, the right side summing bins b + 1 ….
  const backward = [
    ...zero, ...set(GR), ...zero, ...set(HR), ...zero, ...set(NR),
    ...get(NBF), ...i32c(2), SUB, ...set(B),
    ...BLOCK,
    ...LOOP,
    ...get(B), ...i32c(0), LT_S, ...BR_IF(1),
    ...get(HO), ...get(B), ...i32c(1), ADD, ...i32c(24), MUL, ADD, ...set(S),
    ...get(GR), ...get(S), ...F64_LOAD(0), F64ADD, ...set(GR),
    ...get(HR), ...get(S), ...F64_LOAD(8), F64ADD, ...set(HR),
    ...get(NR), ...get(S), ...F64_LOAD(16), F64ADD, ...set(NR),
    ...BLOCK, // continue
    ...get(NR), ...get(MSL), F64LT, ...BR_IF(0),
    ...get(N), ...get(NR), F64SUB, ...tee(NL), ...get(MSL), F64LT, ...BR_IF(2),
    ...get(H), ...get(HR), F64SUB, ...set(HL),
    ...get(HR), ...get(MH), F64LT, ...BR_IF(0),
    ...get(HL), ...get(MH), F64LT, ...BR_IF(2),
    ...get(G), ...get(GR), F64SUB, ...set(GL),
    ...gainOf(GL, HL, GR, HR),
    ...keepBest(1, GL, HL, NL),
    END,
    ...get(B), ...i32c(1), SUB, ...set(B),
    ...BR(0),
    END,
    END,
  ];
  const code = [
    ...get(IO), ...F64_LOAD(0), ...set(N),
    ...get(IO), ...F64_LOAD(8), ...set(G),
    ...get(IO), ...F64_LOAD(16), ...set(H),
    ...get(IO), ...F64_LOAD(32), ...set(MSL),
    ...get(IO), ...F64_LOAD(40), ...set(MH),
    ...get(IO), ...F64_LOAD(48), ...set(L2),
    ...get(G), ...get(IO), ...F64_LOAD(24), F64MUL, ...set(PARENT),
    ...f64c(-1), ...set(BEST_GAIN),
    ...i32c(-1), ...set(BEST_F),
    ...i32c(0), ...set(F),
    ...BLOCK,
    ...LOOP,
    ...get(F), ...get(COLS), GE_S, ...BR_IF(1),
    ...get(HIST), ...get(F), ...i32c(STRIDE * 8), MUL, ADD, ...set(HO),
    ...get(NB), ...get(F), ...i32c(4), MUL, ADD, ...I32_LOAD(), ...set(NBF),
    ...get(HM), ...get(F), ADD, ...U8_LOAD, ...i32c(1), EQ, ...set(MISSING),
    ...forward,
    ...get(MISSING), ...IF,
    ...backward,
    END,
    ...get(F), ...i32c(1), ADD, ...set(F),
    ...BR(0),
    END,
    END,
    ...get(IO), ...get(BEST_GAIN), ...F64_STORE(64),
    ...get(IO), ...get(BEST_F), F64_FROM_I32, ...F64_STORE(72),
    ...get(IO), ...get(BEST_B), F64_FROM_I32, ...F64_STORE(80),
    ...get(IO), ...get(BEST_ML), F64_FROM_I32, ...F64_STORE(88),
    ...get(IO), ...get(BEST_GL), ...F64_STORE(96),
    ...get(IO), ...get(BEST_HL), ...F64_STORE(104),
    ...get(IO), ...get(BEST_NL), ...F64_STORE(112),
  ];
  return [...vec([[...uleb(10), I32], [...uleb(18), F64], [...uleb(1), V128]]), ...code, END];
}
