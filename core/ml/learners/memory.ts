/**
 * How much memory a fit will take, estimated from rows × features × the learner and its params,
 * and a check that stops a fit that would not fit before it starts: growing until the machine
 * swaps helps no one. The estimates count what each learner allocates beyond nothing (the input
 * matrix copied into the worker, its working copies, binned features, trees, weight matrices) and
 * err on the high side; they are not a measurement.
 */
import { freemem } from 'node:os';
import { parseBytes } from '../../data/bytes.ts';
import { FlowlineError } from '../../spec/errors.ts';
import type { Learner } from './types.ts';

export interface FitShape {
  rows: number;
  cols: number;
  /** Classes (classification), else 0. */
  classes: number;
}

type Params = Record<string, unknown>;
type Estimate = (s: FitShape, p: Params) => number;

const F64 = 8;
/** Bytes per node of a flat tree (feature, threshold, child, missing, cover) plus its values (one node in two is a leaf). */
const treeNode = (width: number) => 4 + 8 + 4 + 1 + 8 + 4 * width;
/** Nodes of a tree grown to `depth` (null: unlimited) with leaves of `minLeaf` rows out of `rows`. */
const treeNodes = (rows: number, minLeaf: number, depth: number | null) => Math.min(2 * Math.ceil(rows / Math.max(1, minLeaf)), depth === null ? Infinity : 2 ** (depth + 1));
const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
const width = (s: FitShape) => Math.max(1, s.classes);

/** The input matrix and target as the worker holds them. */
const input = (s: FitShape) => F64 * s.rows * (s.cols + 2);

const ESTIMATES: Record<string, Estimate> = {
  linear_regression: (s) => 2 * F64 * s.rows * s.cols + F64 * s.cols * Math.min(s.rows, s.cols),
  // The normal equations: a features × features matrix.
  ridge: (s) => 2 * F64 * s.rows * s.cols + F64 * s.cols * s.cols,
  lasso: (s) => 2 * F64 * s.rows * s.cols,
  logistic_regression: (s) => 2 * F64 * s.rows * s.cols + 2 * F64 * s.rows * width(s) + 20 * F64 * (s.cols + 1) * width(s),
  linear_svm: (s) => 2 * F64 * s.rows * s.cols + 2 * F64 * s.rows * width(s),
  knn: (s) => 2 * F64 * s.rows * s.cols,
  gaussian_nb: (s) => 4 * F64 * s.cols * width(s) + F64 * s.rows,
  mlp: (s, p) => {
    const layers = [s.cols, ...((p.hidden_layer_sizes as number[] | undefined) ?? [100]), width(s)];
    let weights = 0;
    let units = 0;
    for (let i = 1; i < layers.length; i++) {
      weights += (layers[i - 1] + 1) * layers[i];
      units += layers[i];
    }
    const batch = p.batch_size === 'auto' || p.batch_size === undefined ? Math.min(200, s.rows) : Math.min(num(p.batch_size, 200), s.rows);
    // weights, gradients, two Adam moments and the best weights so far; activations and deltas of a batch
    return F64 * s.rows * s.cols + 5 * F64 * weights + 3 * F64 * batch * units;
  },
  kmeans: (s, p) => F64 * s.rows * s.cols + 6 * F64 * s.rows + 2 * F64 * num(p.n_clusters, 8) * s.cols,
  decision_tree: (s, p) => 5 * s.rows * s.cols + 24 * s.rows + treeNodes(s.rows, num(p.min_samples_leaf, 1), p.max_depth as number | null) * treeNode(width(s)),
  random_forest: (s, p) =>
    5 * s.rows * s.cols + 24 * s.rows * 2 + num(p.n_estimators, 100) * treeNodes(0.64 * s.rows, num(p.min_samples_leaf, 1), p.max_depth as number | null) * treeNode(width(s)),
  hist_gradient_boosting: (s, p) => {
    const perIter = s.classes > 2 ? s.classes : 1;
    const leaves = p.max_leaf_nodes === null ? s.rows : num(p.max_leaf_nodes, 31);
    // binned features both ways, gradients/hessians/raw scores, histograms of up to 16 leaves, trees
    return 2 * s.rows * s.cols + 4 * F64 * s.rows * perIter + 16 * s.cols * 256 * 3 * F64 + num(p.max_iter, 100) * perIter * 2 * leaves * treeNode(1);
  },
  isolation_forest: (s, p) => {
    const psi = p.max_samples === 'auto' || p.max_samples === undefined ? Math.min(256, s.rows) : num(p.max_samples, 256) <= 1 ? num(p.max_samples, 1) * s.rows : Math.min(s.rows, num(p.max_samples, 256));
    return num(p.n_estimators, 100) * 2 * psi * treeNode(1) + 8 * s.rows;
  },
};

/** Every learner has an estimate (the registry test checks); an unknown kind gets a rough one. */
export function hasMemoryEstimate(kind: string): boolean {
  return kind in ESTIMATES;
}

/** Estimated peak bytes of fitting `kind` on a table of this shape. */
export function fitMemoryBytes(kind: string, shape: FitShape, params: Params): number {
  const extra = (ESTIMATES[kind] ?? ((s: FitShape) => 2 * F64 * s.rows * s.cols))(shape, params);
  return input(shape) + extra;
}

/**
 * Memory a fit may use: what the system has available (MemAvailable on Linux), the process's
 * cgroup limit where there is one, and FLOWLINE_FIT_MEMORY_LIMIT (bytes, or e.g. "4GB") where set.
 */
export function availableFitMemory(): number {
  let bytes = freemem();
  const constrained = process.constrainedMemory?.() ?? 0;
  // Without a cgroup limit Node reports 0 or a huge sentinel (2^64).
  if (constrained > 0 && constrained < 2 ** 62) bytes = Math.min(bytes, constrained);
  const limit = parseBytes(process.env.FLOWLINE_FIT_MEMORY_LIMIT);
  if (limit !== null) bytes = Math.min(bytes, limit);
  return bytes;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** Throws NOT_ENOUGH_MEMORY, before any work, when the fit's estimate exceeds the memory available. */
export function checkFitMemory(learner: Pick<Learner, 'kind' | 'title'>, shape: FitShape, params: Params, available = availableFitMemory()): void {
  const need = fitMemoryBytes(learner.kind, shape, params);
  if (need <= available) return;
  throw new FlowlineError({
    code: 'NOT_ENOUGH_MEMORY',
    message: `Fitting ${learner.title} on ${shape.rows.toLocaleString('en')} rows × ${shape.cols.toLocaleString('en')} features would need about ${formatBytes(need)} of memory; ${formatBytes(available)} is available.`,
    hint: 'Train on fewer rows (Sample Rows) or features (Select Features), or choose settings that build less (fewer or shallower trees, fewer units).',
  });
}
