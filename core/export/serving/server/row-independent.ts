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
 * The operator list is read from the model file itself with a minimal protobuf walk, so a bundle
 * written before this existed, or a model.onnx swapped in by hand, is judged by what it holds.
 */

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

interface Field {
  field: number;
  wire: number;
  /** Payload range for length-delimited fields (wire type 2). */
  start: number;
  end: number;
}

/** The top-level fields of one protobuf message in bytes[start, end). Throws on malformed input. */
function fields(bytes: Uint8Array, start: number, end: number): Field[] {
  const out: Field[] = [];
  let at = start;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= end) throw new Error('truncated varint');
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    throw new Error('varint too long');
  };
  while (at < end) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      varint();
      out.push({ field, wire, start: at, end: at });
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
      out.push({ field, wire, start: at, end: at });
    } else if (wire === 2) {
      const length = varint();
      if (at + length > end) throw new Error('field past the end of its message');
      out.push({ field, wire, start: at, end: at + length });
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
  if (at !== end) throw new Error('field past the end of its message');
  return out;
}

const UTF8 = new TextDecoder();
function text(bytes: Uint8Array, start: number, end: number): string {
  return UTF8.decode(bytes.subarray(start, end));
}
