/**
 * An independent TreeSHAP: Debian's python3-xgboost (1.7) trains a model, gives its own
 * `pred_contribs`, and its trees are loaded into our FlatTree form here, so our TreeSHAP can run
 * on exactly the same trees. Used by the TreeSHAP test (describePython('xgboost', ...)) and
 * bench/explain.ts.
 *
 * XGBoost goes left when float32(x) < split (float32); we go left when x <= threshold. For data
 * that is float32 already (pass it through Math.fround), x < t ⟺ x <= the float32 just below t,
 * which is the threshold we store. Missing values follow default_left; cover is sum_hessian.
 */
import { spawnSync } from 'node:child_process';
import type { FlatTree, Matrix } from '../../core/ml/learners/types.ts';
import { flatTreeFromNodes } from '../../core/ml/learners/tree/flat-tree.ts';
// python-probe, not python.ts: the bench imports this file outside vitest.
import { PYTHON } from './python-probe.ts';

export interface XgbTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
  sum_hessian: number[];
}

export interface XgbResult {
  trees: FlatTree[];
  /** Class of each tree (multiclass: tree t adds to logit treeClass[t]). */
  treeClass: number[];
  /** The margin every row starts from (logit of base_score for binary:logistic). */
  baseMargin: number;
  /** pred_contribs: rows × (classes ×) (features + 1), the bias last. */
  contribs: number[][] | number[][][];
  margin: number[] | number[][];
  /** Seconds XGBoost's pred_contribs took (best of `repeats`), for the bench. */
  contribSeconds: number;
  /** Peak resident memory of the Python process (KB). */
  maxRssKb: number;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest float32 strictly below t (t a float32). */
export function float32Below(t: number): number {
  f32[0] = t;
  if (t === 0) return -1.401298464324817e-45;
  if (t > 0) u32[0] -= 1;
  else u32[0] += 1;
  return f32[0];
}

/** One XGBoost JSON tree as a FlatTree (value = leaf score, width 1). */
export function flatTreeFromXgb(t: XgbTree): FlatTree {
  const n = t.left_children.length;
  const tree = {
    feature: new Int32Array(n),
    threshold: new Float64Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    missingLeft: new Uint8Array(n),
    cover: new Float64Array(n),
    value: new Float64Array(n),
    valueWidth: 1,
  };
  for (let i = 0; i < n; i++) {
    const leaf = t.left_children[i] === -1;
    tree.feature[i] = leaf ? -1 : t.split_indices[i];
    tree.left[i] = t.left_children[i];
    tree.right[i] = t.right_children[i];
    tree.missingLeft[i] = t.default_left[i] ? 1 : 0;
    tree.cover[i] = Math.fround(t.sum_hessian[i]);
    if (leaf) tree.value[i] = Math.fround(t.split_conditions[i]);
    else tree.threshold[i] = float32Below(Math.fround(t.split_conditions[i]));
  }
  return flatTreeFromNodes(tree);
}

const SCRIPT = String.raw`
import json, sys, time, resource, numpy as np, xgboost as xgb
d = json.load(sys.stdin)
def mat(rows):
    return np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=np.float32)
X, Xe = mat(d['X']), mat(d['explain'])
params = dict(d['params'])
dtrain = xgb.DMatrix(X, label=np.array(d['y']), missing=np.nan, nthread=params.get('nthread', 1))
bst = xgb.train(params, dtrain, num_boost_round=d['rounds'])
dx = xgb.DMatrix(Xe, missing=np.nan, nthread=params.get('nthread', 1))
best = float('inf')
for _ in range(d.get('repeats', 1)):
    t0 = time.perf_counter()
    contribs = bst.predict(dx, pred_contribs=True)
    best = min(best, time.perf_counter() - t0)
margin = bst.predict(dx, output_margin=True)
m = json.loads(bytes(bst.save_raw('json')))['learner']
model = m['gradient_booster']['model']
keys = ['left_children', 'right_children', 'split_indices', 'split_conditions', 'default_left', 'sum_hessian']
print(json.dumps({'trees': [{k: t[k] for k in keys} for t in model['trees']], 'tree_info': model['tree_info'],
  'base_score': float(m['learner_model_param']['base_score']), 'objective': m['objective']['name'],
  'contribs': contribs.tolist() if d.get('return_contribs', True) else [], 'margin': margin.tolist(), 'seconds': best,
  'maxrss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
`;

/** Train XGBoost on X/y (float32 values; NaN = missing) and explain `explain` with pred_contribs. */
export function xgboostContribs(X: Matrix, y: ArrayLike<number>, explain: Matrix, params: Record<string, unknown>, rounds: number, repeats = 1, returnContribs = true): XgbResult {
  const rows = (m: Matrix) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols), (v) => (Number.isNaN(v) ? null : v)));
  // OpenMP gets exactly the threads asked for (runPython pins 1; the bench compares at 2).
  const threads = String(params.nthread ?? 1);
  const env = { ...process.env, OMP_NUM_THREADS: threads, OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const input = JSON.stringify({ X: rows(X), y: Array.from(y), explain: rows(explain), params, rounds, repeats, return_contribs: returnContribs });
  const run = spawnSync(PYTHON, ['-c', SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 30, env });
  if (run.status !== 0) throw new Error(`python failed (${run.status}):\n${run.stderr}`);
  const r = JSON.parse(run.stdout) as { trees: XgbTree[]; tree_info: number[]; base_score: number; objective: string; contribs: XgbResult['contribs']; margin: XgbResult['margin']; seconds: number; maxrss_kb: number };
  const logistic = r.objective === 'binary:logistic';
  const base = Math.fround(r.base_score);
  return {
    trees: r.trees.map(flatTreeFromXgb),
    treeClass: r.tree_info,
    baseMargin: logistic ? Math.log(base / (1 - base)) : base,
    contribs: r.contribs,
    margin: r.margin,
    contribSeconds: r.seconds,
    maxRssKb: r.maxrss_kb,
  };
}
