/**
 * The post-processing every classifier shares, written as the app computes it (check-input.ts's
 * sigmoid, the softmax loops, argmax taking the first maximum), so labels agree even on ties.
 */
import { int, type OnnxGraph } from '../graph.ts';
import { rowSumInOrder } from './affine.ts';

/**
 * Index of the first maximum per row, int64 [N, 1]. NaN never wins (the app's `>` tests skip it):
 * it becomes −∞ first, so a row of NaN gives 0, as the app's loop does.
 */
export function argmaxFirst(g: OnnxGraph, scores: string): string {
  const masked = g.op('Where', [g.op('IsNaN', [scores]), g.scalar(-Infinity), scores]);
  return g.op('ArgMax', [masked], { axis: int(1), keepdims: int(1), select_last_index: int(0) });
}

/** sigmoid(z) as check-input.ts: e = exp(−|z|); z ≥ 0 ? 1 / (1 + e) : e / (1 + e). */
export function sigmoidAsApp(g: OnnxGraph, z: string): string {
  const e = g.op('Exp', [g.op('Neg', [g.op('Abs', [z])])]);
  const onePlus = g.op('Add', [g.scalar(1), e]);
  return g.op('Where', [g.op('GreaterOrEqual', [z, g.scalar(0)]), g.op('Div', [g.scalar(1), onePlus]), g.op('Div', [e, onePlus])]);
}

/** Row softmax as the app: e = exp(z − max); e / Σe, the sum taken in column order. */
export function softmaxAsApp(g: OnnxGraph, z: string, k: number): string {
  const max = g.reduce('ReduceMax', z, 1, true);
  const e = g.op('Exp', [g.op('Sub', [z, max])]);
  return g.op('Div', [e, rowSumInOrder(g, e, k)]);
}

/** [N, 2] probabilities [1 − p, p] from P(class 1), [N, 1]. */
export function twoClass(g: OnnxGraph, p1: string): string {
  return g.concat([g.op('Sub', [g.scalar(1), p1]), p1], 1);
}
