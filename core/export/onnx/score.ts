/**
 * Scoring rows with an exported file alone (`flowline predict model.onnx data.csv`): the model's
 * self-description from its metadata, the inputs fed by the contract, and the outputs turned into
 * the Predict node's columns (prediction, proba_<class>).
 */
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { FlowlineError } from '../../spec/errors.ts';
import type { Frame } from '../../ml/frame.ts';
import { probaColumnNames } from '../../ml/model.ts';
import { MODEL_INFO_FORMAT, MODEL_INFO_KEY, type ExportedModelInfo } from './model-info.ts';
import { feedsFor } from './verify.ts';

/** The ExportedModelInfo stored in an ONNX file; a clear error for a file Flowline did not write. */
export function readModelInfo(bytes: Uint8Array, file = 'the model'): ExportedModelInfo {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnxProto.onnx.ModelProto.decode(bytes);
  } catch {
    throw new FlowlineError({ code: 'FILE_NOT_TEXT', file, message: `${file} is not an ONNX model.`, hint: 'Give the .onnx file written by flowline export onnx.' });
  }
  const entry = model.metadataProps.find((p) => p.key === MODEL_INFO_KEY);
  const info = entry?.value ? (JSON.parse(entry.value) as ExportedModelInfo) : null;
  if (!info || info.format !== MODEL_INFO_FORMAT) {
    throw new FlowlineError({ code: 'BAD_DATA', file, message: `${file} has no Flowline description (metadata "${MODEL_INFO_KEY}"), so its inputs and outputs are unknown.`, hint: 'Score it with the ONNX Runtime directly, or export it again with flowline export onnx.' });
  }
  return info;
}

/** The Predict node's columns for `frame` (rows in frame order): prediction, then proba_<class>. */
export async function scoreWithOnnx(bytes: Uint8Array, info: ExportedModelInfo, frame: Frame): Promise<Record<string, Float64Array | string[]>> {
  const session = await ort.InferenceSession.create(bytes);
  let out: Record<string, ort.Tensor>;
  try {
    out = await session.run(feedsFor(info, frame));
  } finally {
    await session.release();
  }
  const columns: Record<string, Float64Array | string[]> = {};
  switch (info.task) {
    case 'binary':
    case 'multiclass': {
      const labels = out.label.data as ArrayLike<string | number>;
      columns.prediction = typeof info.classes![0] === 'number' ? Float64Array.from(labels as ArrayLike<number>) : Array.from(labels, String);
      const k = info.classes!.length;
      const p = out.probabilities.data as Float64Array;
      probaColumnNames(info.classes!).forEach((name, j) => (columns[name] = Float64Array.from({ length: frame.rows }, (_, i) => p[i * k + j])));
      break;
    }
    case 'regression':
      columns.prediction = Float64Array.from(out.value.data as Float64Array);
      break;
    case 'anomaly':
      columns.prediction = Float64Array.from(out.score.data as Float64Array);
      break;
    case 'clustering':
      columns.prediction = Float64Array.from(out.cluster.data as BigInt64Array, Number);
      break;
  }
  return columns;
}
