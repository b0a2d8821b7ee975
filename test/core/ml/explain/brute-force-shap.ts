/**
 * Shapley values by definition, for checking TreeSHAP (not a test file): every subset S of the
 * M features, v(S) = the path-dependent expectation of the ensemble given x_S (the paper's
 * Algorithm 1: follow x at splits on features in S, otherwise average the children by cover),
 * φ_i = Σ_{S ⊆ M∖{i}} |S|!(M−|S|−1)!/M! · (v(S ∪ {i}) − v(S)). Exponential: M ≤ 10 only.
 */
import type { Matrix } from '../../../../core/ml/learners/types.ts';
import type { TreeEnsemble, TreeNodes } from '../../../../core/ml/explain/tree-view.ts';

function expValue(tree: TreeNodes, x: Float64Array, S: number, column: number): number {
  const g = (n: number): number => {
    const f = tree.feature[n];
    if (f < 0) return tree.value[n * tree.valueWidth + column];
    const l = tree.left[n];
    const r = tree.right[n];
    if (S & (1 << f)) {
      const xv = x[f];
      return xv <= tree.threshold[n] || (Number.isNaN(xv) && tree.missingLeft[n] === 1) ? g(l) : g(r);
    }
    return (tree.cover[l] * g(l) + tree.cover[r] * g(r)) / tree.cover[n];
  };
  return g(0);
}

/** v(S) for every output: baseline + Σ_trees weight × E[tree | x_S]. */
function value(ens: TreeEnsemble, x: Float64Array, S: number): Float64Array {
  const out = Float64Array.from(ens.baseline);
  ens.trees.forEach((tree, t) => {
    const map = ens.outputOf[t];
    for (let c = 0; c < map.length; c++) if (map[c] >= 0) out[map[c]] += ens.weight * expValue(tree, x, S, c);
  });
  return out;
}

/** rows × outputs × M, the same layout as treeShap. */
export function bruteForceShap(ens: TreeEnsemble, X: Matrix): Float64Array {
  const M = X.cols;
  const O = ens.outputs;
  const fact = [1];
  for (let i = 1; i <= M; i++) fact.push(fact[i - 1] * i);
  const phi = new Float64Array(X.rows * O * M);
  for (let r = 0; r < X.rows; r++) {
    const x = X.data.slice(r * M, (r + 1) * M);
    const v = Array.from({ length: 1 << M }, (_, S) => value(ens, x, S));
    for (let i = 0; i < M; i++) {
      for (let S = 0; S < 1 << M; S++) {
        if (S & (1 << i)) continue;
        let size = 0;
        for (let b = S; b; b &= b - 1) size++;
        const w = (fact[size] * fact[M - size - 1]) / fact[M];
        for (let o = 0; o < O; o++) phi[(r * O + o) * M + i] += w * (v[S | (1 << i)][o] - v[S][o]);
      }
    }
  }
  return phi;
}
