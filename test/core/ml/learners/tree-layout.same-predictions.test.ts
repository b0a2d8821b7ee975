import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { learnerByKind } from '../../../../core/ml/learners/index.ts';
import type { Matrix } from '../../../../core/ml/learners/types.ts';
import { Rng } from '../../../../core/spec/random.ts';

/**
 * The tree learners' predictions on fixed data, pinned as sha256 of their bytes: taken with the
 * layout that stored a left and a right child and a value vector per node, before the compact
 * layout (one child offset, values once per leaf). A layout change must not move a single bit.
 */
function data(rows: number, seed: number, nan: boolean): { X: Matrix; y: Float64Array; yMulti: Float64Array; yReg: Float64Array } {
  const rng = new Rng(seed);
  const cols = 6;
  const X = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  const yMulti = new Float64Array(rows);
  const yReg = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) X[i * cols + j] = nan && rng.next() < 0.05 ? NaN : Math.round(rng.normal() * 100) / 100;
    const v = (j: number) => (Number.isNaN(X[i * cols + j]) ? 0 : X[i * cols + j]);
    const s = v(0) + v(1) * v(2) - Math.abs(v(3)) + 0.3 * rng.normal();
    y[i] = s > 0 ? 1 : 0;
    yMulti[i] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
    yReg[i] = s + 0.1 * v(4);
  }
  return { X: { data: X, rows, cols }, y, yMulti, yReg };
}

const sha = (...arrays: (Float64Array | undefined)[]) => {
  const h = createHash('sha256');
  for (const a of arrays) if (a) h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 16);
};

const CASES: [string, 'binary' | 'multiclass' | 'regression' | 'anomaly', Record<string, unknown>][] = [
  ['decision_tree', 'binary', {}],
  ['decision_tree', 'regression', { max_depth: 6 }],
  ['random_forest', 'binary', { n_estimators: 12 }],
  ['random_forest', 'multiclass', { n_estimators: 8, max_depth: 7 }],
  ['random_forest', 'regression', { n_estimators: 6 }],
  ['hist_gradient_boosting', 'binary', { max_iter: 15, early_stopping: false }],
  ['hist_gradient_boosting', 'multiclass', { max_iter: 6, early_stopping: false }],
  ['isolation_forest', 'anomaly', { n_estimators: 10 }],
];

const PINNED: Record<string, string> = {
  'decision_tree binary': 'b82ca18a76e3c23e',
  'decision_tree regression': 'cf4f09b71662ab89',
  'random_forest binary': 'e3d1ea87da24f9dd',
  'random_forest multiclass': '85edaeb3a9d4fab7',
  'random_forest regression': '66915e2157c64e2e',
  'hist_gradient_boosting binary': '5449ea8799dc5a5d',
  'hist_gradient_boosting multiclass': '9c1fa6c55bb7705f',
  'isolation_forest anomaly': '159e603398fa92d4',
  'decision_tree binary with NaN': '50c528141f119e83',
  'decision_tree regression with NaN': 'f681b666d97f1f9a',
  'random_forest binary with NaN': 'a4f5ec818690099d',
  'random_forest multiclass with NaN': 'a7c17159cc1ab824',
  'random_forest regression with NaN': '59a8c4244193d930',
  'hist_gradient_boosting binary with NaN': 'd5c8c0c41bbbb633',
  'hist_gradient_boosting multiclass with NaN': 'c7e69fca9f6a331e',
  'isolation_forest anomaly with NaN': '6e80e02c018acfa0',
};

describe('tree predictions are the same bit for bit across tree layouts', () => {
  for (const nan of [false, true]) {
    const train = data(1200, 1, nan);
    const test = data(3001, 2, nan);
    for (const [kind, task, params] of CASES) {
      const name = `${kind} ${task}${nan ? ' with NaN' : ''}`;
      it(name, () => {
        const learner = learnerByKind(kind);
        const y = task === 'binary' ? train.y : task === 'multiclass' ? train.yMulti : task === 'regression' ? train.yReg : undefined;
        const nClasses = task === 'binary' ? 2 : task === 'multiclass' ? 3 : undefined;
        const state = learner.fit({ X: train.X, y, nClasses, featureNames: ['a', 'b', 'c', 'd', 'e', 'f'] }, learner.params.parse(params), { task, seed: 5 });
        const p = learner.predict(state, test.X);
        const got = sha(p.values, p.proba);
        if (process.env.PRINT_PINNED) console.log(`  '${name}': '${got}',`);
        else expect(got).toBe(PINNED[name]);
      });
    }
  }
});
