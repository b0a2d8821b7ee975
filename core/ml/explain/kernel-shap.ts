/**
 * KernelSHAP (Lundberg & Lee 2017; shap's KernelExplainer) for any model: a coalition z of the
 * players (groups of features; a group moves together) is valued as the background-weighted
 * mean of the model's output over rows that take x's values on z and a background row's
 * elsewhere. φ solves the Shapley-kernel weighted least squares
 *   min Σ_z π(z) (v(z) − v(∅) − Σ_i z_i φ_i)²   subject to Σ φ = f(x) − v(∅),
 * π(z) = (M−1) / (C(M,|z|)·|z|·(M−|z|)). All 2^M − 2 coalitions are enumerated when that is
 * within the sample budget (then φ is the exact Shapley value of this game); otherwise whole
 * coalition sizes are enumerated from the outside in and the rest sampled in complementary
 * pairs, as shap does. Players whose values equal every background row's are left out (φ = 0).
 * Seeded per row (deriveSeed(seed, rowId)), so a row's values do not depend on how rows are split
 * over threads.
 */
import { lstsqQR } from '../learners/linalg.ts';
import type { Matrix } from '../learners/types.ts';
import { Rng, deriveSeed } from '../../spec/random.ts';

/** Rows the model is asked about, with a weight each (k-means centres weigh their cluster's rows). */
export interface Background {
  X: Matrix;
  weights: Float64Array;
}

/** The model under explanation: rows → rows × outputs. */
export type OutputFn = (X: Matrix) => Float64Array;

export interface CoalitionOptions {
  /** Players: the feature indices each one moves. */
  groups: number[][];
  /** Coalitions per row; 0 = shap's "auto", 2M + 2048. */
  samples: number;
  seed: number;
}

export interface Coalitions {
  /** count × M, 1 = the player takes x's value. */
  masks: Uint8Array;
  weights: Float64Array;
  count: number;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

export function autoSamples(M: number): number {
  return 2 * M + 2048;
}

/** Every proper, non-empty coalition with its Shapley-kernel weight. */
function allCoalitions(M: number): Coalitions {
  const count = 2 ** M - 2;
  const masks = new Uint8Array(count * M);
  const weights = new Float64Array(count);
  for (let s = 1; s <= count; s++) {
    let size = 0;
    for (let i = 0; i < M; i++) if (s & (1 << i)) {
      masks[(s - 1) * M + i] = 1;
      size++;
    }
    weights[s - 1] = (M - 1) / (binomial(M, size) * size * (M - size));
  }
  return { masks, weights, count };
}

/** shap's sampler: complete sizes from the outside in while the budget allows, the rest sampled in pairs. */
function sampledCoalitions(M: number, budget: number, rng: Rng): Coalitions {
  const sizes = Math.ceil((M - 1) / 2);
  const paired = Math.floor((M - 1) / 2);
  const sizeWeight = Array.from({ length: sizes }, (_, i) => (M - 1) / ((i + 1) * (M - i - 1)));
  for (let i = 0; i < paired; i++) sizeWeight[i] *= 2;
  const total = sizeWeight.reduce((a, b) => a + b, 0);
  for (let i = 0; i < sizes; i++) sizeWeight[i] /= total;

  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const seen = new Map<string, number>();
  const add = (m: Uint8Array, w: number) => {
    const key = m.join('');
    const at = seen.get(key);
    if (at !== undefined) weights[at] += w;
    else {
      seen.set(key, masks.length);
      masks.push(m);
      weights.push(w);
    }
  };
  let full = 0;
  let left = budget;
  const remaining = [...sizeWeight];
  for (let s = 1; s <= sizes; s++) {
    let n = binomial(M, s);
    if (s <= paired) n *= 2;
    if ((left * remaining[s - 1]) / n < 1 - 1e-8) break;
    full++;
    left -= n;
    if (remaining[s - 1] < 1) {
      const scale = 1 - remaining[s - 1];
      for (let i = 0; i < sizes; i++) remaining[i] /= scale;
    }
    const w = sizeWeight[s - 1] / binomial(M, s) / (s <= paired ? 2 : 1);
    forEachSubset(M, s, (idx) => {
      const m = new Uint8Array(M);
      for (const i of idx) m[i] = 1;
      add(m, w);
      if (s <= paired) add(m.map((b) => 1 - b), w);
    });
  }
  const fixed = masks.length;
  if (full < sizes && left > 0) {
    const rest = sizeWeight.map((w, i) => (i < paired ? w / 2 : w)).slice(full);
    const restTotal = rest.reduce((a, b) => a + b, 0);
    let added = 0;
    for (let guard = 0; added < left && guard < 20 * budget; guard++) {
      // a size from the remaining sizes, by weight; then a random coalition of that size and its complement
      let u = rng.next() * restTotal;
      let k = 0;
      while (k < rest.length - 1 && u >= rest[k]) u -= rest[k++];
      const s = k + full + 1;
      const perm = rng.permutation(M);
      const m = new Uint8Array(M);
      for (let i = 0; i < s; i++) m[perm[i]] = 1;
      add(m, 1);
      added++;
      if (added < left && s <= paired) {
        add(m.map((b) => 1 - b), 1);
        added++;
      }
    }
    // The sampled coalitions share the weight of the sizes not enumerated.
    const leftWeight = sizeWeight.slice(full).reduce((a, b) => a + b, 0);
    let sampled = 0;
    for (let i = fixed; i < weights.length; i++) sampled += weights[i];
    for (let i = fixed; i < weights.length; i++) weights[i] *= leftWeight / sampled;
  }
  const count = masks.length;
  const flat = new Uint8Array(count * M);
  masks.forEach((m, i) => flat.set(m, i * M));
  return { masks: flat, weights: Float64Array.from(weights), count };
}

function forEachSubset(M: number, s: number, fn: (idx: number[]) => void): void {
  const idx = Array.from({ length: s }, (_, i) => i);
  for (;;) {
    fn(idx);
    let i = s - 1;
    while (i >= 0 && idx[i] === M - s + i) i--;
    if (i < 0) return;
    idx[i]++;
    for (let j = i + 1; j < s; j++) idx[j] = idx[j - 1] + 1;
  }
}

/** The coalitions a row with M varying players is valued on. */
export function coalitions(M: number, samples: number, rng: Rng): Coalitions {
  const budget = samples > 0 ? samples : autoSamples(M);
  if (M <= 30 && 2 ** M - 2 <= budget) return allCoalitions(M);
  return sampledCoalitions(M, budget, rng);
}

/** Most synthetic rows built at once (coalitions × background rows). */
const BATCH_ROWS = 1 << 16;

/** Weighted background mean of the outputs: v(∅), the base value. */
export function backgroundMean(f: OutputFn, bg: Background, outputs: number): Float64Array {
  const out = f(bg.X);
  const mean = new Float64Array(outputs);
  let sw = 0;
  for (let b = 0; b < bg.X.rows; b++) {
    sw += bg.weights[b];
    for (let o = 0; o < outputs; o++) mean[o] += bg.weights[b] * out[b * outputs + o];
  }
  for (let o = 0; o < outputs; o++) mean[o] /= sw;
  return mean;
}

function sameValue(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/** Players whose features differ from some background row (the others get φ = 0). */
function varyingPlayers(x: Float64Array, xo: number, groups: number[][], bg: Background): number[] {
  const { X: B } = bg;
  return groups.flatMap((g, i) => {
    for (let b = 0; b < B.rows; b++) for (const j of g) if (!sameValue(x[xo + j], B.data[b * B.cols + j])) return [i];
    return [];
  });
}

/**
 * v(z) for each coalition: the weighted mean over background rows of f(x on z's players,
 * background elsewhere). count × outputs.
 */
export function coalitionValues(f: OutputFn, x: Float64Array, xo: number, players: number[][], c: Coalitions, bg: Background, outputs: number): Float64Array {
  const { X: B, weights } = bg;
  const p = B.cols;
  const M = players.length;
  const nb = B.rows;
  let sw = 0;
  for (let b = 0; b < nb; b++) sw += weights[b];
  const values = new Float64Array(c.count * outputs);
  const perBatch = Math.max(1, Math.floor(BATCH_ROWS / nb));
  for (let z0 = 0; z0 < c.count; z0 += perBatch) {
    const nz = Math.min(perBatch, c.count - z0);
    const data = new Float64Array(nz * nb * p);
    for (let z = 0; z < nz; z++) {
      const block = z * nb * p;
      data.set(B.data, block);
      for (let i = 0; i < M; i++) {
        if (!c.masks[(z0 + z) * M + i]) continue;
        for (const j of players[i]) {
          const v = x[xo + j];
          for (let b = 0; b < nb; b++) data[block + b * p + j] = v;
        }
      }
    }
    const out = f({ data, rows: nz * nb, cols: p });
    for (let z = 0; z < nz; z++) {
      for (let b = 0; b < nb; b++) {
        const w = weights[b] / sw;
        for (let o = 0; o < outputs; o++) values[(z0 + z) * outputs + o] += w * out[(z * nb + b) * outputs + o];
      }
    }
  }
  return values;
}

/**
 * The constrained weighted least squares: the last player is eliminated with the constraint
 * (φ_M = Δ − Σ others) and the rest solved by pivoted QR on the √π-scaled system.
 */
export function solveKernel(c: Coalitions, M: number, v: Float64Array, o: number, outputs: number, base: number, delta: number): Float64Array {
  const phi = new Float64Array(M);
  if (M === 0) return phi;
  if (M === 1) {
    phi[0] = delta;
    return phi;
  }
  const q = M - 1;
  const A = new Float64Array(c.count * q);
  const b = new Float64Array(c.count);
  for (let z = 0; z < c.count; z++) {
    const s = Math.sqrt(c.weights[z]);
    const last = c.masks[z * M + q];
    for (let i = 0; i < q; i++) A[z * q + i] = s * (c.masks[z * M + i] - last);
    b[z] = s * (v[z * outputs + o] - base - last * delta);
  }
  const { x } = lstsqQR(A, c.count, q, b);
  let sum = 0;
  for (let i = 0; i < q; i++) {
    phi[i] = x[i];
    sum += x[i];
  }
  phi[q] = delta - sum;
  return phi;
}

export interface KernelResult {
  /** rows × outputs × players. */
  phi: Float64Array;
  base: Float64Array;
  /** Coalitions valued in all (for the cost line in the log). */
  evaluations: number;
}

/** KernelSHAP values of every row of X (row ids seed each row's sampling). */
export function kernelShap(f: OutputFn, outputs: number, X: Matrix, rowIds: ArrayLike<number>, bg: Background, options: CoalitionOptions, base = backgroundMean(f, bg, outputs)): KernelResult {
  const P = options.groups.length;
  const phi = new Float64Array(X.rows * outputs * P);
  let evaluations = 0;
  for (let r = 0; r < X.rows; r++) {
    const xo = r * X.cols;
    const fx = f({ data: X.data.slice(xo, xo + X.cols), rows: 1, cols: X.cols });
    const vary = varyingPlayers(X.data, xo, options.groups, bg);
    const M = vary.length;
    const players = vary.map((i) => options.groups[i]);
    const c = M > 1 ? coalitions(M, options.samples, new Rng(deriveSeed(options.seed, rowIds[r]))) : { masks: new Uint8Array(0), weights: new Float64Array(0), count: 0 };
    const v = c.count ? coalitionValues(f, X.data, xo, players, c, bg, outputs) : new Float64Array(0);
    evaluations += c.count;
    for (let o = 0; o < outputs; o++) {
      const solved = solveKernel(c, M, v, o, outputs, base[o], fx[o] - base[o]);
      vary.forEach((player, i) => (phi[(r * outputs + o) * P + player] = solved[i]));
    }
  }
  return { phi, base, evaluations };
}
