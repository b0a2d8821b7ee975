import { describe, expect, it } from 'vitest';
import { STRIDE, subtractHistogram } from '../../../../core/ml/learners/tree/hist-split.ts';
import { FEATURE_BYTES, kernelMemory, loadTreeKernels } from '../../../../core/ml/learners/tree/tree-kernels.ts';
import { Rng } from '../../../../core/spec/random.ts';

/**
 * The histogram grower's SIMD kernels give the JavaScript loops' doubles bit for bit: the
 * sibling subtraction and the gradient/hessian sums (two doubles per instruction, the same
 * operations in the same order per double).
 */
describe('histogram kernels', () => {
  const memory = kernelMemory(64);
  const k = loadTreeKernels(memory);

  it('are available here (Node has WebAssembly SIMD), so the SIMD path is the one tested', () => {
    expect(k).not.toBeNull();
  });

  it('subtract a child histogram from its parent as the JavaScript loop does, touching no slot a feature reads beyond its bins', () => {
    const cols = 6;
    // Odd and even slot counts, a single bin, the full 255 + missing.
    const nbs = [1, 2, 7, 100, 254, 255];
    const nbAt = 0;
    const aAt = 1024;
    const bAt = aAt + cols * FEATURE_BYTES;
    const nb = new Int32Array(memory.buffer, nbAt, cols);
    nb.set(nbs);
    const a = new Float64Array(memory.buffer, aAt, cols * STRIDE);
    const b = new Float64Array(memory.buffer, bAt, cols * STRIDE);
    const rng = new Rng(3);
    for (let i = 0; i < a.length; i++) {
      // Magnitudes far apart, so any other operation or order would round differently.
      a[i] = (rng.normal() * 1e8) / 3;
      b[i] = rng.normal() / 7;
    }
    const expected = a.slice();
    subtractHistogram(expected, b, nb, cols);
    const before = a.slice();
    k!.subtract(aAt, bAt, nbAt, cols);
    for (let f = 0; f < cols; f++) {
      const used = 3 * (nbs[f] + 1);
      const o = f * STRIDE;
      expect(Array.from(a.subarray(o, o + used))).toEqual(Array.from(expected.subarray(o, o + used)));
      // Past the slots in use: at most one double (the 16-byte step) changes, and the next feature's are untouched.
      for (let s = o + used + 1; s < o + STRIDE; s++) expect(a[s]).toBe(before[s]);
    }
  });

  it('sum float32 (g, h) pairs as doubles in row order, as the JavaScript loop does', () => {
    for (const rows of [0, 1, 2, 3, 1001]) {
      const gh = new Float32Array(memory.buffer, 0, 2 * rows);
      const rng = new Rng(rows);
      for (let i = 0; i < 2 * rows; i++) gh[i] = rng.normal() * (i % 3 === 0 ? 1e6 : 1e-3);
      let G = 0;
      let H = 0;
      for (let i = 0; i < rows; i++) {
        G += gh[2 * i];
        H += gh[2 * i + 1];
      }
      const outAt = 16 * Math.ceil((rows * 8 + 16) / 16);
      k!.sumPairs(0, rows, outAt);
      const out = new Float64Array(memory.buffer, outAt, 2);
      expect([out[0], out[1]]).toEqual([G, H]);
    }
  });
});
