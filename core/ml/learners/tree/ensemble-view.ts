/**
 * The one way code outside the tree learners reads a fitted tree model (ONNX export and TreeSHAP):
 * every tree as TreeNodes (explicit left and right children, a value vector per node) plus how
 * the trees' leaf values add up. The learners hold trees compact (FlatTree: one child offset,
 * values once per leaf); whoever changes that layout changes this file, and every reader keeps
 * working.
 *
 * Prediction, as the learners compute it: raw = base, then for t in order,
 *   raw[output(t) .. output(t) + width) += weight × leafValue(tree t, row)
 * and the task's post-processing (classification proportions as they are, boosting's sigmoid /
 * softmax, isolation forest's 2^(−raw / c)) follows.
 */
import type { FlatTree } from '../types.ts';
import type { DecisionTreeState } from './decision-tree.ts';
import type { HgbState } from './hist-gradient-boosting.ts';
import type { IsolationForestState } from './isolation-forest.ts';
import { averagePathLength } from './isolation-forest.ts';
import type { RandomForestState } from './random-forest.ts';

/** One tree's nodes as readers see them: go left when x <= threshold, or x is NaN and missingLeft = 1. */
export interface TreeNodes {
  size: number;
  /** -1 = leaf. */
  feature: Int32Array;
  threshold: Float64Array;
  /** Children of a split; -1 on a leaf. */
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  /** Rows (or hessian) that reached the node; TreeSHAP's "cover". */
  cover: Float64Array;
  /** size × valueWidth; a leaf's values (0 on splits). */
  value: Float64Array;
  valueWidth: number;
}

/** The accessor: a compact tree as TreeNodes (thresholds shared, children and values laid out per node). */
export function treeNodes(tree: FlatTree): TreeNodes {
  const size = tree.feature.length;
  const w = tree.valueWidth;
  const left = new Int32Array(size).fill(-1);
  const right = new Int32Array(size).fill(-1);
  const value = new Float64Array(size * w);
  for (let i = 0; i < size; i++) {
    const c = tree.child[i];
    if (tree.feature[i] >= 0) {
      left[i] = c;
      right[i] = c + 1;
    } else for (let v = 0; v < w; v++) value[i * w + v] = tree.value[c * w + v];
  }
  // The compact tree may hold features in 16 bits and covers in float32 (exact): readers get them widened.
  const feature = tree.feature instanceof Int32Array ? tree.feature : Int32Array.from(tree.feature);
  const cover = tree.cover instanceof Float64Array ? tree.cover : Float64Array.from(tree.cover);
  return { size, feature, threshold: tree.threshold, left, right, missingLeft: tree.missingLeft, cover, value, valueWidth: w };
}

export interface EnsembleView {
  /** Number of trees. */
  count: number;
  /** Tree t, laid out per node (made on each call: read a tree, let it go). */
  tree: (t: number) => TreeNodes;
  /** Values per leaf (classes for a classifier's proportions, else 1). */
  width: number;
  /** Columns of the raw sum. */
  outputs: number;
  /** First raw column tree t adds into. */
  outputOf: (t: number) => number;
  /** Every leaf value is multiplied by this before it is added (1 / trees for a forest's mean). */
  weight: number;
  /** Raw value before any tree (boosting's baseline), per output column. */
  base: number[];
  post: { kind: 'none' } | { kind: 'sigmoid' } | { kind: 'softmax' } | { kind: 'isolation'; c: number };
}

const trees = (list: FlatTree[]) => ({ count: list.length, tree: (t: number) => treeNodes(list[t]) });

/** The tree model inside a fitted state of `kind`, or null when `kind` is not a tree learner. */
export function ensembleView(kind: string, state: unknown): EnsembleView | null {
  switch (kind) {
    case 'decision_tree': {
      const s = state as DecisionTreeState;
      const width = s.tree.valueWidth;
      return { ...trees([s.tree]), width, outputs: width, outputOf: () => 0, weight: 1, base: new Array(width).fill(0), post: { kind: 'none' } };
    }
    case 'random_forest': {
      const s = state as RandomForestState;
      const width = s.trees[0].valueWidth;
      return { ...trees(s.trees), width, outputs: width, outputOf: () => 0, weight: 1 / s.trees.length, base: new Array(width).fill(0), post: { kind: 'none' } };
    }
    case 'hist_gradient_boosting': {
      const s = state as HgbState;
      const T = s.treesPerIteration;
      const post = s.task === 'regression' ? { kind: 'none' as const } : s.task === 'binary' ? { kind: 'sigmoid' as const } : { kind: 'softmax' as const };
      return { ...trees(s.trees), width: 1, outputs: T, outputOf: (j) => j % T, weight: 1, base: [...s.baseline], post };
    }
    case 'isolation_forest': {
      const s = state as IsolationForestState;
      const c = averagePathLength(s.maxSamples);
      return { ...trees(s.trees), width: 1, outputs: 1, outputOf: () => 0, weight: 1 / s.trees.length, base: [0], post: { kind: 'isolation', c: c > 0 ? c : 1 } };
    }
    default:
      return null;
  }
}
