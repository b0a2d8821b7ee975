/**
 * May rows of different requests be scored together in one onnxruntime run (micro-batching)?
 * Only when every operator gives a row the same bits wherever it sits in the batch. Vectorised
 * exp, log, tanh and friends do not: onnxruntime computes a batch's middle rows with SIMD
 * polynomials and a lone row with the C library, and the last digits differ (measured: tanh on
 * two thirds of rows, exp on one in eight). IEEE add, multiply, divide, sqrt and comparisons are
 * correctly rounded whichever path runs them, and a tree ensemble walks each row on its own and
 * adds its trees in order. Max, Min and the reductions are left out: their SIMD and scalar paths
 * may treat NaN apart, or pick a kernel by the batch's shape. So the list below is what is known to be safe; anything else (an
 * operator not listed, a subgraph, a local function) scores each request in its own run.
 *
 * The operator list is read from the model file itself with a minimal protobuf walk (proto.ts), so a bundle
 * written before this existed, or a model.onnx swapped in by hand, is judged by what it holds.
 */

import { fields, text } from './proto.ts';

const DEFAULT_DOMAIN_SAFE = new Set([
  'Abs', 'Add', 'And', 'ArgMax', 'ArgMin', 'Cast', 'Ceil', 'Concat', 'Constant', 'Div', 'Equal', 'Flatten', 'Floor', 'Gather', 'Greater',
  'GreaterOrEqual', 'Identity', 'IsInf', 'IsNaN', 'Less', 'LessOrEqual', 'Mod', 'Mul', 'Neg', 'Not', 'Or', 'Reshape', 'Slice', 'Split',
  'Sqrt', 'Squeeze', 'Sub', 'Unsqueeze', 'Where', 'Xor',
]);
const ML_DOMAIN_SAFE = new Set(['TreeEnsemble', 'TreeEnsembleClassifier', 'TreeEnsembleRegressor', 'LabelEncoder', 'Imputer', 'Scaler']);

export interface GraphOp {
  opType: string;
  domain: string;
  /** The node carries a subgraph (If, Loop, Scan). */
  subgraph: boolean;
}

/** Why a model's requests are scored one run each, or null when they may share runs. */
export function whyNotBatchable(ops: GraphOp[] | null): string | null {
  if (ops === null) return 'its ONNX file could not be read as a model';
  for (const op of ops) {
    const safe = op.domain === '' || op.domain === 'ai.onnx' ? DEFAULT_DOMAIN_SAFE : op.domain === 'ai.onnx.ml' ? ML_DOMAIN_SAFE : null;
    if (op.subgraph || !safe?.has(op.opType)) return `it uses ${op.domain && op.domain !== 'ai.onnx' ? `${op.domain}.` : ''}${op.opType}, whose answer for a row may depend on its place in a batch`;
  }
  return null;
}

/** The nodes of the main graph of an ONNX ModelProto; null when the bytes are not one. */
export function graphOps(bytes: Uint8Array): GraphOp[] | null {
  try {
    const graph = fields(bytes, 0, bytes.length).find((f) => f.field === 7 && f.wire === 2);
    if (!graph) return null;
    const ops: GraphOp[] = [];
    for (const f of fields(bytes, graph.start, graph.end)) {
      if (f.field !== 1 || f.wire !== 2) continue; // GraphProto.node
      let opType = '';
      let domain = '';
      let subgraph = false;
      for (const n of fields(bytes, f.start, f.end)) {
        if (n.field === 4 && n.wire === 2) opType = text(bytes, n.start, n.end); // NodeProto.op_type
        else if (n.field === 7 && n.wire === 2) domain = text(bytes, n.start, n.end); // NodeProto.domain
        else if (n.field === 5 && n.wire === 2) {
          // NodeProto.attribute: AttributeProto.g (6) or .graphs (11) hold a subgraph
          if (fields(bytes, n.start, n.end).some((a) => (a.field === 6 || a.field === 11) && a.wire === 2)) subgraph = true;
        }
      }
      ops.push({ opType, domain, subgraph });
    }
    return ops;
  } catch {
    return null;
  }
}
