import { describe, expect, it } from 'vitest';
import { SPLIT_IO, STRIDE, bestSplit } from '../../../../core/ml/learners/tree/hist-split.ts';
import { kernelMemory, loadTreeKernels } from '../../../../core/ml/learners/tree/tree-kernels.ts';
import { Rng } from '../../../../core/spec/random.ts';

/** Histograms of random rows (float32 gradients and hessians, as the grower keeps them), 9 features. */
const COLS = 9;

describe('the bestSplit kernel', () => {
  it('finds the split the JavaScript scan finds, every output bit for bit (missing values both ways, ties, limits)', () => {
    const memory = kernelMemory(64);
    const k = loadTreeKernels(memory);
    expect(k, 'WebAssembly kernels load here').not.toBeNull();
    const [histAt, nbAt, hmAt, ioAt] = [0, COLS * STRIDE * 8, COLS * STRIDE * 8 + 64, COLS * STRIDE * 8 + 128];
    const hist = new Float64Array(memory.buffer, histAt, COLS * STRIDE);
    const nb = new Int32Array(memory.buffer, nbAt, COLS);
    const hm = new Uint8Array(memory.buffer, hmAt, COLS);
    const io = new Float64Array(memory.buffer, ioAt, SPLIT_IO);
    const rng = new Rng(12);
    const seen = { none: 0, missingLeft: 0, missingRight: 0, tiedFirst: 0 };
    for (let t = 0; t < 2000; t++) {
      hist.fill(0);
      for (let f = 0; f < COLS; f++) {
        nb[f] = 1 + Math.floor(rng.next() * (t % 3 === 0 ? 6 : 255));
        hm[f] = rng.next() < 0.4 ? 1 : 0;
      }
      // Feature 8 repeats feature 2 (same bins, same missing values): every gain ties, the first feature wins.
      nb[8] = nb[2];
      hm[8] = hm[2];
      const rows = 40 + Math.floor(rng.next() * 400);
      let [G, H] = [0, 0];
      for (let i = 0; i < rows; i++) {
        const g = Math.fround(rng.next() - 0.5);
        const h = Math.fround(t % 5 === 0 ? 0.25 : rng.next() * 0.3);
        G += g;
        H += h;
        for (let f = 0; f < 8; f++) {
          const b = hm[f] === 1 && rng.next() < 0.15 ? nb[f] : Math.floor(rng.next() * nb[f]);
          const s = f * STRIDE + 3 * b;
          hist[s] += g;
          hist[s + 1] += h;
          hist[s + 2] += 1;
        }
      }
      hist.copyWithin(8 * STRIDE, 2 * STRIDE, 3 * STRIDE);
      // rows, G, H, value, min_samples_leaf, min hessian, l2 (some splits fail each limit)
      const inputs = [rows, G, H, rng.next() - 0.5, t % 7 === 0 ? 1 : t % 11 === 0 ? 150 : 20, t % 13 === 0 ? 30 : 1e-3, t % 4 === 0 ? 0 : 0.5];
      const js = new Float64Array(SPLIT_IO);
      js.set(inputs);
      io.fill(0);
      io.set(inputs);
      bestSplit(hist, nb, hm, COLS, js, 0);
      k!.bestSplit(histAt, nbAt, hmAt, COLS, ioAt);
      expect(Array.from(io.subarray(8, 15)), `case ${t}`).toEqual(Array.from(js.subarray(8, 15)));
      if (js[9] < 0) seen.none++;
      else if (js[11] === 1) seen.missingLeft++;
      else seen.missingRight++;
      if (js[9] === 2) seen.tiedFirst++;
    }
    // The cases reach every outcome.
    expect(Math.min(seen.none, seen.missingLeft, seen.missingRight, seen.tiedFirst)).toBeGreaterThan(20);
  });
});
