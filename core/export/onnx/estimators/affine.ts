/**
 * Dot products written so the runtime adds in the app's order. A MatMul kernel sums in blocks of
 * its own choosing, so its last bits differ from a JavaScript loop; instead each input column is
 * multiplied by its row of weights (one rounding, as in the app) and the products are added one
 * after another, starting from the bias: ((b + x0·w0) + x1·w1) + ... — the app's loop exactly.
 * It costs two element-wise nodes per input column, which is cheap next to the rows they run on.
 */
import { tensor, type OnnxGraph } from '../graph.ts';

/**
 * [N, out] = bias + Σ_j x_j · W[:, j], with `inputs` the x_j as [N, 1] tensors and W row-major
 * out × in. bias null: the sum starts at the first product (a loop from s = 0 gives the same).
 */
export function affineInOrder(g: OnnxGraph, inputs: string[], W: ArrayLike<number>, out: number, bias: ArrayLike<number> | null): string {
  const p = inputs.length;
  let acc: string | null = bias ? g.constant(tensor.double(bias, [1, out]), 'bias') : null;
  for (let j = 0; j < p; j++) {
    const column = Array.from({ length: out }, (_, o) => W[o * p + j]);
    const product = g.op('Mul', [inputs[j], g.constant(tensor.double(column, [1, out]), 'w')]);
    acc = acc === null ? product : g.op('Add', [acc, product]);
  }
  if (acc === null) throw new Error('affineInOrder: no inputs');
  // bias alone with no inputs would not have N rows; p ≥ 1 always holds for a fitted model
  return acc;
}

/** The columns of an [N, width] tensor as [N, 1] tensors. */
export function columnsOf(g: OnnxGraph, x: string, width: number): string[] {
  return g.split(x, 1, Array.from({ length: width }, () => 1));
}

/** Row sum of [N, width] in column order, [N, 1]. */
export function rowSumInOrder(g: OnnxGraph, x: string, width: number): string {
  return g.sumInOrder(columnsOf(g, x, width));
}
