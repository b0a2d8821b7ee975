import { beforeAll, describe, expect, it } from 'vitest';
import { explainModel, type ExplainOptions } from '../../../../core/ml/explain/explain.ts';
import { rawOutputs } from '../../../../core/ml/explain/model-output.ts';
import { frameToMatrix } from '../../../../core/ml/frame.ts';
import { applyRecipe, loadRawFrame } from '../../../../core/ml/recipe.ts';
import { trainModel } from '../../../../core/ml/model.ts';
import { Rng } from '../../../../core/spec/random.ts';
import type { RecipeStep, TableRef, Task } from '../../../../core/spec/index.ts';
import { fakeContext } from '../../../support/fake-context.ts';
import { rawTable, subset, withRecipe } from '../model-fixtures.ts';

const COLOURS = ['red', 'green', 'blue', 'grey'];
const FEATURES = ['x1', 'x2', ...COLOURS.map((c) => `colour_${c}`), 'noise'];

const OPTIONS: ExplainOptions = {
  method: 'auto', maxRows: 1000, className: '', view: 'raw', backgroundSummary: 'kmeans', backgroundSize: 10, samples: 0,
  permutationRepeats: 0, metric: 'auto', pdpColumns: [], ice: 'off', gridPoints: 5, seed: 3,
};

let train: TableRef;
let test: TableRef;
const ctx = fakeContext();

beforeAll(async () => {
  const rng = new Rng(4);
  const n = 160;
  const x1 = new Float64Array(n), x2 = new Float64Array(n), noise = new Float64Array(n), amount = new Float64Array(n);
  const colour: string[] = [], label: string[] = [], grade: string[] = [];
  for (let i = 0; i < n; i++) {
    x1[i] = rng.normal() * 2 + 1;
    x2[i] = rng.normal();
    noise[i] = rng.normal();
    const c = rng.int(4);
    colour.push(COLOURS[c]);
    const s = x1[i] - x2[i] + [1.2, -0.8, 0.3, -0.4][c] + rng.normal() * 0.4;
    amount[i] = 3 * x1[i] - 2 * x2[i] + 2 * c + rng.normal() * 0.1;
    label.push(s > 1 ? 'yes' : 'no');
    grade.push(s < 0 ? 'low' : s < 2 ? 'mid' : 'high');
  }
  const t = await rawTable(ctx, [
    { name: 'x1', data: x1 }, { name: 'x2', data: x2 }, { name: 'colour', data: colour }, { name: 'noise', data: noise },
    { name: 'label', data: label }, { name: 'grade', data: grade }, { name: 'amount', data: amount },
  ]);
  const steps: RecipeStep[] = [
    { nodeId: 'encode', kind: 'onehot', params: { columns: ['colour'] }, inputs: ['colour'], outputs: [], exportable: true },
    { nodeId: 'scale', kind: 'scale', params: { columns: ['x1', 'x2'], method: 'standard' }, inputs: ['x1', 'x2'], outputs: ['x1', 'x2'], exportable: true },
  ];
  const withSteps = withRecipe(t, steps);
  train = await subset(ctx, withSteps, 'ROW < 120', 'train');
  test = await subset(ctx, withSteps, 'ROW >= 120', 'test');
});

const CASES: [string, Task, string | undefined, Record<string, unknown>][] = [
  ['logistic_regression', 'binary', 'label', {}], ['linear_svm', 'binary', 'label', {}], ['knn', 'binary', 'label', {}], ['gaussian_nb', 'binary', 'label', {}],
  ['mlp', 'binary', 'label', { max_iter: 60 }], ['decision_tree', 'binary', 'label', {}], ['random_forest', 'binary', 'label', { n_estimators: 10 }], ['hist_gradient_boosting', 'binary', 'label', { max_iter: 20 }],
  ['logistic_regression', 'multiclass', 'grade', {}], ['linear_svm', 'multiclass', 'grade', {}], ['knn', 'multiclass', 'grade', {}], ['gaussian_nb', 'multiclass', 'grade', {}],
  ['mlp', 'multiclass', 'grade', { max_iter: 60 }], ['decision_tree', 'multiclass', 'grade', {}], ['random_forest', 'multiclass', 'grade', { n_estimators: 10 }], ['hist_gradient_boosting', 'multiclass', 'grade', { max_iter: 10 }],
  ['linear_regression', 'regression', 'amount', {}], ['ridge', 'regression', 'amount', {}], ['lasso', 'regression', 'amount', { alpha: 0.01 }], ['knn', 'regression', 'amount', {}],
  ['mlp', 'regression', 'amount', { max_iter: 60 }], ['decision_tree', 'regression', 'amount', {}], ['random_forest', 'regression', 'amount', { n_estimators: 10 }], ['hist_gradient_boosting', 'regression', 'amount', { max_iter: 20 }],
  ['kmeans', 'clustering', undefined, { n_clusters: 3 }], ['isolation_forest', 'anomaly', undefined, { n_estimators: 20 }],
];

describe('Explain: base value + Σ attributions = the model\'s own raw output on every explained row', () => {
  for (const [learner, task, target, params] of CASES) {
    it(`${learner} ${task}: within 1e-9, in raw-column and engineered views`, async () => {
      const { model } = await trainModel(ctx, train, { target, task, learner, learnerParams: params, features: FEATURES });
      const report = await explainModel(ctx, model, test, undefined, OPTIONS);
      const d = report.explanation.detail!;
      const { frame } = await loadRawFrame(test, model.inputColumns.map((c) => c.name));
      const out = rawOutputs(learner, model.task, model.estimator.state, frameToMatrix(applyRecipe(model.recipe, frame), model.features));
      const O = d.outputs.length;
      expect(O).toBe(task === 'multiclass' ? 3 : task === 'clustering' ? 3 : 1);
      for (const view of Object.values(d.views)) {
        let worst = 0;
        for (let o = 0; o < O; o++) {
          for (let r = 0; r < d.rows.length; r++) {
            const sum = view!.attributions[o].reduce((s, a) => s + a[r], view!.base[o][r]);
            worst = Math.max(worst, Math.abs(sum - out[r * O + o]));
          }
        }
        expect(worst).toBeLessThan(1e-9);
      }
      // tree and linear models get both views; the others the raw one asked for
      expect(Object.keys(d.views).sort()).toEqual(['hist_gradient_boosting', 'decision_tree', 'random_forest', 'isolation_forest', 'logistic_regression', 'linear_svm', 'linear_regression', 'ridge', 'lasso'].includes(learner) ? ['engineered', 'raw'] : ['raw']);
    });
  }
});
