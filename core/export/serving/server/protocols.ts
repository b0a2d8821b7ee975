/**
 * The three request shapes on one port, each read into a Batch and each answered in its own
 * shape: the Open Inference Protocol v2 (KServe, Triton, MLServer, Seldon), MLflow's
 * /invocations (also SageMaker's contract), and a plain /predict.
 */
import { parseCsv } from './body.ts';
import type { Batch, Decoder } from './decode.ts';
import { RequestError, typeName } from './errors.ts';
import type { InputKind, ServedModel } from './manifest.ts';
import type { Scored } from './model.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Row-major flattening of (possibly nested) tensor data, as the v2 spec allows both. */
function flatten(data: unknown[]): unknown[] {
  return data.some(Array.isArray) ? (data.flat(Infinity) as unknown[]) : data;
}

// ---------------------------------------------------------------- Open Inference Protocol v2

export interface V2Request {
  batch: Batch;
  id?: string;
  outputs?: string[];
}

const V2_TYPES = new Set(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES']);

/**
 * Inputs are either one per column (MLServer's content_type "pd": each a [N] or [N, 1] tensor
 * named after the column, BYTES for text) or a single [N, k] tensor whose k columns are the
 * model's inputs in the metadata's order.
 */
export function readV2(body: unknown, decoder: Decoder): V2Request {
  if (!isObject(body)) throw new RequestError(400, 'BAD_SHAPE', `An inference request is a JSON object with "inputs", got ${typeName(body)}.`);
  const inputs = body.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0) throw new RequestError(400, 'BAD_SHAPE', 'An inference request needs "inputs": a non-empty list of tensors {name, shape, datatype, data}.');
  const id = body.id === undefined ? undefined : String(body.id);
  let outputs: string[] | undefined;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs) || !body.outputs.every((o) => isObject(o) && typeof o.name === 'string')) {
      throw new RequestError(400, 'BAD_SHAPE', '"outputs" must be a list of {name} objects.');
    }
    outputs = body.outputs.map((o) => (o as { name: string }).name);
  }
  const tensors = inputs.map((t, i) => readTensor(t, i));
  const k = decoder.inputs.length;
  const single = tensors.length === 1 && !decoder.index.has(tensors[0].name) && tensors[0].shape.length === 2 && tensors[0].shape[1] === k;
  if (single) {
    const { shape, data, name } = tensors[0];
    const rows = shape[0];
    const b = decoder.start(rows, `input "${name}"`);
    for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) b.set(j, r, data[r * k + j]);
    return { batch: b.finish(), id, outputs };
  }
  const columns: Record<string, unknown[]> = {};
  for (const t of tensors) {
    if (t.shape.length > 2 || (t.shape.length === 2 && t.shape[1] !== 1)) {
      const hint = decoder.index.has(t.name) ? '' : ` (one tensor for all columns needs shape [N, ${k}], columns in the order of GET /v2/models/{name})`;
      throw new RequestError(400, 'BAD_SHAPE', `Input "${t.name}" has shape [${t.shape.join(', ')}]; a column input has shape [N] or [N, 1]${hint}.`, { field: t.name });
    }
    columns[t.name] = t.data;
  }
  return { batch: decoder.fromColumns(columns, 'inputs'), id, outputs };
}

function readTensor(t: unknown, i: number): { name: string; shape: number[]; data: unknown[] } {
  if (!isObject(t)) throw new RequestError(400, 'BAD_SHAPE', `inputs[${i}] must be a tensor object {name, shape, datatype, data}, got ${typeName(t)}.`);
  const name = t.name;
  if (typeof name !== 'string' || name === '') throw new RequestError(400, 'BAD_SHAPE', `inputs[${i}] needs a "name".`);
  const { shape, datatype, data } = t;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new RequestError(400, 'BAD_SHAPE', `Input "${name}" needs "shape": a list of non-negative whole numbers, e.g. [3] for three rows.`, { field: name });
  }
  if (typeof datatype !== 'string' || !V2_TYPES.has(datatype)) {
    throw new RequestError(400, 'BAD_DATATYPE', `Input "${name}" has datatype ${typeName(datatype)}; use FP64 (or FP32, INT64, ...) for numbers, BOOL for true/false, BYTES for text.`, { field: name });
  }
  if (!Array.isArray(data)) throw new RequestError(400, 'BAD_SHAPE', `Input "${name}" needs "data": a list of values.`, { field: name });
  const flat = flatten(data);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (flat.length !== size) {
    throw new RequestError(400, 'BAD_SHAPE', `Input "${name}" has shape [${shape.join(', ')}] (${size} values) but ${flat.length} values in "data".`, { field: name });
  }
  return { name, shape: shape as number[], data: flat };
}

export function v2Response(model: ServedModel, scored: Scored, request: V2Request): Record<string, unknown> {
  let outputs = scored.outputs;
  if (request.outputs) {
    const unknown = request.outputs.filter((n) => !outputs.some((o) => o.name === n));
    if (unknown.length) throw new RequestError(400, 'UNKNOWN_OUTPUT', `The model has no output "${unknown[0]}"; it has ${outputs.map((o) => `"${o.name}"`).join(', ')}.`);
    outputs = outputs.filter((o) => request.outputs!.includes(o.name));
  }
  return {
    model_name: model.name,
    model_version: model.version,
    id: request.id ?? '',
    parameters: { content_type: 'np' },
    outputs: outputs.map((o) => ({ name: o.name, datatype: o.datatype, shape: o.shape, data: Array.from(o.data as ArrayLike<number>) })),
  };
}

/** The v2 datatype a column travels as: text and dates as BYTES, booleans as BOOL, numbers as FP64. */
export function v2Datatype(kind: InputKind): string {
  return kind === 'string' || kind === 'date' ? 'BYTES' : kind === 'boolean' ? 'BOOL' : 'FP64';
}

export function v2Metadata(model: ServedModel): Record<string, unknown> {
  return {
    name: model.name,
    versions: [model.version],
    platform: 'onnxruntime_onnx',
    inputs: model.inputs.map((c) => ({
      name: c.name,
      datatype: v2Datatype(c.kind),
      shape: [-1, 1],
      parameters: { content_type: c.kind === 'string' || c.kind === 'date' ? 'str' : 'np' },
    })),
    outputs: model.outputs,
    parameters: { content_type: 'pd' },
  };
}

// ---------------------------------------------------------------- MLflow /invocations

const MLFLOW_KEYS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

export function readInvocations(body: unknown, contentType: 'json' | 'csv', decoder: Decoder): Batch {
  if (contentType === 'csv') {
    const { columns, rows } = parseCsv(body as string);
    return decoder.fromRows(columns, rows, 'the CSV body', true);
  }
  const keys = isObject(body) ? MLFLOW_KEYS.filter((k) => k in body) : [];
  if (!isObject(body) || keys.length !== 1) {
    throw new RequestError(
      400,
      'BAD_SHAPE',
      `The body must be a JSON object with exactly one of ${MLFLOW_KEYS.map((k) => `"${k}"`).join(', ')}${keys.length > 1 ? ` (it has ${keys.join(' and ')})` : ''}, as in the MLflow 2.0 scoring protocol.`,
    );
  }
  const key = keys[0];
  const value = body[key];
  if (key === 'dataframe_split') {
    if (!isObject(value)) throw new RequestError(400, 'BAD_SHAPE', `"dataframe_split" must be an object {columns, data}, got ${typeName(value)}.`);
    return decoder.fromRows(value.columns, value.data, '"dataframe_split"');
  }
  if (key === 'inputs' && isObject(value)) return decoder.fromColumns(value, '"inputs"');
  if (!Array.isArray(value)) throw new RequestError(400, 'BAD_SHAPE', `"${key}" must be a list of records, got ${typeName(value)}.`);
  if (key !== 'dataframe_records' && value.length > 0 && value.every(Array.isArray)) {
    return decoder.fromRows(decoder.inputs.map((c) => c.name), value, `"${key}" (lists of values in the model's column order)`);
  }
  return decoder.fromRecords(value, `"${key}"`);
}

export function invocationsResponse(scored: Scored): Record<string, unknown> {
  return { predictions: scored.predictions };
}

// ---------------------------------------------------------------- plain /predict

export function readPredict(body: unknown, decoder: Decoder): { batch: Batch; single: boolean } {
  if (Array.isArray(body)) return { batch: decoder.fromRecords(body, 'the list of records'), single: false };
  if (isObject(body)) return { batch: decoder.fromRecords([body], 'the record'), single: true };
  throw new RequestError(400, 'BAD_SHAPE', `/predict takes one JSON record {column: value} or a list of them, got ${typeName(body)}.`);
}

export function predictResponse(model: ServedModel, scored: Scored, single: boolean): Record<string, unknown> {
  const classes = model.classes;
  const k = classes?.length ?? 0;
  const rowProbabilities = (r: number) => {
    const out: Record<string, number> = {};
    for (let j = 0; j < k; j++) out[String(classes![j])] = scored.probabilities![r * k + j];
    return out;
  };
  // built field by field, not spread: this runs once per answered row
  const row = (r: number) => {
    const out: Record<string, unknown> = { prediction: scored.predictions[r] };
    if (k && scored.probabilities) out.probabilities = rowProbabilities(r);
    return out;
  };
  if (single) {
    const out = row(0);
    out.model = model.name;
    out.model_version = model.version;
    return out;
  }
  return { predictions: Array.from({ length: scored.rows }, (_, r) => row(r)), model: model.name, model_version: model.version };
}
