/**
 * Tree models (decision tree, random forest, histogram boosting, isolation forest) as ONNX, read
 * through ensembleView — the learners' one accessor — so a change of the in-memory tree layout
 * does not reach this file.
 *
 *  - default target: ai.onnx.ml v3 TreeEnsembleRegressor with double thresholds
 *    (`nodes_values_as_tensor`) and leaf weights (`target_weights_as_tensor`): splits compare in
 *    double exactly as the app's, the runtime sums in double and returns float32.
 *  - exact target: ai.onnx.ml v5 TreeEnsemble, in double, with one output column per tree; the
 *    columns are then added in the app's order (a runtime that sums the trees itself may split
 *    them over threads and add the partial sums in another order).
 */
import { ensembleView, type EnsembleView } from '../../../ml/learners/tree/ensemble-view.ts';
import { int, ints, str, strs, tensor, type OnnxGraph } from '../graph.ts';
import { argmaxFirst, sigmoidAsApp, softmaxAsApp } from './classify.ts';
import type { EstimatorEmitter, EstimatorOutputs } from './types.ts';

/**
 * [N, outputs] float32 sums (cast to double) through TreeEnsembleRegressor (ai.onnx.ml v3). The
 * node lists are typed arrays filled in one pass (a 100-tree forest on 100k rows has millions of
 * nodes), and the optional nodes_hitrates is left out: runtimes do not read it, and it was a
 * tenth of the file.
 */
function rawDefault(g: OnnxGraph, X: string, view: EnsembleView): string {
  let nodes = 0;
  let targets = 0;
  for (let ti = 0; ti < view.count; ti++) {
    const tree = view.tree(ti);
    nodes += tree.size;
    for (let i = 0; i < tree.size; i++) if (tree.feature[i] < 0) targets += tree.valueWidth;
  }
  const n = { treeids: new Int32Array(nodes), nodeids: new Int32Array(nodes), featureids: new Int32Array(nodes), modes: new Array<string>(nodes), values: new Float64Array(nodes), trueids: new Int32Array(nodes), falseids: new Int32Array(nodes), missing: new Int32Array(nodes) };
  const t = { treeids: new Int32Array(targets), nodeids: new Int32Array(targets), ids: new Int32Array(targets), weights: new Float64Array(targets) };
  let k = 0;
  let l = 0;
  for (let ti = 0; ti < view.count; ti++) {
    const tree = view.tree(ti);
    const out = view.outputOf(ti);
    const w = tree.valueWidth;
    for (let i = 0; i < tree.size; i++, k++) {
      const leaf = tree.feature[i] < 0;
      n.treeids[k] = ti;
      n.nodeids[k] = i;
      n.modes[k] = leaf ? 'LEAF' : 'BRANCH_LEQ';
      if (leaf) {
        // weight × value, as the app multiplies each leaf value before adding it
        for (let v = 0; v < w; v++, l++) {
          t.treeids[l] = ti;
          t.nodeids[l] = i;
          t.ids[l] = out + v;
          t.weights[l] = view.weight * tree.value[i * w + v];
        }
        continue;
      }
      n.featureids[k] = tree.feature[i];
      n.values[k] = tree.threshold[i];
      n.trueids[k] = tree.left[i];
      n.falseids[k] = tree.right[i];
      n.missing[k] = tree.missingLeft[i];
    }
  }
  const [y] = g.ml('TreeEnsembleRegressor', [X], {
    nodes_treeids: ints(n.treeids),
    nodes_nodeids: ints(n.nodeids),
    nodes_featureids: ints(n.featureids),
    nodes_modes: strs(n.modes),
    nodes_values_as_tensor: { t: tensor.double(n.values) },
    nodes_truenodeids: ints(n.trueids),
    nodes_falsenodeids: ints(n.falseids),
    nodes_missing_value_tracks_true: ints(n.missing),
    target_treeids: ints(t.treeids),
    target_nodeids: ints(t.nodeids),
    target_ids: ints(t.ids),
    target_weights_as_tensor: { t: tensor.double(t.weights) },
    // the baseline is added in double before the one rounding to float32: added after, a sum
    // that nearly cancels the baseline would lose its relative precision
    base_values_as_tensor: { t: tensor.double(view.base) },
    n_targets: int(view.outputs),
    aggregate_function: str('SUM'),
    post_transform: str('NONE'),
  });
  return g.cast(y, 'double');
}

/**
 * [N, outputs] double, bit-identical to the app, through TreeEnsemble (ai.onnx.ml v5). A v5 leaf
 * adds one weight to one target, and a classifier's leaf holds k proportions; so each tree's leaf
 * "weight" is the leaf's index (an integer, exact in double) into a table of weight × values, the
 * ensemble returns one index per tree and row, and the values are gathered and added in the app's
 * order (a runtime that sums trees itself may split them over threads and add partial sums in
 * another order).
 */
function rawExact(g: OnnxGraph, X: string, view: EnsembleView): string {
  const width = view.width;
  // Interior nodes (a single-leaf tree gets one, both of whose branches reach the leaf) and
  // leaves, counted first so every list is a typed array filled in one pass.
  let interiors = 0;
  let leaves = 0;
  for (let ti = 0; ti < view.count; ti++) {
    const tree = view.tree(ti);
    let inner = 0;
    for (let i = 0; i < tree.size; i++) if (tree.feature[i] >= 0) inner++;
    interiors += Math.max(1, inner);
    leaves += tree.size - inner;
  }
  const n = { featureids: new Int32Array(interiors), modes: new Uint8Array(interiors), splits: new Float64Array(interiors), trueids: new Int32Array(interiors), trueleafs: new Int32Array(interiors), falseids: new Int32Array(interiors), falseleafs: new Int32Array(interiors), missing: new Int32Array(interiors) };
  const leaf = { targetids: new Int32Array(leaves), weights: new Float64Array(leaves) };
  const table = new Float64Array(leaves * width);
  const roots: number[] = [];
  let k = 0; // interior nodes so far
  let l = 0; // leaves so far
  for (let ti = 0; ti < view.count; ti++) {
    const tree = view.tree(ti);
    const size = tree.size;
    const at = new Int32Array(size); // index among this model's interior nodes, or among its leaves
    let interior = k;
    for (let i = 0; i < size; i++) {
      if (tree.feature[i] >= 0) at[i] = interior++;
      else {
        at[i] = l;
        leaf.targetids[l] = ti;
        leaf.weights[l] = l;
        // weight × value, as the app multiplies each leaf value before adding it
        for (let v = 0; v < width; v++) table[l * width + v] = view.weight * tree.value[i * tree.valueWidth + v];
        l++;
      }
    }
    // BRANCH_LEQ is mode 0, as the arrays start
    const push = (feature: number, split: number, missing: number, left: number, right: number) => {
      n.featureids[k] = feature;
      n.splits[k] = split;
      n.missing[k] = missing;
      n.trueids[k] = at[left];
      n.trueleafs[k] = tree.feature[left] < 0 ? 1 : 0;
      n.falseids[k] = at[right];
      n.falseleafs[k] = tree.feature[right] < 0 ? 1 : 0;
      k++;
    };
    roots.push(k);
    if (tree.feature[0] < 0) push(0, 0, 0, 0, 0);
    else for (let i = 0; i < size; i++) if (tree.feature[i] >= 0) push(tree.feature[i], tree.threshold[i], tree.missingLeft[i], tree.left[i], tree.right[i]);
  }
  const [leafIds] = g.ml('TreeEnsemble', [X], {
    nodes_featureids: ints(n.featureids),
    nodes_modes: { t: tensor.uint8(n.modes) },
    nodes_splits: { t: tensor.double(n.splits) },
    nodes_truenodeids: ints(n.trueids),
    nodes_trueleafs: ints(n.trueleafs),
    nodes_falsenodeids: ints(n.falseids),
    nodes_falseleafs: ints(n.falseleafs),
    nodes_missing_value_tracks_true: ints(n.missing),
    leaf_targetids: ints(leaf.targetids),
    leaf_weights: { t: tensor.double(leaf.weights) },
    tree_roots: ints(roots),
    n_targets: int(view.count),
    aggregate_function: int(1), // SUM of the one leaf each tree reaches: 0 + index, exact
    post_transform: int(0),
  });
  const values = g.op('Gather', [g.constant(tensor.double(table, [leaves, width]), 'leaf_values'), g.cast(leafIds, 'int64')], { axis: int(0) }); // [N, trees, width]
  const pieces = g.split(values, 1, Array.from({ length: view.count }, () => 1)); // [N, 1, width] each
  const byOutput = new Map<number, number[]>();
  for (let t = 0; t < view.count; t++) byOutput.set(view.outputOf(t), [...(byOutput.get(view.outputOf(t)) ?? []), t]);
  const groups: string[] = [];
  for (let o = 0; o < view.outputs; o += width) {
    // raw = base, then += each tree's weighted values in tree order
    const base = g.constant(tensor.double(view.base.slice(o, o + width), [1, 1, width]), 'base');
    groups.push(g.sumInOrder([base, ...(byOutput.get(o) ?? []).map((t) => pieces[t])]));
  }
  return g.reshape(g.concat(groups, 2), [-1, view.outputs]);
}

function finish(g: OnnxGraph, raw: string, view: EnsembleView, classify: boolean): EstimatorOutputs {
  switch (view.post.kind) {
    case 'none':
      return classify ? { proba: raw, labelIndex: argmaxFirst(g, raw) } : { value: raw };
    case 'sigmoid': {
      const p = sigmoidAsApp(g, raw);
      const proba = g.concat([g.op('Sub', [g.scalar(1), p]), p], 1);
      return { proba, labelIndex: argmaxFirst(g, proba) };
    }
    case 'softmax': {
      const proba = softmaxAsApp(g, raw, view.outputs);
      return { proba, labelIndex: argmaxFirst(g, proba) };
    }
    case 'isolation':
      // 2^(−raw / c)
      return { value: g.op('Pow', [g.scalar(2), g.op('Div', [g.op('Neg', [raw]), g.scalar(view.post.c)])]) };
  }
}

export const emitTrees: EstimatorEmitter = (g, input, model) => {
  const view = ensembleView(model.estimator.kind, model.estimator.state)!;
  const classify = model.task === 'binary' || model.task === 'multiclass';
  let raw: string;
  if (view.count === 0) {
    const zero = g.op('Mul', [g.cast(g.op('IsNaN', [input.columns[0]]), 'double'), g.scalar(0)]);
    raw = g.op('Add', [zero, g.constant(tensor.double(view.base, [1, view.outputs]), 'base')]);
  } else if (g.target.name === 'exact') raw = rawExact(g, input.matrix(), view);
  else raw = rawDefault(g, input.matrix(), view);
  return finish(g, raw, view, classify);
};
