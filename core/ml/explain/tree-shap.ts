/**
 * Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018) over TreeEnsembles (tree-view.ts).
 *
 * For one tree, the path-dependent value of a feature set S is a sum over leaves l:
 *   v(S) = Σ_l value_l · Π_{j on l's path} (j ∈ S ? o_j : z_j)
 * where, per distinct feature j on the path, z_j is the product of the cover ratios
 * (child cover / parent cover) of the path's splits on j, and o_j is 1 when the row follows every
 * one of them, else 0. Each leaf is a product game, so its Shapley values have a closed form:
 *   φ_i += value_l · (o_i − z_i) · Σ_{S ⊆ O∖{i}} w_d(|S|) · Π_{j ∈ P∖S∖{i}} z_j
 * with P the leaf's d path features, O ⊆ P those the row follows and w_d(k) = k!(d−k−1)!/d!.
 * The sum depends on the row only through O, so it is tabulated once per leaf for every subset
 * (2^d numbers, "Fast TreeSHAP v2", Yang 2021), and a row costs O(leaves × depth) per tree
 * instead of Algorithm 2's O(leaves × depth²). Trees whose tables would be too large (deep
 * forests), or which have a zero cover ratio, take Algorithm 2 itself (`recursiveTreeShap`);
 * both give the same numbers up to rounding, and both are tested against brute force.
 */
import type { Matrix } from '../learners/types.ts';
import type { TreeEnsemble, TreeNodes } from './tree-view.ts';

export type TreeShapAlgorithm = 'auto' | 'table' | 'recursive';

/** Cover ratio child/parent (TreeSHAP's zero fraction). */
function ratio(tree: TreeNodes, child: number, parent: number): number {
  return tree.cover[child] / tree.cover[parent];
}

/** Does row `x` (at `offset`) go left at `node`? The same rule as prediction (flat-tree.ts). */
function goesLeft(tree: TreeNodes, node: number, x: ArrayLike<number>, offset: number): boolean {
  const v = x[offset + tree.feature[node]];
  return v <= tree.threshold[node] || (v !== v && tree.missingLeft[node] === 1);
}

/**
 * E[tree] under the path-dependent distribution, per value column: Σ_l value_l · Π path ratios.
 * TreeSHAP's base value (plus the ensemble baseline); Σ φ + base = prediction exactly.
 */
export function treeExpectation(tree: TreeNodes): Float64Array {
  const w = tree.valueWidth;
  const out = new Float64Array(w);
  const frac = new Float64Array(tree.size);
  frac[0] = 1;
  // Children always come after their parent in FlatTree order? Not guaranteed for loaded trees: walk a stack.
  const stack = [0];
  while (stack.length) {
    const n = stack.pop()!;
    if (tree.feature[n] < 0) {
      for (let c = 0; c < w; c++) out[c] += frac[n] * tree.value[n * w + c];
      continue;
    }
    const l = tree.left[n];
    const r = tree.right[n];
    frac[l] = frac[n] * ratio(tree, l, n);
    frac[r] = frac[n] * ratio(tree, r, n);
    stack.push(r, l);
  }
  return out;
}

/** Base value per output: the ensemble baseline plus every tree's weighted expectation. */
export function ensembleExpectation(ens: TreeEnsemble): Float64Array {
  const base = Float64Array.from(ens.baseline);
  ens.trees.forEach((tree, t) => {
    const e = treeExpectation(tree);
    const map = ens.outputOf[t];
    for (let c = 0; c < map.length; c++) if (map[c] >= 0) base[map[c]] += ens.weight * e[c];
  });
  return base;
}

// ---------------------------------------------------------------- leaf tables

/** Per-leaf tables of one tree, in flat arrays. */
interface LeafTables {
  leaves: number;
  /** Path features of leaf l at featOff[l] .. featOff[l] + d[l]. */
  d: Int32Array;
  featOff: Int32Array;
  feature: Int32Array;
  /** (1 − z_i) / z_i per path feature. */
  a: Float64Array;
  /** Splits on the path: node, position of its feature among the leaf's path features, went left. */
  entryOff: Int32Array;
  entryNode: Int32Array;
  entryPos: Int32Array;
  entryLeft: Uint8Array;
  /** G(U) for U ⊆ path features (2^d each): Π_{P∖U} z_j · Σ_k w_d(k) · e_{|U|−k}(z_U). */
  gOff: Int32Array;
  g: Float64Array;
  /** weight × value of the leaf, for each value column that feeds an output (leaves × used). */
  values: Float64Array;
}

/** The most table entries (2^d summed over leaves) one tree may use: 8 MB of doubles. */
const MAX_TABLE_ENTRIES = 1 << 20;
const MAX_TABLE_DEPTH = 16;

interface LeafPath {
  node: number;
  features: number[];
  z: number[];
  entries: { node: number; pos: number; left: boolean }[];
}

function leafPaths(tree: TreeNodes): LeafPath[] {
  const out: LeafPath[] = [];
  const walk = (n: number, features: number[], z: number[], entries: LeafPath['entries']) => {
    if (tree.feature[n] < 0) {
      out.push({ node: n, features, z, entries });
      return;
    }
    const f = tree.feature[n];
    for (const [child, left] of [[tree.left[n], true], [tree.right[n], false]] as const) {
      let pos = features.indexOf(f);
      const fs = pos < 0 ? [...features, f] : features;
      const zs = [...z];
      if (pos < 0) {
        pos = fs.length - 1;
        zs.push(1);
      }
      zs[pos] *= ratio(tree, child, n);
      walk(child, fs, zs, [...entries, { node: n, pos, left }]);
    }
  };
  walk(0, [], [], []);
  return out;
}

/** Leaf tables for `tree`, or null when they would be too large or a cover ratio is 0. */
function buildTables(tree: TreeNodes, weight: number, used: Int32Array): LeafTables | null {
  const paths = leafPaths(tree);
  let entries = 0;
  let feats = 0;
  let gSize = 0;
  for (const p of paths) {
    if (p.features.length > MAX_TABLE_DEPTH || p.z.some((z) => !(z > 0))) return null;
    entries += p.entries.length;
    feats += p.features.length;
    gSize += 1 << p.features.length;
  }
  if (gSize > MAX_TABLE_ENTRIES) return null;
  const L = paths.length;
  const t: LeafTables = {
    leaves: L,
    d: new Int32Array(L),
    featOff: new Int32Array(L + 1),
    feature: new Int32Array(feats),
    a: new Float64Array(feats),
    entryOff: new Int32Array(L + 1),
    entryNode: new Int32Array(entries),
    entryPos: new Int32Array(entries),
    entryLeft: new Uint8Array(entries),
    gOff: new Int32Array(L + 1),
    g: new Float64Array(gSize),
    values: new Float64Array(L * used.length),
  };
  const maxD = Math.max(0, ...paths.map((p) => p.features.length));
  const poly = new Float64Array((1 << maxD) * (maxD + 1));
  const zProd = new Float64Array(1 << maxD);
  const wk = new Float64Array(maxD + 1);
  let fo = 0, eo = 0, go = 0;
  paths.forEach((p, l) => {
    const d = p.features.length;
    t.d[l] = d;
    t.featOff[l] = fo;
    t.entryOff[l] = eo;
    t.gOff[l] = go;
    for (let i = 0; i < d; i++, fo++) {
      t.feature[fo] = p.features[i];
      t.a[fo] = (1 - p.z[i]) / p.z[i];
    }
    for (const e of p.entries) {
      t.entryNode[eo] = e.node;
      t.entryPos[eo] = e.pos;
      t.entryLeft[eo] = e.left ? 1 : 0;
      eo++;
    }
    for (let u = 0; u < used.length; u++) t.values[l * used.length + u] = weight * tree.value[p.node * tree.valueWidth + used[u]];
    // w_d(k) = k!(d−k−1)!/d! = 1 / (d · C(d−1, k))
    for (let k = 0, c = 1; k < d; k++) {
      wk[k] = 1 / (d * c);
      c = (c * (d - 1 - k)) / (k + 1);
    }
    // poly_U[k] = [t^k] Π_{j∈U} (z_j + t) = e_{|U|−k}(z_U); zProd[V] = Π_{j∈V} z_j.
    const W = d + 1;
    poly[0] = 1;
    zProd[0] = 1;
    const full = (1 << d) - 1;
    for (let U = 1; U <= full; U++) {
      const b = 31 - Math.clz32(U & -U);
      const prev = U & (U - 1);
      const z = p.z[b];
      zProd[U] = zProd[prev] * z;
      const size = popcount(U);
      poly[U * W] = z * poly[prev * W];
      for (let k = 1; k < size; k++) poly[U * W + k] = z * poly[prev * W + k] + poly[prev * W + k - 1];
      poly[U * W + size] = poly[prev * W + size - 1];
    }
    // G(full) is never read (some feature is always outside U); the loop leaves it 0.
    for (let U = 0; U < full; U++) {
      let s = 0;
      const size = popcount(U);
      for (let k = 0; k <= size; k++) s += wk[k] * poly[U * W + k];
      t.g[go + U] = zProd[full ^ U] * s;
    }
    go += 1 << d;
  });
  t.featOff[L] = fo;
  t.entryOff[L] = eo;
  t.gOff[L] = go;
  return t;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Adds tree `tree`'s contributions for every row of X into phi (rows × outputs × cols). */
function tableTreeShap(tree: TreeNodes, t: LeafTables, used: Int32Array, outputOfUsed: Int32Array, X: Matrix, phi: Float64Array, outputs: number): void {
  const { rows, cols, data } = X;
  const dir = new Uint8Array(tree.size);
  const coef = new Float64Array(MAX_TABLE_DEPTH);
  const nUsed = used.length;
  const stride = outputs * cols;
  for (let r = 0; r < rows; r++) {
    const xo = r * cols;
    for (let n = 0; n < tree.size; n++) if (tree.feature[n] >= 0) dir[n] = goesLeft(tree, n, data, xo) ? 1 : 0;
    const po = r * stride;
    for (let l = 0; l < t.leaves; l++) {
      const d = t.d[l];
      if (d === 0) continue;
      let mask = (1 << d) - 1;
      for (let e = t.entryOff[l], end = t.entryOff[l + 1]; e < end; e++) if (dir[t.entryNode[e]] !== t.entryLeft[e]) mask &= ~(1 << t.entryPos[e]);
      const g = t.gOff[l];
      const g0 = t.g[g + mask];
      const fo = t.featOff[l];
      for (let i = 0; i < d; i++) coef[i] = mask & (1 << i) ? t.a[fo + i] * t.g[g + (mask ^ (1 << i))] : -g0;
      for (let u = 0; u < nUsed; u++) {
        const v = t.values[l * nUsed + u];
        if (v === 0) continue;
        const off = po + outputOfUsed[u] * cols;
        for (let i = 0; i < d; i++) phi[off + t.feature[fo + i]] += v * coef[i];
      }
    }
  }
}

// ---------------------------------------------------------------- Algorithm 2

/** Algorithm 2 of the paper (shap's tree_shap_recursive) for one tree, one row at a time. */
export function recursiveTreeShap(tree: TreeNodes, weight: number, used: Int32Array, outputOfUsed: Int32Array, X: Matrix, phi: Float64Array, outputs: number): void {
  const depth = maxDepth(tree);
  const size = ((depth + 2) * (depth + 3)) / 2;
  const pf = new Int32Array(size);
  const pz = new Float64Array(size);
  const po = new Float64Array(size);
  const pw = new Float64Array(size);
  const { cols, data } = X;
  const stride = outputs * cols;
  const w = tree.valueWidth;
  let xo = 0;
  let phiOff = 0;

  const extend = (b: number, ud: number, zero: number, one: number, f: number) => {
    pf[b + ud] = f;
    pz[b + ud] = zero;
    po[b + ud] = one;
    pw[b + ud] = ud === 0 ? 1 : 0;
    for (let i = ud - 1; i >= 0; i--) {
      pw[b + i + 1] += (one * pw[b + i] * (i + 1)) / (ud + 1);
      pw[b + i] = (zero * pw[b + i] * (ud - i)) / (ud + 1);
    }
  };
  const unwind = (b: number, ud: number, k: number) => {
    const one = po[b + k];
    const zero = pz[b + k];
    let next = pw[b + ud];
    for (let i = ud - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pw[b + i];
        pw[b + i] = (next * (ud + 1)) / ((i + 1) * one);
        next = tmp - (pw[b + i] * zero * (ud - i)) / (ud + 1);
      } else pw[b + i] = (pw[b + i] * (ud + 1)) / (zero * (ud - i));
    }
    for (let i = k; i < ud; i++) {
      pf[b + i] = pf[b + i + 1];
      pz[b + i] = pz[b + i + 1];
      po[b + i] = po[b + i + 1];
    }
  };
  const unwoundSum = (b: number, ud: number, k: number) => {
    const one = po[b + k];
    const zero = pz[b + k];
    let next = pw[b + ud];
    let total = 0;
    if (one !== 0) {
      for (let i = ud - 1; i >= 0; i--) {
        const tmp = (next * (ud + 1)) / ((i + 1) * one);
        total += tmp;
        next = pw[b + i] - (tmp * zero * (ud - i)) / (ud + 1);
      }
    } else if (zero !== 0) {
      for (let i = ud - 1; i >= 0; i--) total += (pw[b + i] * (ud + 1)) / (zero * (ud - i));
    }
    return total;
  };
  const recurse = (node: number, ud: number, parent: number, zero: number, one: number, f: number) => {
    const b = parent + ud + 1;
    for (let i = 0; i <= ud; i++) {
      pf[b + i] = pf[parent + i];
      pz[b + i] = pz[parent + i];
      po[b + i] = po[parent + i];
      pw[b + i] = pw[parent + i];
    }
    extend(b, ud, zero, one, f);
    const split = tree.feature[node];
    if (split < 0) {
      for (let i = 1; i <= ud; i++) {
        const scale = unwoundSum(b, ud, i) * (po[b + i] - pz[b + i]) * weight;
        const off = phiOff + pf[b + i];
        for (let u = 0; u < used.length; u++) phi[off + outputOfUsed[u] * cols] += scale * tree.value[node * w + used[u]];
      }
      return;
    }
    const left = goesLeft(tree, node, data, xo);
    const hot = left ? tree.left[node] : tree.right[node];
    const cold = left ? tree.right[node] : tree.left[node];
    let inZero = 1;
    let inOne = 1;
    let k = 0;
    for (; k <= ud; k++) if (pf[b + k] === split) break;
    if (k !== ud + 1) {
      inZero = pz[b + k];
      inOne = po[b + k];
      unwind(b, ud, k);
      ud -= 1;
    }
    recurse(hot, ud + 1, b, ratio(tree, hot, node) * inZero, inOne, split);
    recurse(cold, ud + 1, b, ratio(tree, cold, node) * inZero, 0, split);
  };

  for (let r = 0; r < X.rows; r++) {
    xo = r * cols;
    phiOff = r * stride;
    // shap's start: RECURSE(root, depth 0, parent slice at 0, 1, 1, no feature); slices begin at 1.
    recurse(0, 0, 0, 1, 1, -1);
  }
}

function maxDepth(tree: TreeNodes): number {
  let max = 0;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (tree.feature[n] < 0) max = Math.max(max, d);
    else stack.push([tree.left[n], d + 1], [tree.right[n], d + 1]);
  }
  return max;
}

// ---------------------------------------------------------------- ensemble

export interface TreeShapOptions {
  /** 'auto' tabulates the trees whose tables fit and are worth it; the others use Algorithm 2. */
  algorithm?: TreeShapAlgorithm;
  /** Called after each tree (trees done, trees in all). */
  onTree?: (done: number, total: number) => void;
}

/**
 * SHAP values of every row of X for every output: rows × outputs × X.cols (row-major), so that
 * Σ_f φ[r, o, f] + ensembleExpectation(ens)[o] = raw output o of row r. Trees are the outer loop
 * (each tree's table is built once and dropped before the next: memory stays at one tree's).
 */
export function treeShap(ens: TreeEnsemble, X: Matrix, options: TreeShapOptions = {}): Float64Array {
  const algorithm = options.algorithm ?? 'auto';
  const phi = new Float64Array(X.rows * ens.outputs * X.cols);
  ens.trees.forEach((tree, t) => {
    const map = ens.outputOf[t];
    const usedList: number[] = [];
    for (let c = 0; c < map.length; c++) if (map[c] >= 0) usedList.push(c);
    const used = Int32Array.from(usedList);
    const outputOfUsed = Int32Array.from(usedList, (c) => map[c]);
    let tables: LeafTables | null = null;
    if (algorithm !== 'recursive' && tree.size > 1) {
      tables = buildTables(tree, ens.weight, used);
      if (tables && algorithm === 'auto' && !tablesPay(tables, X.rows)) tables = null;
      if (!tables && algorithm === 'table') throw new Error('TreeSHAP: this tree is too deep for the leaf tables (or has a zero cover ratio)');
    }
    if (tree.size > 1) {
      if (tables) tableTreeShap(tree, tables, used, outputOfUsed, X, phi, ens.outputs);
      else recursiveTreeShap(tree, ens.weight, used, outputOfUsed, X, phi, ens.outputs);
    }
    options.onTree?.(t + 1, ens.trees.length);
  });
  return phi;
}

/** Tables cost 2^d·d per leaf once; Algorithm 2 costs about d² per leaf per row. */
function tablesPay(t: LeafTables, rows: number): boolean {
  let build = 0;
  let perRow = 0;
  for (let l = 0; l < t.leaves; l++) {
    build += (1 << t.d[l]) * (t.d[l] + 1);
    perRow += t.d[l] * t.d[l];
  }
  return build <= rows * perRow * 4;
}
