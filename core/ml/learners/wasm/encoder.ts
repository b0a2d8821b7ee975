/**
 * A minimal WebAssembly encoder for the hand-assembled kernels (tree-kernels.ts,
 * linear-kernels.ts): LEB128 numbers, sections, the instructions the kernels use, and the little
 * of the WebAssembly API they call. Kernels are built as byte arrays at run time, so the
 * repository holds no binary and no build step: what a kernel computes reads from its source.
 */

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

export const get = (i: number) => [0x20, ...uleb(i)];
export const set = (i: number) => [0x21, ...uleb(i)];
export const tee = (i: number) => [0x22, ...uleb(i)];
export const i32c = (n: number) => [0x41, ...sleb(n)];
/** f64.const n (little-endian IEEE bits). */
export const f64c = (n: number) => [0x44, ...new Uint8Array(Float64Array.of(n).buffer)];
export const mem = (op: number, align: number, offset = 0) => [op, align, ...uleb(offset)];
export const I32_LOAD = (off = 0) => mem(0x28, 2, off);
export const I32_STORE = mem(0x36, 2);
export const U8_LOAD = mem(0x2d, 0);
export const F64_LOAD = (off: number) => mem(0x2b, 3, off);
export const F64_STORE = (off: number) => mem(0x39, 3, off);

/** A SIMD instruction (prefix 0xfd, LEB128 opcode). */
export const simd = (op: number) => [0xfd, ...uleb(op)];
export const V128_LOAD = (off = 0) => [...simd(0x00), 3, ...uleb(off)];
export const V128_STORE = (off = 0) => [...simd(0x0b), 3, ...uleb(off)];
/** v128.const of two doubles. */
export const f64x2c = (a: number, b = a) => [...simd(0x0c), ...new Uint8Array(Float64Array.of(a, b).buffer)];
/** Loads 8 bytes into the low half of a v128 (high half zero). */
export const V128_LOAD64_ZERO = (off = 0) => [...simd(0x5d), 3, ...uleb(off)];
/** Loads 8 bytes into one 64-bit lane of the v128 on the stack: [address, v128] → v128. */
export const V128_LOAD64_LANE = (off: number, lane: number) => [...simd(0x57), 3, ...uleb(off), lane];
/** Loads one double into both lanes. */
export const V128_LOAD64_SPLAT = (off = 0) => [...simd(0x0a), 3, ...uleb(off)];
/** The low two f32 lanes widened to an f64x2 (exact). */
export const F64X2_PROMOTE_LOW_F32X4 = simd(0x5f);
export const I8X16_SHUFFLE = (lanes: number[]) => [...simd(0x0d), ...lanes];
/** [a, b] → (a's 64-bit lane `lane`, b's lane `lane`): interleaves two f64x2 vectors. */
export const INTERLEAVE_LANE = (lane: number) => I8X16_SHUFFLE([...Array.from({ length: 8 }, (_, i) => lane * 8 + i), ...Array.from({ length: 8 }, (_, i) => 16 + lane * 8 + i)]);
export const V128_AND = simd(0x4e);
export const V128_OR = simd(0x50);
export const V128_NOT = simd(0x4d);
export const V128_ANY_TRUE = simd(0x53);
export const F64X2_GT = simd(0x4a);
export const F64X2_LE = simd(0x4b);
export const F64X2_GE = simd(0x4c);
export const F64X2_ABS = simd(0xec);
export const F64X2_NEG = simd(0xed);
export const F64X2_ADD = simd(0xf0);
export const F64X2_SUB = simd(0xf1);
export const F64X2_MUL = simd(0xf2);
export const F64X2_DIV = simd(0xf3);
export const I64X2_SHL = simd(0xcb);

/** memory.fill (bulk memory): dest, value, byte count. */
export const MEMORY_FILL = [0xfc, 0x0b, 0x00];
export const [ADD, SUB, MUL, AND, OR, SHL, F64ADD, F64MUL] = [0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x74, 0xa0, 0xa2];
export const [LE_S_, GT_S] = [0x4c, 0x4a];
export const [EQ, NE, LT_S, GE_S, LE_U, XOR, F64_NE, F64_GT] = [0x46, 0x47, 0x48, 0x4e, 0x4d, 0x73, 0x62, 0x64];
export const BLOCK = [0x02, 0x40];
export const LOOP = [0x03, 0x40];
export const END = 0x0b;
export const BR_IF = (l: number) => [0x0d, l];

/** A function body: its locals as [count, type] runs, then its code, then END. */
export const body = (locals: [number, number][], code: number[]): number[] => [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code, END];

/**
 * A module importing `env.memory` (limits: [0x00, initial pages] or, shared, [0x03, initial,
 * maximum]) with one function per body, function i of type types[funcTypes[i]], exported by
 * the names given.
 */
export function moduleOf(types: number[][], memoryLimits: number[], funcTypes: number[], exports: string[], bodies: number[][]): Uint8Array {
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...memoryLimits]]);
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcTypes.map((t) => [t]))),
    ...section(7, vec(exports.map((e, i) => [...name(e), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies.map((b) => [...uleb(b.length), ...b]))),
  ]);
}
/** A function type: params → results. */
export const funcType = (params: number[], results: number[]) => [0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))];

/** The little of the WebAssembly API used here (the Node type-check config has no DOM lib). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => KernelMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
/** The engine's WebAssembly, or undefined where there is none. */
export const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

export const PAGE_BYTES = 65536;
