/**
 * The one place where explanations read tree learners' fitted states. TreeSHAP sees an ensemble
 * as a list of trees, each adding `weight × leaf value` (some of its value columns) into some of
 * the model's raw outputs; how the learner stores its trees is known only here, so a different
 * tree layout changes this file and nothing else in core/ml/explain.
 */
import type { FlatTree } from '../learners/types.ts';
import type { DecisionTreeState } from '../learners/tree/decision-tree.ts';
import type { HgbState } from '../learners/tree/hist-gradient-boosting.ts';
import type { IsolationForestState } from '../learners/tree/isolation-forest.ts';
import type { RandomForestState } from '../learners/tree/random-forest.ts';

/** One tree's nodes as TreeSHAP reads them: go left when x <= threshold, or x is NaN and missingLeft = 1. */
export interface TreeNodes {
  size: number;
  /** -1 = leaf. */
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  /** Rows (or hessian) that reached the node; TreeSHAP's "cover". */
  cover: Float64Array;
  /** size × valueWidth. */
  value: Float64Array;
  valueWidth: number;
}

/** The accessor: a FlatTree's fields as TreeNodes (no copy). */
export function treeNodes(tree: FlatTree): TreeNodes {
  return {
    size: tree.feature.length,
    feature: tree.feature,
    threshold: tree.threshold,
    left: tree.left,
    right: tree.right,
    missingLeft: tree.missingLeft,
    cover: tree.cover,
    value: tree.value,
    valueWidth: tree.valueWidth,
  };
}

/**
 * raw output o (of `outputs`) = baseline[o] + Σ_trees weight × value[leaf, c] over the value
 * columns c with outputOf[t][c] = o (-1: the column feeds no output).
 */
export interface TreeEnsemble {
  trees: TreeNodes[];
  weight: number;
  /** Per tree, per value column: the output it adds to, or -1. */
  outputOf: Int32Array[];
  outputs: number;
  baseline: number[];
}

const TREE_KINDS = ['decision_tree', 'random_forest', 'hist_gradient_boosting', 'isolation_forest'] as const;

export function isTreeKind(kind: string): boolean {
  return (TREE_KINDS as readonly string[]).includes(kind);
}

/** Column c of a classification tree → output: binary explains P(class 1) only; multiclass every class. */
function probaOutputs(task: string, width: number): Int32Array {
  if (task === 'binary') return Int32Array.from({ length: width }, (_, c) => (c === 1 ? 0 : -1));
  return Int32Array.from({ length: width }, (_, c) => c);
}

/**
 * The ensemble TreeSHAP explains, by learner: decision tree and random forest their (averaged)
 * leaf probabilities or means, boosting its raw margin (log-odds, or one logit per class),
 * isolation forest its mean path length E[h(x)] (the anomaly score is 2^(−E[h]/c), monotone in it).
 */
export function treeEnsembleOf(kind: string, state: unknown): TreeEnsemble | null {
  switch (kind) {
    case 'decision_tree': {
      const s = state as DecisionTreeState;
      const outputOf = s.task === 'regression' ? Int32Array.of(0) : probaOutputs(s.task, s.tree.valueWidth);
      return { trees: [treeNodes(s.tree)], weight: 1, outputOf: [outputOf], outputs: s.task === 'multiclass' ? s.tree.valueWidth : 1, baseline: s.task === 'multiclass' ? new Array(s.tree.valueWidth).fill(0) : [0] };
    }
    case 'random_forest': {
      const s = state as RandomForestState;
      const width = s.trees[0].valueWidth;
      const outputOf = s.task === 'regression' ? Int32Array.of(0) : probaOutputs(s.task, width);
      const outputs = s.task === 'multiclass' ? width : 1;
      return { trees: s.trees.map(treeNodes), weight: 1 / s.trees.length, outputOf: s.trees.map(() => outputOf), outputs, baseline: new Array(outputs).fill(0) };
    }
    case 'hist_gradient_boosting': {
      const s = state as HgbState;
      const T = s.treesPerIteration;
      return { trees: s.trees.map(treeNodes), weight: 1, outputOf: s.trees.map((_, t) => Int32Array.of(t % T)), outputs: T, baseline: [...s.baseline] };
    }
    case 'isolation_forest': {
      const s = state as IsolationForestState;
      return { trees: s.trees.map(treeNodes), weight: 1 / s.trees.length, outputOf: s.trees.map(() => Int32Array.of(0)), outputs: 1, baseline: [0] };
    }
    default:
      return null;
  }
}
