import { describe, expect, it } from 'vitest';
import { mlp } from '../../../../core/ml/learners/mlp.ts';
import { loadDataset, standardize } from '../../../support/datasets.ts';
import { describePython } from '../../../support/python.ts';
import { runParity } from '../../../support/sklearn-parity.ts';
import { expectAllNaNColumnRefused, expectClose, expectConstantFeatureFinite, expectDeterministic } from './learner-checks.ts';

// The result of one random init is luck: both sides are averaged over three seeds
// (ours: FitOptions.seed 1, 2, 3; sklearn: random_state 1, 2, 3). Given the SAME initial weights and
// no shuffling, one epoch of ours reproduces sklearn's loss curve to the last bit (checked by hand).
describePython('sklearn', 'mlp matches scikit-learn 1.2 MLPClassifier / MLPRegressor (adam)', () => {
  const seeds = [1, 2, 3];
  const outcomes = runParity([
    { learner: mlp, params: { hidden_layer_sizes: [32] }, dataset: 'breast_cancer', estimator: 'MLPClassifier(hidden_layer_sizes=(32,))', scale: true, seeds },
    { learner: mlp, params: { hidden_layer_sizes: [32] }, dataset: 'penguins_sex', estimator: 'MLPClassifier(hidden_layer_sizes=(32,))', scale: true, seeds },
    { learner: mlp, params: { hidden_layer_sizes: [32], max_iter: 50 }, dataset: 'digits', estimator: 'MLPClassifier(hidden_layer_sizes=(32,), max_iter=50)', scale: true, seeds },
    { learner: mlp, params: { hidden_layer_sizes: [16, 8], learning_rate_init: 0.01, max_iter: 300 }, dataset: 'diabetes', estimator: 'MLPRegressor(hidden_layer_sizes=(16, 8), learning_rate_init=0.01, max_iter=300)', scale: true, seeds },
  ]);
  for (const o of outcomes) {
    it(o.label, () => expectClose(o.ours, o.sklearn));
  }
});

describe('mlp', () => {
  const { train, test } = loadDataset('breast_cancer');
  const [Xtr, Xte] = standardize(train.X, test.X);
  const fitWith = (params: Record<string, unknown>, seed = 1) =>
    mlp.fit({ X: Xtr, y: train.y, featureNames: train.featureNames, nClasses: 2 }, mlp.params.parse(params), { task: 'binary', seed });

  it('early stopping stops before max_iter and keeps the best validation epoch', () => {
    const s = fitWith({ hidden_layer_sizes: [8], early_stopping: true, learning_rate_init: 0.01, max_iter: 500 });
    expect(s.epochs).toBeLessThan(500);
    expect(s.validationScores!.length).toBe(s.epochs);
    // stopped after n_iter_no_change + 1 epochs without beating the best score by tol
    const best = Math.max(...s.validationScores!);
    const firstBest = s.validationScores!.indexOf(best);
    expect(s.epochs - 1 - firstBest).toBeGreaterThanOrEqual(11);
  });
  it('stops when the training loss stops improving by tol', () => {
    const s = fitWith({ hidden_layer_sizes: [8], learning_rate_init: 0.05, tol: 1e-2, max_iter: 500 });
    expect(s.epochs).toBeLessThan(500);
    expect(s.lossCurve.length).toBe(s.epochs);
  });
  it('two hidden layers and a different seed give a different, still good model', () => {
    const a = fitWith({ hidden_layer_sizes: [16, 8], max_iter: 60 }, 1);
    const b = fitWith({ hidden_layer_sizes: [16, 8], max_iter: 60 }, 2);
    expect(a.sizes).toEqual([30, 16, 8, 1]);
    expect(Buffer.from(a.coefs[0].buffer).equals(Buffer.from(b.coefs[0].buffer))).toBe(false);
    const pred = mlp.predict(a, Xte);
    let ok = 0;
    for (let i = 0; i < Xte.rows; i++) if (pred.values[i] === test.y[i]) ok++;
    expect(ok / Xte.rows).toBeGreaterThan(0.9);
  });
  it('gives bit-identical predictions on two fits', () => expectDeterministic(mlp, { hidden_layer_sizes: [8], max_iter: 30 }, 'penguins_sex'));
  it('stays finite with a constant feature', () => expectConstantFeatureFinite(mlp, { hidden_layer_sizes: [8], max_iter: 30 }, 'diabetes'));
  it('refuses an all-missing feature by name', () => expectAllNaNColumnRefused(mlp, {}, 'penguins_sex'));
});
