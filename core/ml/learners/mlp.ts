import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { FlowlineError } from '../../spec/errors.ts';
import { Rng, deriveSeed } from '../../spec/random.ts';
import { nClassesOf, requireCols, requireFinite, requireTarget, weightsOf } from './check-input.ts';
import { adamStep, forward, matmulABt, newAdam, transpose, type Net } from './mlp-net.ts';
import type { FitData, FitOptions, Learner, Matrix, Prediction } from './types.ts';

/**
 * Multi-layer perceptron as scikit-learn 1.2's MLPClassifier / MLPRegressor with solver='adam':
 * Glorot-uniform init (bound √(6/(fan_in+fan_out)), √(2/…) for logistic), minibatches of
 * min(200, n), L2 penalty alpha/2·|W|²/batch, the loss curve's no-improvement rule (tol,
 * n_iter_no_change) or early stopping on a held-out validation fraction, keeping the best weights.
 * Outputs: logistic (two classes), softmax (more), identity (regression).
 * All randomness (init, shuffling, validation split) comes from FitOptions.seed.
 */
export const mlpParams = z.object({
  hidden_layer_sizes: z.array(z.number().int().positive().max(LIMITS.width)).min(1).max(2).default([100]).describe('Units per hidden layer: one or two layers'),
  activation: z.enum(['relu', 'tanh', 'logistic']).default('relu').describe('Hidden-layer activation'),
  alpha: z.number().nonnegative().default(1e-4).describe('L2 penalty strength'),
  batch_size: z.union([z.literal('auto'), z.number().int().positive()]).default('auto').describe("Rows per minibatch; 'auto' = min(200, rows)"),
  learning_rate_init: z.number().positive().default(1e-3).describe('Adam step size'),
  max_iter: z.number().int().positive().max(LIMITS.iterations).default(200).describe('Maximum epochs'),
  shuffle: z.boolean().default(true).describe('Shuffle the rows every epoch'),
  tol: z.number().nonnegative().default(1e-4).describe('Improvement below tol for n_iter_no_change epochs stops training'),
  early_stopping: z.boolean().default(false).describe('Hold out validation_fraction of the rows and stop when their score stops improving'),
  validation_fraction: z.number().gt(0).lt(1).default(0.1).describe('Share of rows held out for early stopping'),
  n_iter_no_change: z.number().int().positive().max(LIMITS.iterations).default(10).describe('Epochs without improvement before stopping'),
  beta_1: z.number().min(0).lt(1).default(0.9).describe('Adam first-moment decay'),
  beta_2: z.number().min(0).lt(1).default(0.999).describe('Adam second-moment decay'),
  epsilon: z.number().positive().default(1e-8).describe('Adam numerical stability term'),
});

export interface MlpState extends Net {
  /** 0 for regression. */
  nClasses: number;
  epochs: number;
  lossCurve: number[];
  /** Early stopping: the validation score (accuracy or R²) of each epoch. */
  validationScores?: number[];
}

type Params = z.infer<typeof mlpParams>;

/** Stratified (classification) or plain seeded split of row indices into train / validation. */
function validationSplit(n: number, y: Float64Array, k: number, frac: number, rng: Rng): { train: Int32Array; val: Int32Array } {
  const nVal = Math.ceil(frac * n);
  const order = rng.permutation(n);
  const isVal = new Uint8Array(n);
  if (k > 0) {
    const byClass: number[][] = Array.from({ length: k }, () => []);
    for (const i of order) byClass[y[i]].push(i);
    let taken = 0;
    byClass.forEach((rows, c) => {
      const want = c === k - 1 ? nVal - taken : Math.round((rows.length / n) * nVal);
      for (let t = 0; t < Math.min(want, rows.length); t++) isVal[rows[t]] = 1;
      taken += Math.min(want, rows.length);
    });
  } else for (let t = 0; t < nVal; t++) isVal[order[t]] = 1;
  const train: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) (isVal[i] ? val : train).push(i);
  return { train: Int32Array.from(train), val: Int32Array.from(val) };
}

function score(net: Net, X: Float64Array, idx: Int32Array, y: Float64Array, k: number): number {
  const p = net.sizes[0];
  const data = new Float64Array(idx.length * p);
  idx.forEach((r, t) => data.set(X.subarray(r * p, r * p + p), t * p));
  const out = forward(net, data, idx.length);
  const o = net.sizes[net.sizes.length - 1];
  if (k > 0) {
    let ok = 0;
    idx.forEach((r, t) => {
      const pred = o === 1 ? (out[t] > 0.5 ? 1 : 0) : argmax(out, t * o, o);
      if (pred === y[r]) ok++;
    });
    return ok / idx.length;
  }
  let mean = 0;
  idx.forEach((r) => (mean += y[r]));
  mean /= idx.length;
  let ssRes = 0;
  let ssTot = 0;
  idx.forEach((r, t) => {
    ssRes += (y[r] - out[t]) ** 2;
    ssTot += (y[r] - mean) ** 2;
  });
  return ssTot > 0 ? 1 - ssRes / ssTot : ssRes === 0 ? 1 : 0;
}

function argmax(a: Float64Array, o: number, len: number): number {
  let best = 0;
  for (let c = 1; c < len; c++) if (a[o + c] > a[o + best]) best = c;
  return best;
}

function fit(data: FitData, params: Params, options: FitOptions): MlpState {
  const title = 'Neural network (MLP)';
  requireFinite(data.X, data.featureNames, title);
  const classification = options.task === 'binary' || options.task === 'multiclass';
  const y = requireTarget(data, classification, title);
  const k = classification ? nClassesOf(data) : 0;
  const w = weightsOf(data);
  const { data: X, rows: n, cols: p } = data.X;
  if (params.early_stopping && n < 4) {
    throw new FlowlineError({ code: 'BAD_DATA', message: `Early stopping needs more rows than the ${n} there are.`, hint: 'Turn early_stopping off.' });
  }
  const out = k === 0 ? 1 : k === 2 ? 1 : k;
  const sizes = [p, ...params.hidden_layer_sizes, out];
  const rng = new Rng(deriveSeed(options.seed, 'mlp'));
  const net: Net = {
    sizes,
    activation: params.activation,
    output: k === 0 ? 'identity' : k === 2 ? 'logistic' : 'softmax',
    coefs: [],
    intercepts: [],
  };
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const bound = Math.sqrt((params.activation === 'logistic' ? 2 : 6) / (fanIn + fanOut));
    const W = new Float64Array(fanIn * fanOut);
    for (let i = 0; i < W.length; i++) W[i] = (rng.next() * 2 - 1) * bound;
    const b = new Float64Array(fanOut);
    for (let i = 0; i < b.length; i++) b[i] = (rng.next() * 2 - 1) * bound;
    net.coefs.push(W);
    net.intercepts.push(b);
  }
  const split = params.early_stopping
    ? validationSplit(n, y, k, params.validation_fraction, new Rng(deriveSeed(options.seed, 'mlp-validation')))
    : { train: Int32Array.from({ length: n }, (_, i) => i), val: new Int32Array(0) };
  const rows = split.train;
  const nTrain = rows.length;
  const batchSize = params.batch_size === 'auto' ? Math.min(200, nTrain) : Math.min(Math.max(1, params.batch_size), nTrain);
  // Targets as the output layer sees them.
  const target = (r: number, c: number): number => (k === 0 ? y[r] : k === 2 ? y[r] : y[r] === c ? 1 : 0);
  const adam = newAdam(net);
  const trainer = makeTrainer(net, batchSize);
  const lossCurve: number[] = [];
  const validationScores: number[] = [];
  let bestLoss = Infinity;
  let bestScore = -Infinity;
  let bestCoefs: Float64Array[] | null = null;
  let bestIntercepts: Float64Array[] | null = null;
  let noImprovement = 0;
  let epochs = 0;
  const shuffleRng = new Rng(deriveSeed(options.seed, 'mlp-shuffle'));
  const order = Int32Array.from(rows);
  for (let epoch = 0; epoch < params.max_iter; epoch++) {
    options.checkCancelled?.();
    if (params.shuffle) shuffleRng.shuffle(order);
    let accumulated = 0;
    for (let start = 0; start < nTrain; start += batchSize) {
      const bs = Math.min(batchSize, nTrain - start);
      const loss = trainer.backprop(X, order.subarray(start, start + bs), target, w, params.alpha);
      accumulated += loss * bs;
      adamStep(net, trainer.gradW, trainer.gradB, adam, params);
      trainer.refresh();
    }
    epochs++;
    const loss = accumulated / nTrain;
    lossCurve.push(loss);
    if (params.early_stopping) {
      const s = score(net, X, split.val, y, k);
      validationScores.push(s);
      noImprovement = s < bestScore + params.tol ? noImprovement + 1 : 0;
      if (s > bestScore) {
        bestScore = s;
        bestCoefs = net.coefs.map((c) => c.slice());
        bestIntercepts = net.intercepts.map((c) => c.slice());
      }
    } else {
      noImprovement = loss > bestLoss - params.tol ? noImprovement + 1 : 0;
      if (loss < bestLoss) bestLoss = loss;
    }
    options.progress?.(epochs / params.max_iter, `epoch ${epochs}, loss ${loss.toPrecision(4)}`);
    if (noImprovement > params.n_iter_no_change) break;
  }
  if (params.early_stopping && bestCoefs && bestIntercepts) {
    net.coefs = bestCoefs;
    net.intercepts = bestIntercepts;
  }
  return { ...net, nClasses: k, epochs, lossCurve, ...(params.early_stopping ? { validationScores } : {}) };
}

/** Minibatch forward + backward pass with reusable buffers. */
export function makeTrainer(net: Net, maxBatch: number) {
  const L = net.sizes.length - 1;
  const maxWidth = Math.max(...net.sizes);
  const acts = net.sizes.map((s) => new Float64Array(maxBatch * s));
  const deltas = net.sizes.map((s) => new Float64Array(maxBatch * s));
  const gradW = net.coefs.map((c) => new Float64Array(c.length));
  const gradB = net.intercepts.map((c) => new Float64Array(c.length));
  // Transposed weights for the forward pass; refresh() after every update of net.coefs.
  const coefsT = net.coefs.map((c) => new Float64Array(c.length));
  const refresh = () => net.coefs.forEach((W, l) => transpose(W, net.sizes[l], net.sizes[l + 1], coefsT[l]));
  refresh();
  const AT = new Float64Array(maxBatch * maxWidth);
  const DT = new Float64Array(maxBatch * maxWidth);
  const GT = new Float64Array(Math.max(...net.coefs.map((c) => c.length)));
  const p = net.sizes[0];
  return {
    gradW,
    gradB,
    refresh,
    backprop(X: Float64Array, idx: Int32Array, target: (r: number, c: number) => number, sw: Float64Array, alpha: number): number {
      const bs = idx.length;
      for (let t = 0; t < bs; t++) acts[0].set(X.subarray(idx[t] * p, idx[t] * p + p), t * p);
      forward(net, acts[0], bs, acts, coefsT);
      const out = net.sizes[L];
      const A = acts[L];
      const D = deltas[L];
      let loss = 0;
      const eps = 1e-15;
      for (let t = 0; t < bs; t++) {
        const r = idx[t];
        const wr = sw[r];
        for (let c = 0; c < out; c++) {
          const yv = target(r, c);
          const a = A[t * out + c];
          D[t * out + c] = wr * (a - yv);
          if (net.output === 'identity') loss += (wr * (yv - a) ** 2) / 2;
          else {
            const pc = Math.min(Math.max(a, eps), 1 - eps);
            if (net.output === 'logistic') loss -= wr * (yv > 0 ? Math.log(pc) : Math.log(1 - pc));
            else if (yv > 0) loss -= wr * Math.log(pc);
          }
        }
      }
      loss /= bs;
      if (net.output === 'identity') loss /= out;
      let sq = 0;
      for (const W of net.coefs) for (let i = 0; i < W.length; i++) sq += W[i] * W[i];
      loss += (0.5 * alpha * sq) / bs;
      for (let l = L; l >= 1; l--) {
        const nin = net.sizes[l - 1];
        const nout = net.sizes[l];
        const Ain = acts[l - 1];
        const Dl = deltas[l];
        const G = gradW[l - 1];
        const W = net.coefs[l - 1];
        const gb = gradB[l - 1];
        // Gᵀ (nout × nin) = Dᵀ·A, summed over the batch rows in order.
        transpose(Ain, bs, nin, AT);
        transpose(Dl, bs, nout, DT);
        matmulABt(DT, nout, bs, AT, nin, GT);
        for (let i = 0; i < nin; i++) {
          for (let o = 0; o < nout; o++) G[i * nout + o] = (GT[o * nin + i] + alpha * W[i * nout + o]) / bs;
        }
        for (let o = 0; o < nout; o++) {
          let s = 0;
          const row = o * bs;
          for (let t = 0; t < bs; t++) s += DT[row + t];
          gb[o] = s / bs;
        }
        if (l === 1) break;
        // Delta of the hidden layer below: (D · Wᵀ) ⊙ activation'(its output).
        const Dp = deltas[l - 1];
        matmulABt(Dl, bs, nout, W, nin, Dp);
        const size = bs * nin;
        if (net.activation === 'relu') {
          for (let i = 0; i < size; i++) if (!(Ain[i] > 0)) Dp[i] = 0;
        } else if (net.activation === 'tanh') {
          for (let i = 0; i < size; i++) Dp[i] *= 1 - Ain[i] * Ain[i];
        } else for (let i = 0; i < size; i++) Dp[i] *= Ain[i] * (1 - Ain[i]);
      }
      return loss;
    },
  };
}

export const mlp: Learner<typeof mlpParams, MlpState> = {
  kind: 'mlp',
  title: 'Neural network (MLP)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: mlpParams,
  fit,
  predict(state, X: Matrix): Prediction {
    requireCols(X, state.sizes[0], 'Neural network (MLP)');
    const n = X.rows;
    const out = forward(state, X.data, n);
    const values = new Float64Array(n);
    const k = state.nClasses;
    if (k === 0) return { values: out };
    const proba = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      if (k === 2) {
        proba[i * 2] = 1 - out[i];
        proba[i * 2 + 1] = out[i];
        values[i] = out[i] > 0.5 ? 1 : 0;
      } else {
        proba.set(out.subarray(i * k, i * k + k), i * k);
        values[i] = argmax(out, i * k, k);
      }
    }
    return { values, proba };
  },
};
