/**
 * The tree learners, for the registry (core/ml/learners/index.ts), and what ONNX export and
 * TreeSHAP read from their fitted states (through ensembleView). Every tree is a compact
 * FlatTree (../types.ts): go left when x <= threshold, or when x is NaN and missingLeft = 1;
 * leaves have feature = -1; a split's children are child and child + 1; a leaf's values are
 * stored once, at its leaf number; cover = weighted row count (hessian sum for boosting).
 *
 * - decision_tree  DecisionTreeState { task, nClasses, tree }: value = class proportions (width k)
 *                  or the mean (width 1). Exact thresholds (midpoints of the data's values).
 * - random_forest  RandomForestState { task, nClasses, trees }: proba = mean of the trees' leaf
 *                  proportions (ONNX: weights × 1/n_trees, post_transform NONE); regression = mean.
 * - hist_gradient_boosting  HgbState { task, nClasses, treesPerIteration, baseline, trees, ... }:
 *                  raw[t] = baseline[t % T] + Σ trees j with j % T = t (leaf values already × learning
 *                  rate); binary: sigmoid(raw) = P(class 1); multiclass: softmax over T = k.
 * - isolation_forest  IsolationForestState { trees, maxSamples, threshold }: leaf value = depth +
 *                  c(leaf rows); anomaly score = 2^(−mean leaf value / c(maxSamples)).
 */
export { decisionTree } from './decision-tree.ts';
export { randomForest } from './random-forest.ts';
export { histGradientBoosting, hgbRawScores } from './hist-gradient-boosting.ts';
export { isolationForest, anomalyScores, isolationForestDecision } from './isolation-forest.ts';
export { predictTree, predictTrees, addTreePredictions, addForestPredictions, leafIndex, treeDepth } from './flat-tree.ts';
