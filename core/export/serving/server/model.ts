/**
 * One served model: its onnxruntime session, a warm-up run, and scoring a Batch into named
 * outputs plus the per-row prediction the plain protocols answer with.
 */
import * as ort from 'onnxruntime-node';
import { Decoder, type Batch, type DecodePolicy } from './decode.ts';
import type { ServedModel } from './manifest.ts';

export interface OutputData {
  name: string;
  datatype: string;
  shape: number[];
  data: ArrayLike<number> | string[];
}

export interface Scored {
  rows: number;
  outputs: OutputData[];
  /** Per row: the class label, the predicted value, the cluster or the anomaly label. */
  predictions: (string | number)[];
  /** Flat [rows × classes] class probabilities, for classifiers. */
  probabilities?: ArrayLike<number>;
}

/** Which ONNX output holds the per-row prediction, by the export's naming. */
const PREDICTION_OUTPUTS = ['label', 'value', 'cluster', 'score'];

export class LoadedModel {
  readonly decoder: Decoder;
  private constructor(
    readonly spec: ServedModel,
    private readonly session: ort.InferenceSession,
    policy: DecodePolicy,
  ) {
    this.decoder = new Decoder(spec.inputs, policy);
  }

  static async load(spec: ServedModel, bytes: Uint8Array, policy: DecodePolicy, threads: number): Promise<LoadedModel> {
    const session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const missing = spec.inputs.filter((c) => !session.inputNames.includes(c.onnxName ?? c.name)).map((c) => c.onnxName ?? c.name);
    if (missing.length) throw new Error(`${spec.file} has no ONNX input for ${missing.map((m) => `"${m}"`).join(', ')}; the bundle's ${spec.name} manifest and model disagree.`);
    return new LoadedModel(spec, session, policy);
  }

  /** Score the manifest's warm-up row once, so the first caller does not pay for it. */
  async warmUp(): Promise<void> {
    const batch = this.decoder.fromRecords([this.spec.warmup], 'the warm-up row');
    await this.score(batch);
  }

  async score(batch: Batch): Promise<Scored> {
    const feeds: Record<string, ort.Tensor> = {};
    const inputs = this.spec.inputs;
    for (let i = 0; i < inputs.length; i++) {
      // by name: a challenger may read fewer columns than the champion that decoded the request
      const column = batch.names[i] === inputs[i].name ? batch.columns[i] : batch.columns[batch.names.indexOf(inputs[i].name)];
      feeds[inputs[i].onnxName ?? inputs[i].name] = column instanceof Float64Array ? new ort.Tensor('float64', column, [batch.rows, 1]) : new ort.Tensor('string', column, [batch.rows, 1]);
    }
    const results = await this.session.run(feeds);
    const outputs: OutputData[] = [];
    for (const name of this.session.outputNames) {
      const t = results[name];
      outputs.push({ name, datatype: datatypeOf(t.type), shape: t.dims.map(Number), data: plainData(t) });
    }
    const primary = outputs.find((o) => PREDICTION_OUTPUTS.includes(o.name)) ?? outputs[0];
    const predictions = Array.from(primary.data as ArrayLike<string | number>);
    const proba = outputs.find((o) => o.name === 'probabilities');
    return { rows: batch.rows, outputs, predictions, probabilities: proba?.data as ArrayLike<number> | undefined };
  }
}

function datatypeOf(type: string): string {
  switch (type) {
    case 'float64':
      return 'FP64';
    case 'float32':
      return 'FP32';
    case 'int64':
      return 'INT64';
    case 'int32':
      return 'INT32';
    case 'bool':
      return 'BOOL';
    case 'string':
      return 'BYTES';
    default:
      return type.toUpperCase();
  }
}

/** Tensor data JSON can carry: int64 as numbers (labels and cluster ids are small). */
function plainData(t: ort.Tensor): ArrayLike<number> | string[] {
  const data = t.data as ArrayLike<number> | ArrayLike<bigint> | string[];
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number);
  if (t.type === 'bool') return Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  return data as ArrayLike<number> | string[];
}
