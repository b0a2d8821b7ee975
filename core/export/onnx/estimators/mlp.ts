/**
 * The MLP's forward pass (mlp-net.ts) as ONNX: per layer, bias + Σ inputs·weights in the app's
 * order, then relu (NaN → 0, as the app's `!(z > 0)` test), tanh or the app's sigmoid; the output
 * layer is identity (regression), logistic (two classes) or softmax.
 */
import type { MlpState } from '../../../ml/learners/mlp.ts';
import { affineInOrder, columnsOf } from './affine.ts';
import { argmaxFirst, sigmoidAsApp, softmaxAsApp, twoClass } from './classify.ts';
import type { EstimatorEmitter } from './types.ts';

export const emitMlp: EstimatorEmitter = (g, input, model) => {
  const s = model.estimator.state as MlpState;
  const L = s.sizes.length - 1;
  let inputs = input.columns;
  let z = '';
  for (let l = 1; l <= L; l++) {
    const nin = s.sizes[l - 1];
    const nout = s.sizes[l];
    const coefs = s.coefs[l - 1]; // fan_in × fan_out
    const W = new Float64Array(nout * nin);
    for (let i = 0; i < nin; i++) for (let o = 0; o < nout; o++) W[o * nin + i] = coefs[i * nout + o];
    z = affineInOrder(g, inputs, W, nout, s.intercepts[l - 1]);
    if (l < L) {
      if (s.activation === 'relu') z = g.op('Where', [g.op('Greater', [z, g.scalar(0)]), z, g.scalar(0)]);
      else if (s.activation === 'tanh') z = g.op('Tanh', [z]);
      else z = sigmoidAsApp(g, z);
      inputs = columnsOf(g, z, nout);
    }
  }
  if (s.nClasses === 0) return { value: z };
  if (s.output === 'logistic') {
    const p1 = sigmoidAsApp(g, z);
    return { labelIndex: g.cast(g.op('Greater', [p1, g.scalar(0.5)]), 'int64'), proba: twoClass(g, p1) };
  }
  const proba = softmaxAsApp(g, z, s.nClasses);
  return { labelIndex: argmaxFirst(g, proba), proba };
};
