import { STRIDE } from './hist-split.ts';

/**
 * The JavaScript versions of the histogram grower's WebAssembly kernels (tree-kernels.ts), for
 * engines without WebAssembly SIMD and for tests (HistGrowerParams.kernels = 'js'). Same
 * arithmetic in the same order, so both give bit-identical trees (tests compare them). Layouts
 * as the kernels': gh holds (gradient, hessian) float32 pairs per row; rowBins is row-major
 * (rows × cols); a feature's histogram spans STRIDE doubles of (gradient, hessian, count) per bin.
 */

/** Adds every row's (g, h) pair into `hist`, counts excluded (the caller presets them). */
export function histAllJs(hist: Float64Array, rowBins: Uint8Array, gh: Float32Array, rows: number, cols: number): void {
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    const gr = gh[2 * r];
    const hr = gh[2 * r + 1];
    for (let f = 0, ho = 0; f < cols; f++, ho += STRIDE) {
      const b = ho + 3 * rowBins[base + f];
      hist[b] += gr;
      hist[b + 1] += hr;
    }
  }
}

/** Zeroes `hist`, then adds rows idx[start, stop): (g, h) pair and count + 1 per (row, feature). */
export function histRowsJs(hist: Float64Array, rowBins: Uint8Array, idx: Int32Array, gh: Float32Array, start: number, stop: number, cols: number): void {
  hist.fill(0);
  const F4 = cols - (cols % 4);
  // Fixed stride per feature and 4 features per step: measured 2.2× faster than looking up a
  // per-feature offset one feature at a time (V8 keeps the four updates independent).
  for (let i = start; i < stop; i++) {
    const r = idx[i];
    const gr = gh[2 * r];
    const hr = gh[2 * r + 1];
    const base = r * cols;
    let f = 0;
    let ho = 0;
    for (; f < F4; f += 4, ho += 4 * STRIDE) {
      const b0 = ho + 3 * rowBins[base + f];
      const b1 = ho + STRIDE + 3 * rowBins[base + f + 1];
      const b2 = ho + 2 * STRIDE + 3 * rowBins[base + f + 2];
      const b3 = ho + 3 * STRIDE + 3 * rowBins[base + f + 3];
      hist[b0] += gr;
      hist[b0 + 1] += hr;
      hist[b0 + 2] += 1;
      hist[b1] += gr;
      hist[b1 + 1] += hr;
      hist[b1 + 2] += 1;
      hist[b2] += gr;
      hist[b2 + 1] += hr;
      hist[b2 + 2] += 1;
      hist[b3] += gr;
      hist[b3 + 1] += hr;
      hist[b3 + 2] += 1;
    }
    for (; f < cols; f++, ho += STRIDE) {
      const b = ho + 3 * rowBins[base + f];
      hist[b] += gr;
      hist[b + 1] += hr;
      hist[b + 2] += 1;
    }
  }
}

/**
 * Stable partition of idx[start, stop) by one feature's bins (`column`, column-major, indexed by
 * row): rows with bin <= `bin`, or bin == missingBin when missingLeft is 1, stay in front; the
 * others go to scratch[0..). Returns the first right position. Branch-free: every row is written
 * to both sides, only one cursor moves.
 */
export function partitionJs(idx: Int32Array, scratch: Int32Array, bins: Uint8Array, col: number, start: number, stop: number, bin: number, missingBin: number, missingLeft: number): number {
  let l = start;
  let r = 0;
  for (let i = start; i < stop; i++) {
    const row = idx[i];
    const b = bins[col + row];
    const goLeft = (b <= bin ? 1 : 0) | ((b === missingBin ? 1 : 0) & missingLeft);
    idx[l] = row;
    scratch[r] = row;
    l += goLeft;
    r += 1 - goLeft;
  }
  return l;
}
