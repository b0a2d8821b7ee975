import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { rowWeights } from '../check-input.ts';
import type { FitData, FitOptions, FlatTree, Learner, Matrix, Prediction, UnitFit } from '../types.ts';
import { Rng, deriveSeed } from '../../../spec/random.ts';
import { MISSING_BIN, binMatrix, fitBinMapper } from './binning.ts';
import { CartWorkspace, growCart, type CodedFeatures } from './cart-grower.ts';
import { addForestPredictions } from './flat-tree.ts';
import { argmaxRows, checkFitData, classWeightParam, isClassification, maxFeaturesParam, resolveMaxFeatures } from './common.ts';

/**
 * Random forest as scikit-learn 1.2's (bootstrap rows as integer weights, max_features sqrt for
 * classification and all features for regression, leaves averaged as probabilities), with
 * splits searched on up to 255 quantile bins per feature instead of every distinct value: the
 * accuracy is the same on tabular data and each tree costs O(rows × depth × max_features).
 * Tree i uses seed deriveSeed(seed, i), so fitting trees in any grouping (one thread, or ranges
 * of trees on the Train node's worker threads via randomForestUnits) gives the same forest.
 */
export const randomForestParams = z.object({
  n_estimators: z.number().int().min(1).max(LIMITS.trees).default(100).describe('Number of trees.'),
  max_depth: z.number().int().min(1).max(LIMITS.depth).nullable().default(null).describe('Depth limit per tree; empty = none.'),
  min_samples_split: z.number().int().min(2).default(2).describe('Fewest rows a node needs to be split.'),
  min_samples_leaf: z.number().int().min(1).default(1).describe('Fewest rows in a leaf.'),
  max_features: maxFeaturesParam,
  bootstrap: z.boolean().default(true).describe('Draw each tree\'s rows with replacement.'),
  max_bins: z.number().int().min(2).max(255).default(255).describe('Candidate split points per feature.'),
  class_weight: classWeightParam,
});
export type RandomForestParams = z.infer<typeof randomForestParams>;

export interface RandomForestState {
  task: 'binary' | 'multiclass' | 'regression';
  nClasses: number;
  /** Leaf values are class proportions (or means); the forest averages them. */
  trees: FlatTree[];
}

/** Everything a worker needs to grow trees; plain data, so it can be structured-cloned. */
export interface ForestPayload {
  bins: Uint8Array;
  thresholds: Float64Array[];
  nBinsNonMissing: Int32Array;
  rows: number;
  cols: number;
  y: Float64Array;
  nClasses: number;
  weights: Float64Array;
  bootstrap: boolean;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  seed: number;
}

function prepareForest(data: FitData, params: RandomForestParams, options: FitOptions): { payload: ForestPayload; task: RandomForestState['task'] } {
  const K = checkFitData(data, options, true);
  const classify = isClassification(options.task);
  const k = classify ? K : 0;
  const mapper = fitBinMapper(data.X, params.max_bins, deriveSeed(options.seed, 'forest-bins'));
  return {
    task: !classify ? 'regression' : K > 2 ? 'multiclass' : 'binary',
    payload: {
      bins: binMatrix(data.X, mapper),
      thresholds: mapper.thresholds,
      nBinsNonMissing: mapper.nBinsNonMissing,
      rows: data.X.rows,
      cols: data.X.cols,
      y: data.y!,
      nClasses: k,
      weights: rowWeights(data, data.y, k, params.class_weight),
      bootstrap: params.bootstrap,
      maxDepth: params.max_depth ?? Number.MAX_SAFE_INTEGER,
      minSamplesSplit: params.min_samples_split,
      minSamplesLeaf: params.min_samples_leaf,
      maxFeatures: resolveMaxFeatures(params.max_features, data.X.cols, classify),
      seed: options.seed,
    },
  };
}

/** Grows trees [from, to) of the forest. */
function fitForestTrees(p: ForestPayload, from: number, to: number, onTree?: (done: number) => void): FlatTree[] {
  const coded: CodedFeatures = {
    codes: p.bins,
    rows: p.rows,
    cols: p.cols,
    nCodes: p.nBinsNonMissing,
    missingCode: MISSING_BIN,
    // Middle of the gap between the two present bins (as a midpoint between two data values):
    // bin lo ends at thresholds[lo], bin hi starts after thresholds[hi - 1].
    threshold: (f, lo, hi) => (p.thresholds[f][lo] + p.thresholds[f][hi - 1]) / 2,
  };
  const ws = new CartWorkspace(coded, p.nClasses);
  const counts = new Uint32Array(p.rows); // bootstrap draws per row
  const w = new Float64Array(p.rows);
  // The rows of each tree, in one buffer for all of them (a tree's list is a prefix of it).
  const rowsOf = new Uint32Array(p.rows);
  const trees: FlatTree[] = [];
  for (let t = from; t < to; t++) {
    const rng = new Rng(deriveSeed(p.seed, t));
    let rows: Uint32Array;
    if (p.bootstrap) {
      counts.fill(0);
      for (let i = 0; i < p.rows; i++) counts[rng.int(p.rows)] += 1;
      let m = 0;
      for (let i = 0; i < p.rows; i++) if (counts[i] > 0) m++;
      rows = rowsOf.subarray(0, m);
      for (let i = 0, j = 0; i < p.rows; i++) {
        if (counts[i] > 0) rows[j++] = i;
        w[i] = counts[i] * p.weights[i];
      }
    } else {
      rows = rowsOf;
      for (let i = 0; i < p.rows; i++) rows[i] = i;
      w.set(p.weights);
    }
    trees.push(growCart(ws, { y: p.y, nClasses: p.nClasses }, w, rows, {
      maxDepth: p.maxDepth,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      maxFeatures: p.maxFeatures,
    }, rng));
    onTree?.(t - from + 1);
  }
  return trees;
}

/** The forest as independent trees: the Train node grows them on several worker threads. */
export const randomForestUnits: UnitFit<RandomForestParams, RandomForestState, { payload: ForestPayload; task: RandomForestState['task'] }, FlatTree> = {
  prepare(data, params, options) {
    return { shared: prepareForest(data, params, options), units: params.n_estimators };
  },
  fitUnits: (shared, from, to, onUnit) => fitForestTrees(shared.payload, from, to, onUnit),
  assemble: ({ payload, task }, trees) => ({ task, nClasses: payload.nClasses || (task === 'regression' ? 0 : 2), trees }),
};

export function fitRandomForest(data: FitData, params: RandomForestParams, options: FitOptions): RandomForestState {
  const { shared } = randomForestUnits.prepare(data, params, options);
  options.checkCancelled?.();
  const trees = randomForestUnits.fitUnits(shared, 0, params.n_estimators, (done) => {
    options.checkCancelled?.();
    options.progress?.(done / params.n_estimators, `tree ${done}`);
  });
  return randomForestUnits.assemble(shared, trees);
}

export function predictRandomForest(state: RandomForestState, X: Matrix): Prediction {
  const width = state.trees[0].valueWidth;
  const out = new Float64Array(X.rows * width);
  const weight = 1 / state.trees.length;
  addForestPredictions(state.trees, X, out, width, () => 0, weight);
  if (state.task === 'regression') return { values: out };
  return { values: argmaxRows(out, X.rows, width), proba: out };
}

export const randomForest: Learner<typeof randomForestParams, RandomForestState> = {
  kind: 'random_forest',
  title: 'Random forest',
  tasks: ['binary', 'multiclass', 'regression'],
  params: randomForestParams,
  fit: fitRandomForest,
  predict: predictRandomForest,
  unitFit: randomForestUnits,
};
