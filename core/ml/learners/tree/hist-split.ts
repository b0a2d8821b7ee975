import type { HistGrowerParams } from './hist-grower.ts';

/** Numbers per feature in a histogram: 256 slots of (gradient, hessian, count). */
export const STRIDE = 256 * 3;

/**
 * A node's value before shrinkage, as sklearn's compute_node_value (the 1e-15 keeps an empty
 * hessian from dividing by zero); the same expression everywhere, so gains and leaves round alike.
 */
export function nodeValue(g: number, h: number, l2: number): number {
  return -g / (h + l2 + 1e-15);
}

/**
 * A node while the tree grows. A class with every field initialised to its final kind (doubles
 * as doubles), so V8 keeps one object shape and the grower's methods stay optimised.
 */
export class GrowNode {
  hist = -1; // index into the histogram pool, -1 when released
  gain = -1.5;
  feature = -1;
  bin = 0;
  missingLeft = false;
  /** For the chosen split: left child's sums. */
  gl = 0.5;
  hl = 0.5;
  nl = 0;
  constructor(
    readonly id: number,
    readonly start: number,
    readonly stop: number,
    readonly depth: number,
    readonly g: number,
    readonly h: number,
    /** nodeValue(g, h): the loss term its children's gains start from (the root's is 0, as sklearn's). */
    readonly value: number,
  ) {}
}

/**
 * Doubles per node in a split's in/out array: inputs at 0..6 (rows, G, H, value, min_samples_leaf,
 * min hessian, l2), outputs at 8..14 (gain, feature, bin, missingLeft, gl, hl, nl).
 */
export const SPLIT_IO = 16;

/**
 * Best split of a node from its histogram, into node.{gain, feature, bin, missingLeft, gl, hl, nl}
 * (bestSplit, through `io` at slot `o`, which must hold SPLIT_IO doubles).
 */
export function findSplit(node: GrowNode, hist: Float64Array, cols: number, nb: Int32Array, hasMissing: Uint8Array, params: HistGrowerParams, io: Float64Array, o: number): void {
  splitInputs(node, params, io, o);
  bestSplit(hist, nb, hasMissing, cols, io, o);
  splitOutputs(node, io, o);
}

/** Writes the node's and the params' inputs of bestSplit into io[o..]. */
export function splitInputs(node: GrowNode, params: HistGrowerParams, io: Float64Array, o: number): void {
  io[o] = node.stop - node.start;
  io[o + 1] = node.g;
  io[o + 2] = node.h;
  io[o + 3] = node.value;
  io[o + 4] = params.minSamplesLeaf;
  io[o + 5] = params.minHessianToSplit;
  io[o + 6] = params.l2;
}

/** Reads bestSplit's outputs at io[o..] into the node. */
export function splitOutputs(node: GrowNode, io: Float64Array, o: number): void {
  node.gain = io[o + 8];
  node.feature = io[o + 9];
  node.bin = io[o + 10];
  node.missingLeft = io[o + 11] === 1;
  node.gl = io[o + 12];
  node.hl = io[o + 13];
  node.nl = io[o + 14];
}

/**
 * Best split from a histogram; inputs and outputs in io[o..] (see SPLIT_IO); feature −1 when none.
 * Feature f's slots start at f * 768 (STRIDE): (gradient, hessian, count) per bin, bin nb[f]
 * holding the missing values. The gain is sklearn's expression, operation for operation
 * (G·v − G_L·v_L − G_R·v_R with v = nodeValue), and the first of equal gains wins, as in its
 * scan: near-tied splits then go the same way as scikit-learn's.
 * The grower's JavaScript path (kernels 'js'); with the kernels, on either thread, the
 * bestSplit kernel (split-kernel.ts) runs the same scan and finds the same split.
 */
export function bestSplit(hist: Float64Array, nb: Int32Array, hasMissing: Uint8Array, cols: number, io: Float64Array, o: number): void {
  const n = io[o];
  const G = io[o + 1];
  const H = io[o + 2];
  const msl = io[o + 4];
  const mh = io[o + 5];
  const l2 = io[o + 6];
  const parentLoss = G * io[o + 3];
  let bestGain = -1;
  let bestFeature = -1;
  let bestBin = 0;
  let bestMissingLeft = 0;
  let bestGl = 0;
  let bestHl = 0;
  let bestNl = 0;
  for (let f = 0; f < cols; f++) {
    const ho = f * 768;
    const nbf = nb[f];
    const missing = hasMissing[f] === 1;
    // Left to right: missing values go right. With missing values, also "all non-missing left".
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const end = nbf - 1 + (missing ? 1 : 0);
    for (let b = 0; b < end; b++) {
      const s = ho + b * 3;
      gl += hist[s];
      hl += hist[s + 1];
      nl += hist[s + 2];
      if (nl < msl) continue;
      const nr = n - nl;
      if (nr < msl) break;
      const hr = H - hl;
      if (hl < mh) continue;
      if (hr < mh) break;
      const gr = G - gl;
      let gain = parentLoss;
      gain -= gl * (-gl / (hl + l2 + 1e-15));
      gain -= gr * (-gr / (hr + l2 + 1e-15));
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestBin = b;
        bestMissingLeft = 0;
        bestGl = gl;
        bestHl = hl;
        bestNl = nl;
      }
    }
    if (!missing) continue;
    // Right to left: missing values go left.
    let gr = 0;
    let hr = 0;
    let nr = 0;
    for (let b = nbf - 2; b >= 0; b--) {
      const s = ho + (b + 1) * 3;
      gr += hist[s];
      hr += hist[s + 1];
      nr += hist[s + 2];
      if (nr < msl) continue;
      const nl2 = n - nr;
      if (nl2 < msl) break;
      const hl2 = H - hr;
      if (hr < mh) continue;
      if (hl2 < mh) break;
      const gl2 = G - gr;
      let gain = parentLoss;
      gain -= gl2 * (-gl2 / (hl2 + l2 + 1e-15));
      gain -= gr * (-gr / (hr + l2 + 1e-15));
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestBin = b;
        bestMissingLeft = 1;
        bestGl = gl2;
        bestHl = hl2;
        bestNl = nl2;
      }
    }
  }
  io[o + 8] = bestGain;
  io[o + 9] = bestFeature;
  io[o + 10] = bestBin;
  io[o + 11] = bestMissingLeft;
  io[o + 12] = bestGl;
  io[o + 13] = bestHl;
  io[o + 14] = bestNl;
}

/**
 * Histogram a −= histogram b over the slots in use, (nb[f] + 1) × 3 per feature (sibling =
 * parent − child): the JavaScript loop of tree-kernels.ts's `subtract` (the same differences).
 */
export function subtractHistogram(a: Float64Array, b: Float64Array, nb: Int32Array, cols: number): void {
  for (let f = 0; f < cols; f++) {
    const ho = f * 768;
    for (let s = ho, end = ho + 3 * (nb[f] + 1); s < end; s++) a[s] -= b[s];
  }
}
