/**
 * The one place where explanations read tree learners' fitted states. TreeSHAP sees an ensemble
 * as a list of trees, each adding `weight × leaf value` (some of its value columns) into some of
 * the model's raw outputs. The trees come through the learners' one accessor (ensembleView), so
 * a change of how trees are held in memory reaches neither this file nor TreeSHAP.
 */
import { ensembleView, treeNodes, type TreeNodes } from '../learners/tree/ensemble-view.ts';
import type { DecisionTreeState } from '../learners/tree/decision-tree.ts';
import type { RandomForestState } from '../learners/tree/random-forest.ts';

export { treeNodes, type TreeNodes };

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
  const view = ensembleView(kind, state);
  if (!view) return null;
  const trees = Array.from({ length: view.count }, (_, t) => view.tree(t));
  switch (kind) {
    case 'decision_tree':
    case 'random_forest': {
      const task = (state as DecisionTreeState | RandomForestState).task;
      const outputOf = task === 'regression' ? Int32Array.of(0) : probaOutputs(task, view.width);
      const outputs = task === 'multiclass' ? view.width : 1;
      return { trees, weight: view.weight, outputOf: trees.map(() => outputOf), outputs, baseline: new Array(outputs).fill(0) };
    }
    // Boosting's raw margin (one per class for multiclass) and isolation forest's mean path
    // length are the view's raw sums themselves.
    default:
      return { trees, weight: view.weight, outputOf: trees.map((_, t) => Int32Array.of(view.outputOf(t))), outputs: view.outputs, baseline: [...view.base] };
  }
}
