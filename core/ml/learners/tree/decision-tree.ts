import { z } from 'zod';
import { LIMITS } from '../limits.ts';
import { rowWeights } from '../check-input.ts';
import type { FitData, FitOptions, FlatTree, Learner, Matrix, Prediction } from '../types.ts';
import { Rng, deriveSeed } from '../../../spec/random.ts';
import { CartWorkspace, growCart, type CodedFeatures } from './cart-grower.ts';
import { addTreePredictions } from './flat-tree.ts';
import { argmaxRows, checkFitData, classWeightParam, isClassification, maxFeaturesParam, resolveMaxFeatures } from './common.ts';

/**
 * A single CART tree with EXACT thresholds (every midpoint between two distinct training values
 * is a candidate, as scikit-learn's BestSplitter), because a single tree is read by people and
 * its split points should be the data's own. Forests use the binned variant (random-forest.ts).
 * Missing values are supported (scikit-learn 1.2 refuses them): both directions are tried.
 */
export const decisionTreeParams = z.object({
  max_depth: z.number().int().min(1).max(LIMITS.depth).nullable().default(null).describe('Depth limit; empty = grow until leaves are pure.'),
  min_samples_split: z.number().int().min(2).default(2).describe('Fewest rows a node needs to be split.'),
  min_samples_leaf: z.number().int().min(1).default(1).describe('Fewest rows in a leaf.'),
  max_features: maxFeaturesParam,
  class_weight: classWeightParam,
});
export type DecisionTreeParams = z.infer<typeof decisionTreeParams>;

export interface DecisionTreeState {
  task: 'binary' | 'multiclass' | 'regression';
  nClasses: number;
  tree: FlatTree;
}

const MISSING_CODE = 0xffffffff;

/** Ranks of distinct values per feature (column-major Uint32), thresholds at midpoints. */
export function exactCodes(X: Matrix): CodedFeatures {
  const { rows, cols, data } = X;
  const codes = new Uint32Array(rows * cols);
  const nCodes = new Int32Array(cols);
  const values: Float64Array[] = [];
  const col = new Float64Array(rows);
  for (let f = 0; f < cols; f++) {
    for (let i = 0; i < rows; i++) col[i] = data[i * cols + f];
    // Typed-array sort is numeric and puts NaN last.
    col.sort();
    let nd = 0;
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (v !== v) break;
      if (nd === 0 || v !== col[nd - 1]) col[nd++] = v;
    }
    const distinct = col.slice(0, nd);
    const o = f * rows;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + f];
      if (v !== v) {
        codes[o + i] = MISSING_CODE;
        continue;
      }
      let lo = 0;
      let hi = nd - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (distinct[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      codes[o + i] = lo;
    }
    nCodes[f] = nd;
    values.push(distinct);
  }
  return {
    codes,
    rows,
    cols,
    nCodes,
    missingCode: MISSING_CODE,
    threshold(f, lo, hi) {
      const a = values[f][lo];
      const b = values[f][hi];
      const t = a / 2 + b / 2;
      return t === b || !Number.isFinite(t) ? a : t;
    },
  };
}

export function fitDecisionTree(data: FitData, params: DecisionTreeParams, options: FitOptions): DecisionTreeState {
  const K = checkFitData(data, options, true);
  const classify = isClassification(options.task);
  const k = classify ? K : 0;
  const coded = exactCodes(data.X);
  const ws = new CartWorkspace(coded, k);
  const w = rowWeights(data, data.y, k, params.class_weight);
  const rows = new Uint32Array(data.X.rows);
  for (let i = 0; i < rows.length; i++) rows[i] = i;
  const tree = growCart(ws, { y: data.y!, nClasses: k }, w, rows, {
    maxDepth: params.max_depth ?? Number.MAX_SAFE_INTEGER,
    minSamplesSplit: params.min_samples_split,
    minSamplesLeaf: params.min_samples_leaf,
    maxFeatures: resolveMaxFeatures(params.max_features, data.X.cols, false),
  }, new Rng(deriveSeed(options.seed, 'decision-tree')));
  return { task: !classify ? 'regression' : K > 2 ? 'multiclass' : 'binary', nClasses: K, tree };
}

export function predictDecisionTree(state: DecisionTreeState, X: Matrix): Prediction {
  const width = state.tree.valueWidth;
  const out = new Float64Array(X.rows * width);
  addTreePredictions(state.tree, X, out, width);
  if (state.task === 'regression') return { values: out };
  return { values: argmaxRows(out, X.rows, width), proba: out };
}

export const decisionTree: Learner<typeof decisionTreeParams, DecisionTreeState> = {
  kind: 'decision_tree',
  title: 'Decision tree (CART)',
  tasks: ['binary', 'multiclass', 'regression'],
  params: decisionTreeParams,
  fit: fitDecisionTree,
  predict: predictDecisionTree,
};
