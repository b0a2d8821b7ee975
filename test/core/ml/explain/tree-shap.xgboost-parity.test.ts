import { expect, it } from 'vitest';
import { ensembleExpectation, treeShap } from '../../../../core/ml/explain/tree-shap.ts';
import { treeNodes, type TreeEnsemble } from '../../../../core/ml/explain/tree-view.ts';
import type { Matrix } from '../../../../core/ml/learners/types.ts';
import { describePython } from '../../../support/python.ts';
import { xgboostContribs, type XgbResult } from '../../../support/xgboost.ts';
import { features, problem } from './explain-fixtures.ts';

/** float32 data, as XGBoost sees it. */
function asFloat32(X: Matrix): Matrix {
  return { ...X, data: X.data.map((v) => Math.fround(v)) };
}

function ensembleOf(r: XgbResult, outputs: number): TreeEnsemble {
  return {
    trees: r.trees.map(treeNodes),
    weight: 1,
    outputOf: r.treeClass.map((c) => Int32Array.of(outputs > 1 ? c : 0)),
    outputs,
    baseline: new Array(outputs).fill(r.baseMargin),
  };
}

/** Our φ (rows × outputs × M) and base against pred_contribs (rows × [outputs ×] (M + 1)). */
function compare(ours: Float64Array, base: Float64Array, r: XgbResult, rows: number, outputs: number, M: number): number {
  let worst = 0;
  for (let i = 0; i < rows; i++) {
    for (let o = 0; o < outputs; o++) {
      const theirs = (outputs > 1 ? (r.contribs as number[][][])[i][o] : (r.contribs as number[][])[i]) as number[];
      for (let f = 0; f < M; f++) worst = Math.max(worst, Math.abs(ours[(i * outputs + o) * M + f] - theirs[f]));
      worst = Math.max(worst, Math.abs(base[o] - theirs[M]));
    }
  }
  return worst;
}

describePython('xgboost', 'TreeSHAP on XGBoost trees matches XGBoost pred_contribs', () => {
  const cases = [
    { name: 'binary:logistic', task: 'binary' as const, outputs: 1, params: { objective: 'binary:logistic', max_depth: 5, eta: 0.3 } },
    { name: 'reg:squarederror', task: 'regression' as const, outputs: 1, params: { objective: 'reg:squarederror', max_depth: 6, eta: 0.2 } },
    { name: 'multi:softprob', task: 'multiclass' as const, outputs: 3, params: { objective: 'multi:softprob', num_class: 3, max_depth: 4 } },
  ];
  for (const c of cases) {
    it(`within 1e-5 on ${c.name} (missing values, depth ${c.params.max_depth}), bias included`, () => {
      const pr = problem(c.task, 400, 7, 21, 0.08);
      const X = asFloat32(pr.X);
      const explain = asFloat32(features(60, 7, 99, 0.1));
      const r = xgboostContribs(X, pr.y!, explain, { ...c.params, nthread: 1, seed: 0, tree_method: 'hist' }, 20);
      const ens = ensembleOf(r, c.outputs);
      const phi = treeShap(ens, explain);
      const base = ensembleExpectation(ens);
      expect(compare(phi, base, r, explain.rows, c.outputs, 7)).toBeLessThan(1e-5);
      // and the loaded trees predict XGBoost's own margins (the threshold conversion is right).
      for (let i = 0; i < explain.rows; i++) {
        for (let o = 0; o < c.outputs; o++) {
          let s = base[o];
          for (let f = 0; f < 7; f++) s += phi[(i * c.outputs + o) * 7 + f];
          const m = c.outputs > 1 ? (r.margin as number[][])[i][o] : (r.margin as number[])[i];
          expect(Math.abs(s - m)).toBeLessThan(1e-5);
        }
      }
    });
  }
});
