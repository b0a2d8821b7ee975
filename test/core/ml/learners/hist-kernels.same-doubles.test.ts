import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper } from '../../../../core/ml/learners/tree/binning.ts';
import { logLossRows } from '../../../../core/ml/learners/tree/hist-helper.ts';
import { histAllJs, histRowsJs } from '../../../../core/ml/learners/tree/hist-loops-js.ts';
import { HistGrower } from '../../../../core/ml/learners/tree/hist-grower.ts';
import { STRIDE, subtractHistogram } from '../../../../core/ml/learners/tree/hist-split.ts';
import { FEATURE_BYTES, kernelMemory, loadTreeKernels } from '../../../../core/ml/learners/tree/tree-kernels.ts';
import { Rng } from '../../../../core/spec/random.ts';

/**
 * The histogram grower's SIMD kernels give the JavaScript loops' numbers bit for bit: the
 * sibling subtraction and the gradient/hessian sums (two doubles per instruction, the same
 * operations in the same order per double), and the log-loss gradients, whose kernel computes
 * Math.exp itself (fdlibm's steps, as V8's Math.exp).
 */
describe('histogram kernels', () => {
  const memory = kernelMemory(64);
  const k = loadTreeKernels(memory);

  it('are available here (Node has WebAssembly SIMD), so the SIMD path is the one tested', () => {
    expect(k).not.toBeNull();
  });

  it('build histograms as the JavaScript loops do for every feature count from 1 to 9 (four features a step, then one by one)', () => {
    const rows = 500;
    const rng = new Rng(4);
    for (let cols = 1; cols <= 9; cols++) {
      const [ghAt, idxAt, binsAt, histAt] = [0, 8 * rows, 12 * rows, 16 * Math.ceil((12 * rows + rows * cols) / 16)];
      const gh = new Float32Array(memory.buffer, ghAt, 2 * rows);
      const idx = new Int32Array(memory.buffer, idxAt, rows);
      const bins = new Uint8Array(memory.buffer, binsAt, rows * cols);
      const hist = new Float64Array(memory.buffer, histAt, cols * STRIDE);
      for (let i = 0; i < 2 * rows; i++) gh[i] = rng.normal() * 1e3;
      for (let i = 0; i < rows * cols; i++) bins[i] = Math.floor(rng.next() * 256);
      // A subset of the rows in a scrambled order, as a node's.
      for (let i = 0; i < rows; i++) idx[i] = (i * 7919) % rows;
      const expected = new Float64Array(cols * STRIDE);
      histRowsJs(expected, bins, idx, gh, 50, 450, cols);
      hist.fill(-1);
      k!.histRows(histAt, binsAt, idxAt, ghAt, 50, 450, cols, cols);
      expect(Array.from(hist)).toEqual(Array.from(expected));
      const all = expected.map((_, i) => i % 3);
      hist.set(all);
      histAllJs(all, bins, gh, rows, cols);
      k!.histAll(histAt, binsAt, ghAt, rows, cols, cols);
      expect(Array.from(hist)).toEqual(Array.from(all));
    }
  });

  it('add each row\'s leaf value to its raw score once, in two halves of the positions as in one pass', () => {
    const rows = 1001;
    const rng = new Rng(8);
    const [rawAt, idxAt, leafAt] = [0, 8 * rows, 8 * rows + 4 * rows + 4];
    const raw = new Float64Array(memory.buffer, rawAt, rows);
    const idx = new Int32Array(memory.buffer, idxAt, rows);
    const stops = [0, 3, 4, 400, 500, 501, 777, rows]; // leaves of 3, 1, 396, 100, 1, 276 and 224 positions
    const nLeaves = stops.length - 1;
    const leaf = new Float64Array(memory.buffer, leafAt, 3 * nLeaves);
    for (let j = 0; j < nLeaves; j++) leaf.set([stops[j], stops[j + 1], rng.normal() / 3], 3 * j);
    for (let i = 0; i < rows; i++) idx[i] = (i * 389) % rows;
    for (let i = 0; i < rows; i++) raw[i] = rng.normal() * 1e5;
    const expected = raw.slice();
    for (let j = 0; j < nLeaves; j++) for (let i = stops[j]; i < stops[j + 1]; i++) expected[idx[i]] += leaf[3 * j + 2];
    // Halves that cut through a leaf (500 is inside none, 501 right after one of 1).
    k!.addLeaves(rawAt, idxAt, leafAt, nLeaves, 0, 450);
    k!.addLeaves(rawAt, idxAt, leafAt, nLeaves, 450, rows);
    expect(Array.from(raw)).toEqual(Array.from(expected));
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

  /** Doubles `ulps` steps of the bit pattern away from positive v (−5..5 around each). */
  const around = (v: number): number[] => {
    const out: number[] = [];
    const d = new Float64Array(1);
    const bits = new BigInt64Array(d.buffer);
    for (let u = -5; u <= 5; u++) {
      d[0] = v;
      bits[0] += BigInt(u);
      out.push(d[0], -d[0]);
    }
    return out;
  };
  const highWord = (hi: number) => new Float64Array(new Uint32Array([0, hi]).buffer)[0];

  it('compute exp(−|v|) as Math.exp does, bit for bit in doubles, across every case of fdlibm\'s exp and its boundaries', () => {
    const edges = [0, 2 ** -28, highWord(0x3fd62e43), 0.5 * Math.LN2, highWord(0x3ff0a2b2), 1.5 * Math.LN2, 1, 2, 10, 100, 700, 708].flatMap(around).filter((v) => Math.abs(v) <= 708);
    const rng = new Rng(9);
    const values = [...edges];
    for (const scale of [1e-9, 0.3, 1, 3, 30, 708]) for (let i = 0; i < 50_000; i++) values.push((2 * rng.next() - 1) * scale);
    if (values.length % 2) values.push(0.25);
    const mem = kernelMemory(Math.ceil((values.length * 8) / 65536) + 1);
    const kk = loadTreeKernels(mem)!;
    const at = new Float64Array(mem.buffer, 0, values.length);
    at.set(values);
    kk.expNegAbs(0, values.length);
    let differ = 0;
    for (let i = 0; i < values.length; i++) if (!Object.is(at[i], Math.exp(-Math.abs(values[i])))) differ++;
    expect(differ).toBe(0);
  });

  it('compute log-loss gradients and hessians as logLossRows does, Math.exp included, across every case of fdlibm\'s exp and its boundaries', () => {
    // fdlibm's cases: |x| < 2^-28, ≤ 0.5·ln2 (no reduction), < 1.5·ln2 (k = ±1), beyond (k from x / ln2), up to 708.
    const edges = [0, 2 ** -28, highWord(0x3fd62e43), 0.5 * Math.LN2, highWord(0x3ff0a2b2), 1.5 * Math.LN2, 1, 2, 10, 100, 700, 708].flatMap(around).filter((v) => Math.abs(v) <= 708);
    const rng = new Rng(7);
    const values = [...edges];
    for (const scale of [1e-9, 0.3, 1, 3, 30, 708]) for (let i = 0; i < 20_000; i++) values.push((2 * rng.next() - 1) * scale);
    values.push(0.5); // an odd count: the kernel leaves the last row to the caller
    const n = values.length;
    const mem = kernelMemory(Math.ceil((n * 40) / 65536) + 1);
    const kk = loadTreeKernels(mem)!;
    const [rawAt, yAt, wAt, ghAt] = [0, 8 * n, 16 * n, 24 * n];
    const raw = new Float64Array(mem.buffer, rawAt, n);
    const y = new Float64Array(mem.buffer, yAt, n);
    const w = new Float64Array(mem.buffer, wAt, n);
    const gh = new Float32Array(mem.buffer, ghAt, 2 * n);
    raw.set(values);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3 === 0 ? 1 : 0;
      w[i] = i % 5 === 0 ? 1 : 0.25 + 3 * rng.next();
    }
    const expected = new Float32Array(2 * n);
    logLossRows(raw, y, w, expected, 0, n);
    expect(kk.logLoss(rawAt, yAt, wAt, ghAt, 0, n)).toBe(0); // every value inside its range
    let differ = 0;
    for (let i = 0; i < 2 * (n - 1); i++) if (!Object.is(gh[i], expected[i])) differ++;
    expect(differ).toBe(0);
    // Past 708 (fdlibm's subnormal scaling) and NaN: reported for the caller to redo.
    for (const bad of [708.5, -709, 745, -1e4, Infinity, NaN]) {
      raw[0] = 0.1;
      raw[1] = bad;
      expect(kk.logLoss(rawAt, yAt, wAt, ghAt, 0, 2)).toBe(1);
    }
  });

  it('grow the same log-loss trees with the kernels as with the JavaScript loops, raw scores past the kernel\'s range included', () => {
    const rows = 4000;
    const cols = 5;
    const rng = new Rng(11);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    const X = { data, rows, cols };
    const mapper = fitBinMapper(X, 255, 0);
    const bins = binMatrix(X, mapper, true);
    const params = { maxLeafNodes: 31, maxDepth: 12, minSamplesLeaf: 5, l2: 0, minHessianToSplit: 1e-3, learningRate: 0.1, sideArrays: 3 };
    const growers = [new HistGrower({ bins, mapper }, rows, cols, params), new HistGrower({ bins, mapper }, rows, cols, { ...params, kernels: 'js' })];
    try {
      const trees = growers.map((g) => {
        const [raw, y, w] = [g.side(0), g.side(1), g.side(2)];
        for (let i = 0; i < rows; i++) {
          // Raw scores of every size, some beyond 708 (the rows the kernel hands back), odd row count per thread half.
          raw[i] = i % 97 === 0 ? 800 * (i % 2 ? 1 : -1) : data[i * cols] * 4;
          y[i] = data[i * cols] + 0.5 * data[i * cols + 1] > 0 ? 1 : 0;
          w[i] = 1;
        }
        return g.growLogLoss(raw, y, w);
      });
      expect(trees[0].feature.length).toBeGreaterThan(20);
      expect(trees[0]).toEqual(trees[1]);
    } finally {
      for (const g of growers) g.close();
    }
  });
});
