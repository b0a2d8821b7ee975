/**
 * The MLP's network as plain data (so it caches, crosses threads and exports to ONNX as
 * MatMul/Add/Relu), its forward pass and the Adam update.
 */
import { sigmoid } from './check-input.ts';
export interface Net {
  /** Units per layer, input first, output last. */
  sizes: number[];
  activation: 'relu' | 'tanh' | 'logistic';
  output: 'identity' | 'logistic' | 'softmax';
  /** Per layer: fan_in × fan_out row-major. */
  coefs: Float64Array[];
  intercepts: Float64Array[];
}

/**
 * C (m × n) = A (m × K) · Bᵀ, with B given as n × K (both row-major, K contiguous), plus an
 * optional bias per column. Blocked 2 × 2 so each loaded value feeds two multiply-adds; every
 * output is still summed over k in order 0..K-1, so results do not depend on the blocking.
 */
export function matmulABt(A: Float64Array, m: number, K: number, B: Float64Array, n: number, C: Float64Array, bias?: Float64Array): void {
  let t = 0;
  for (; t + 1 < m; t += 2) {
    const a0 = t * K;
    const a1 = a0 + K;
    const c0 = t * n;
    const c1 = c0 + n;
    let o = 0;
    for (; o + 1 < n; o += 2) {
      const b0 = o * K;
      const b1 = b0 + K;
      let s00 = bias ? bias[o] : 0;
      let s01 = bias ? bias[o + 1] : 0;
      let s10 = s00;
      let s11 = s01;
      for (let k = 0; k < K; k++) {
        const x0 = A[a0 + k];
        const x1 = A[a1 + k];
        const u0 = B[b0 + k];
        const u1 = B[b1 + k];
        s00 += x0 * u0;
        s01 += x0 * u1;
        s10 += x1 * u0;
        s11 += x1 * u1;
      }
      C[c0 + o] = s00;
      C[c0 + o + 1] = s01;
      C[c1 + o] = s10;
      C[c1 + o + 1] = s11;
    }
    for (; o < n; o++) {
      const b0 = o * K;
      let s0 = bias ? bias[o] : 0;
      let s1 = s0;
      for (let k = 0; k < K; k++) {
        const u = B[b0 + k];
        s0 += A[a0 + k] * u;
        s1 += A[a1 + k] * u;
      }
      C[c0 + o] = s0;
      C[c1 + o] = s1;
    }
  }
  for (; t < m; t++) {
    const a0 = t * K;
    const c0 = t * n;
    for (let o = 0; o < n; o++) {
      const b0 = o * K;
      let s = bias ? bias[o] : 0;
      for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
      C[c0 + o] = s;
    }
  }
}

/** B (cols × rows) = Aᵀ for A (rows × cols), written into `out`. */
export function transpose(A: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = A[o + j];
  }
  return out;
}

/**
 * Forward pass over `rows` input rows; returns the output layer (rows × out). When `acts` is
 * given, layer l's activations are written to acts[l] (acts[0] must already hold the input).
 * `coefsT` (each layer's weights transposed, fan_out × fan_in) saves transposing per call.
 */
export function forward(net: Net, input: Float64Array, rows: number, acts?: Float64Array[], coefsT?: Float64Array[]): Float64Array {
  let A = input;
  const L = net.sizes.length - 1;
  for (let l = 1; l <= L; l++) {
    const nin = net.sizes[l - 1];
    const nout = net.sizes[l];
    const Wt = coefsT ? coefsT[l - 1] : transpose(net.coefs[l - 1], nin, nout, new Float64Array(nin * nout));
    const Z = acts ? acts[l] : new Float64Array(rows * nout);
    matmulABt(A, rows, nin, Wt, nout, Z, net.intercepts[l - 1]);
    const size = rows * nout;
    if (l < L) {
      if (net.activation === 'relu') {
        for (let i = 0; i < size; i++) if (!(Z[i] > 0)) Z[i] = 0;
      } else if (net.activation === 'tanh') {
        for (let i = 0; i < size; i++) Z[i] = Math.tanh(Z[i]);
      } else for (let i = 0; i < size; i++) Z[i] = sigmoid(Z[i]);
    } else if (net.output === 'logistic') {
      for (let i = 0; i < size; i++) Z[i] = sigmoid(Z[i]);
    } else if (net.output === 'softmax') {
      for (let t = 0; t < rows; t++) {
        const zOff = t * nout;
        let max = -Infinity;
        for (let o = 0; o < nout; o++) if (Z[zOff + o] > max) max = Z[zOff + o];
        let sum = 0;
        for (let o = 0; o < nout; o++) sum += Z[zOff + o] = Math.exp(Z[zOff + o] - max);
        for (let o = 0; o < nout; o++) Z[zOff + o] /= sum;
      }
    }
    A = Z;
  }
  return acts ? A.subarray(0, rows * net.sizes[L]) : A;
}


export interface AdamState {
  t: number;
  mW: Float64Array[];
  vW: Float64Array[];
  mB: Float64Array[];
  vB: Float64Array[];
}

export function newAdam(net: Net): AdamState {
  return {
    t: 0,
    mW: net.coefs.map((c) => new Float64Array(c.length)),
    vW: net.coefs.map((c) => new Float64Array(c.length)),
    mB: net.intercepts.map((c) => new Float64Array(c.length)),
    vB: net.intercepts.map((c) => new Float64Array(c.length)),
  };
}

/** One Adam step on every parameter (sklearn's AdamOptimizer._get_updates). */
export function adamStep(
  net: Net,
  gradW: Float64Array[],
  gradB: Float64Array[],
  s: AdamState,
  h: { learning_rate_init: number; beta_1: number; beta_2: number; epsilon: number },
): void {
  s.t++;
  const lr = (h.learning_rate_init * Math.sqrt(1 - h.beta_2 ** s.t)) / (1 - h.beta_1 ** s.t);
  const update = (P: Float64Array, G: Float64Array, M: Float64Array, V: Float64Array) => {
    for (let i = 0; i < P.length; i++) {
      const g = G[i];
      M[i] = h.beta_1 * M[i] + (1 - h.beta_1) * g;
      V[i] = h.beta_2 * V[i] + (1 - h.beta_2) * g * g;
      P[i] -= (lr * M[i]) / (Math.sqrt(V[i]) + h.epsilon);
    }
  };
  for (let l = 0; l < net.coefs.length; l++) {
    update(net.coefs[l], gradW[l], s.mW[l], s.vW[l]);
    update(net.intercepts[l], gradB[l], s.mB[l], s.vB[l]);
  }
}
