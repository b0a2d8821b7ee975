/**
 * Linear models: regression (linear, ridge, lasso), logistic regression (binary: one decision
 * column; multinomial: k), linear SVM (one-vs-rest decisions, Platt-calibrated probabilities).
 * The decision values are summed in the app's order (affine.ts), so they are the app's bit for bit.
 */
import type { LinearRegressorState } from '../../../ml/learners/linear.ts';
import type { LinearClassifierState } from '../../../ml/learners/logistic.ts';
import type { LinearSvmState } from '../../../ml/learners/svm.ts';
import { tensor } from '../graph.ts';
import { affineInOrder, rowSumInOrder } from './affine.ts';
import { argmaxFirst, sigmoidAsApp, softmaxAsApp, twoClass } from './classify.ts';
import type { EstimatorEmitter } from './types.ts';

export const emitLinearRegression: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as LinearRegressorState;
  return { value: affineInOrder(g, input.columns, s.coef, 1, [s.intercept]) };
};

export const emitLogistic: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as LinearClassifierState;
  const kk = s.intercept.length;
  const dec = affineInOrder(g, input.columns, s.coef, kk, s.intercept);
  if (kk === 1) {
    // class 1 when dec > 0 (a tie at 0 is class 0)
    return { labelIndex: g.cast(g.op('Greater', [dec, g.scalar(0)]), 'int64'), proba: twoClass(g, sigmoidAsApp(g, dec)) };
  }
  return { labelIndex: argmaxFirst(g, dec), proba: softmaxAsApp(g, dec, kk) };
};

export const emitLinearSvm: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as LinearSvmState;
  const kk = s.intercept.length;
  const dec = affineInOrder(g, input.columns, s.coef, kk, s.intercept);
  // Platt: sigmoid(a·d + b) per decision column
  const a = g.constant(tensor.double(s.plattA, [1, kk]), 'platt_a');
  const b = g.constant(tensor.double(s.plattB, [1, kk]), 'platt_b');
  const calibrated = sigmoidAsApp(g, g.op('Add', [g.op('Mul', [a, dec]), b]));
  if (kk === 1) return { labelIndex: g.cast(g.op('Greater', [dec, g.scalar(0)]), 'int64'), proba: twoClass(g, calibrated) };
  const proba = g.op('Div', [calibrated, rowSumInOrder(g, calibrated, kk)]);
  return { labelIndex: argmaxFirst(g, dec), proba };
};

