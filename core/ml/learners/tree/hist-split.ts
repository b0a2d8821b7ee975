import type { BinMapper } from './binning.ts';
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
 * Best split of a node from its histogram, into node.{gain, feature, bin, missingLeft, gl, hl, nl}.
 * Feature f's slots start at f * STRIDE: (gradient, hessian, count) per bin, bin nBinsNonMissing[f]
 * holding the missing values. The gain is sklearn's expression, operation for operation
 * (G·v − G_L·v_L − G_R·v_R with v = nodeValue), and the first of equal gains wins, as in its
 * scan: near-tied splits then go the same way as scikit-learn's.
 */
export function findSplit(node: GrowNode, hist: Float64Array, cols: number, mapper: BinMapper, params: HistGrowerParams): void {
  node.gain = -1;
  node.feature = -1;
  const { minSamplesLeaf: msl, minHessianToSplit: mh, l2 } = params;
  const n = node.stop - node.start;
  const G = node.g;
  const H = node.h;
  const parentLoss = G * node.value;
  for (let f = 0; f < cols; f++) {
    const ho = f * STRIDE;
    const nb = mapper.nBinsNonMissing[f];
    const hasMissing = mapper.hasMissing[f] === 1;
    // Left to right: missing values go right. With missing values, also "all non-missing left".
    let gl = 0;
    let hl = 0;
    let nl = 0;
    const end = nb - 1 + (hasMissing ? 1 : 0);
    for (let b = 0; b < end; b++) {
      const o = ho + b * 3;
      gl += hist[o];
      hl += hist[o + 1];
      nl += hist[o + 2];
      if (nl < msl) continue;
      const nr = n - nl;
      if (nr < msl) break;
      const hr = H - hl;
      if (hl < mh) continue;
      if (hr < mh) break;
      const gr = G - gl;
      let gain = parentLoss;
      gain -= gl * nodeValue(gl, hl, l2);
      gain -= gr * nodeValue(gr, hr, l2);
      if (gain > node.gain) {
        node.gain = gain;
        node.feature = f;
        node.bin = b;
        node.missingLeft = false;
        node.gl = gl;
        node.hl = hl;
        node.nl = nl;
      }
    }
    if (!hasMissing) continue;
    // Right to left: missing values go left.
    let gr = 0;
    let hr = 0;
    let nr = 0;
    for (let b = nb - 2; b >= 0; b--) {
      const o = ho + (b + 1) * 3;
      gr += hist[o];
      hr += hist[o + 1];
      nr += hist[o + 2];
      if (nr < msl) continue;
      const nl2 = n - nr;
      if (nl2 < msl) break;
      const hl2 = H - hr;
      if (hr < mh) continue;
      if (hl2 < mh) break;
      const gl2 = G - gr;
      let gain = parentLoss;
      gain -= gl2 * nodeValue(gl2, hl2, l2);
      gain -= gr * nodeValue(gr, hr, l2);
      if (gain > node.gain) {
        node.gain = gain;
        node.feature = f;
        node.bin = b;
        node.missingLeft = true;
        node.gl = gl2;
        node.hl = hl2;
        node.nl = nl2;
      }
    }
  }
}
