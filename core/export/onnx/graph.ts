/**
 * The one builder every recipe step and estimator writes ONNX nodes through: it names tensors,
 * keeps constants as initializers (each distinct small constant once), knows which operator set
 * it targets (a few ops changed shape between opset 17 and 21), and records which operators can
 * round differently from JavaScript's Math (exp, log, pow, tanh) so verification knows whether to
 * expect bit-identical numbers.
 *
 * Encoding goes through onnx-proto (protobufjs static code, camelCase field names), except the
 * nodes, which proto-writer.ts writes (a tree ensemble's attributes hold millions of numbers).
 * onnx-proto's `bytes` fields (string tensors) must be given bytes: a JS string would be read as
 * base64.
 */
import onnxProto from 'onnx-proto';
import { ProtoWriter, StringBytes, writeNode, type AttributeValue, type NodeValue } from './proto-writer.ts';
import type { ExportTarget } from './target.ts';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;

export type ElemType = 'double' | 'float' | 'int64' | 'string' | 'bool' | 'uint8';

const ELEM: Record<ElemType, number> = { double: DT.DOUBLE, float: DT.FLOAT, int64: DT.INT64, string: DT.STRING, bool: DT.BOOL, uint8: DT.UINT8 };

/** Dimensions of a graph input/output: a number, or a symbolic name such as "N". */
export type Dim = number | string;

/** An attribute value, tagged with its ONNX type. */
export type Attr =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: ArrayLike<number> }
  | { floats: ArrayLike<number> }
  | { strings: ArrayLike<string> }
  | { t: TensorValue };

export const int = (i: number): Attr => ({ i });
export const flt = (f: number): Attr => ({ f });
export const str = (s: string): Attr => ({ s });
/** Lists are kept as given (a typed array stays one) until the model is encoded. */
export const ints = (v: ArrayLike<number>): Attr => ({ ints: v });
export const floats = (v: ArrayLike<number>): Attr => ({ floats: v });
export const strs = (v: ArrayLike<string>): Attr => ({ strings: v });

/** Constant tensor content. */
export type TensorValue =
  | { type: 'double'; values: ArrayLike<number>; dims: number[] }
  | { type: 'float'; values: ArrayLike<number>; dims: number[] }
  | { type: 'int64'; values: ArrayLike<number>; dims: number[] }
  | { type: 'uint8'; values: ArrayLike<number>; dims: number[] }
  | { type: 'string'; values: string[]; dims: number[] };

export const tensor = {
  double: (values: ArrayLike<number>, dims: number[] = [values.length]): TensorValue => ({ type: 'double', values, dims }),
  int64: (values: ArrayLike<number>, dims: number[] = [values.length]): TensorValue => ({ type: 'int64', values, dims }),
  uint8: (values: ArrayLike<number>, dims: number[] = [values.length]): TensorValue => ({ type: 'uint8', values, dims }),
  string: (values: string[], dims: number[] = [values.length]): TensorValue => ({ type: 'string', values, dims }),
};

const utf8 = (s: string) => Buffer.from(s, 'utf8');

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('ONNX raw tensor data is little-endian; this machine is not.');

function tensorProto(name: string, t: TensorValue): onnxProto.onnx.ITensorProto {
  const dims = t.dims;
  switch (t.type) {
    case 'double':
      return { name, dims, dataType: DT.DOUBLE, rawData: new Uint8Array(Float64Array.from(t.values).buffer) };
    case 'float':
      return { name, dims, dataType: DT.FLOAT, rawData: new Uint8Array(Float32Array.from(t.values).buffer) };
    case 'int64':
      return { name, dims, dataType: DT.INT64, rawData: new Uint8Array(BigInt64Array.from(Array.from(t.values, (v) => BigInt(v))).buffer) };
    case 'uint8':
      return { name, dims, dataType: DT.UINT8, rawData: Uint8Array.from(t.values) };
    case 'string':
      return { name, dims, dataType: DT.STRING, stringData: t.values.map(utf8) };
  }
}

function attributeValue(a: Attr): AttributeValue {
  if ('i' in a) return { type: AT.INT, i: a.i };
  if ('f' in a) return { type: AT.FLOAT, f: a.f };
  if ('s' in a) return { type: AT.STRING, s: utf8(a.s) };
  if ('ints' in a) return { type: AT.INTS, ints: a.ints };
  if ('floats' in a) return { type: AT.FLOATS, floats: a.floats };
  if ('strings' in a) return { type: AT.STRINGS, strings: a.strings };
  return { type: AT.TENSOR, t: onnx.TensorProto.encode(tensorProto('', a.t)).finish() };
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ELEM[type], shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

/** Operators whose results may differ in the last bits from V8's Math functions. */
const INEXACT_OPS = new Set(['Exp', 'Log', 'Pow', 'Tanh', 'Sigmoid', 'Softmax', 'Erf']);

export class OnnxGraph {
  private nodes: NodeValue[] = [];
  private initializers: onnxProto.onnx.ITensorProto[] = [];
  private inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private used = new Set<string>();
  private constants = new Map<string, string>();
  private counter = 0;
  /** Operators used that may round differently from JavaScript (see INEXACT_OPS). */
  readonly inexact = new Set<string>();

  constructor(readonly target: ExportTarget) {}

  /** A fresh tensor name; names given to inputs and outputs are never reused. */
  name(hint: string): string {
    let n: string;
    do n = `${hint}_${this.counter++}`;
    while (this.used.has(n));
    this.used.add(n);
    return n;
  }

  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`ONNX tensor name "${name}" is used twice`);
    this.used.add(name);
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.reserve(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Expose `tensorName` as graph output `name` (through an Identity when the names differ). */
  output(name: string, tensorName: string, type: ElemType, dims: Dim[]): void {
    this.reserve(name);
    this.nodes.push({ opType: 'Identity', domain: '', input: [tensorName], output: [name], name: `output_${name}`, attribute: [] });
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** An initializer holding `t`; identical small constants are stored once. */
  constant(t: TensorValue, hint = 'const'): string {
    const small = t.values.length <= 16;
    const key = small ? JSON.stringify([t.type, t.dims, Array.from(t.values as ArrayLike<number | string>, (v) => (typeof v === 'number' && Object.is(v, -0) ? '-0' : v))]) : '';
    if (small && this.constants.has(key)) return this.constants.get(key)!;
    const name = this.name(hint);
    this.initializers.push(tensorProto(name, t));
    if (small) this.constants.set(key, name);
    return name;
  }

  /** Scalar-like double constant of shape [1, 1] (broadcasts against [N, k]). */
  scalar(v: number): string {
    return this.constant(tensor.double([v], [1, 1]), 'c');
  }

  /** Adds one node; returns its output tensor names. */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, options: { outputs?: number; domain?: string; hint?: string } = {}): string[] {
    const hint = options.hint ?? opType.toLowerCase();
    const outputs = Array.from({ length: options.outputs ?? 1 }, () => this.name(hint));
    const domain = options.domain ?? '';
    if (domain === '' && INEXACT_OPS.has(opType)) this.inexact.add(opType);
    this.nodes.push({
      opType,
      domain,
      input: inputs,
      output: outputs,
      name: outputs[0],
      attribute: Object.entries(attrs).map(([n, a]) => ({ name: n, value: attributeValue(a) })),
    });
    return outputs;
  }

  /** A node with a single output. */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, hint?: string): string {
    return this.node(opType, inputs, attrs, { hint })[0];
  }

  ml(opType: string, inputs: string[], attrs: Record<string, Attr>, outputs = 1): string[] {
    return this.node(opType, inputs, attrs, { domain: 'ai.onnx.ml', outputs });
  }

  // ---------------------------------------------------------------- opset-aware helpers

  /** ReduceMax / ReduceMin / ReduceSum over one axis (axes became an input in opset 13 for Sum, 18 for the rest). */
  reduce(op: 'ReduceMax' | 'ReduceMin' | 'ReduceSum', x: string, axis: number, keepdims: boolean): string {
    const axesAsInput = op === 'ReduceSum' || this.target.opset >= 18;
    if (axesAsInput) return this.op(op, [x, this.constant(tensor.int64([axis]), 'axes')], { keepdims: int(keepdims ? 1 : 0) });
    return this.op(op, [x], { axes: ints([axis]), keepdims: int(keepdims ? 1 : 0) });
  }

  /** Split x along `axis` into `parts` equal pieces of size `size`. */
  split(x: string, axis: number, sizes: number[]): string[] {
    if (sizes.length === 1) return [x];
    return this.node('Split', [x, this.constant(tensor.int64(sizes), 'split')], { axis: int(axis) }, { outputs: sizes.length });
  }

  reshape(x: string, shape: number[]): string {
    return this.op('Reshape', [x, this.constant(tensor.int64(shape), 'shape')]);
  }

  concat(xs: string[], axis: number): string {
    return xs.length === 1 ? xs[0] : this.op('Concat', xs, { axis: int(axis) });
  }

  cast(x: string, to: ElemType): string {
    return this.op('Cast', [x], { to: int(ELEM[to]) });
  }

  /** Σ of xs in the given order, ((x0 + x1) + x2) + ..., as JavaScript's loops add. */
  sumInOrder(xs: string[]): string {
    let acc = xs[0];
    for (let i = 1; i < xs.length; i++) acc = this.op('Add', [acc, xs[i]]);
    return acc;
  }

  encode(meta: { producerVersion: string; docString: string; metadata: Record<string, string>; graphName: string }): Uint8Array {
    // Encoded from plain objects: fromObject() would drop empty strings from repeated bytes fields
    // (the "" category a missing value maps to).
    const model: onnxProto.onnx.IModelProto = {
      irVersion: this.target.irVersion,
      producerName: 'Flowline',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      opsetImport: [
        { domain: '', version: this.target.opset },
        { domain: 'ai.onnx.ml', version: this.target.mlOpset },
      ],
      metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
    };
    const rest = onnx.GraphProto.encode({ name: meta.graphName, initializer: this.initializers, input: this.inputs, output: this.outputs }).finish();
    const strings = new StringBytes();
    // ModelProto.graph is field 7, GraphProto.node field 1: the nodes first, in order, then the
    // rest of the graph.
    return new ProtoWriter()
      .raw(onnx.ModelProto.encode(model).finish())
      .nested(7, (g) => {
        for (const node of this.nodes) writeNode(g, 1, node, strings);
        g.raw(rest);
      })
      .finish();
  }

  get nodeCount(): number {
    return this.nodes.length;
  }
}
