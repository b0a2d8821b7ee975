/**
 * What an exported model says about itself: the contract of docs/onnx-export.md as a type. It is
 * stored in the ONNX file (metadata_props key "flowline.model", JSON) and is what the serving
 * bundle writes as flowline-model.json. Grow it by adding optional fields; bump
 * `formatVersion` only when a field changes meaning.
 */
import type { TrainingReference } from '../../spec/drift.ts';
import type { ColumnType, Task } from '../../spec/values.ts';
import type { TargetName } from './target.ts';

export const MODEL_INFO_FORMAT = 'flowline.onnx-model';
export const MODEL_INFO_VERSION = 1;
/** metadata_props key holding the JSON of ExportedModelInfo. */
export const MODEL_INFO_KEY = 'flowline.model';

export interface ExportedInput {
  /** Graph input name (the column name, unless it collides with an output name: then `<column>_input`). */
  name: string;
  /** The raw column it is fed from. */
  column: string;
  /** ONNX element type; shape is always [N, 1]. */
  type: 'double' | 'string';
  /** The column's type in Flowline (booleans are 0/1, dates and timestamps epoch milliseconds UTC). */
  columnType: ColumnType;
  /** What to feed for a missing value: NaN for numbers, "" for text. */
  missing: 'NaN' | '';
}

export interface ExportedOutput {
  name: 'label' | 'probabilities' | 'value' | 'cluster' | 'distances' | 'score';
  type: 'double' | 'string' | 'int64';
  /** "N" is the number of rows fed. */
  shape: (number | 'N')[];
  description: string;
}

export interface ExportedModelInfo {
  format: typeof MODEL_INFO_FORMAT;
  formatVersion: typeof MODEL_INFO_VERSION;
  /** default (opset 17 + ai.onnx.ml 3) or exact (opset 21 + ai.onnx.ml 5). */
  target: TargetName;
  opset: number;
  mlOpset: number;
  task: Task;
  /** The column the model predicts (null for clustering and anomaly detection). */
  targetColumn: string | null;
  /** Classifiers: the labels, in the column order of `probabilities`. */
  classes?: (string | number)[];
  inputs: ExportedInput[];
  outputs: ExportedOutput[];
  /** Anomaly detection: a row is an anomaly when its score is above this. */
  anomalyThreshold?: number;
  learner: { kind: string; params: Record<string, unknown> };
  /** The recipe steps inside the graph, in order. */
  steps: { nodeId: string; kind: string }[];
  /** Columns the estimator sees after the recipe, in order. */
  features: string[];
  flowlineVersion: string;
  /** sha256 of the pipeline file's canonical JSON, when exported from a pipeline. */
  pipelineHash: string | null;
  trainedOn: { nodeId: string; rows: number; dataFingerprint: string | null };
  /** Per-column summaries of the training rows, what `flowline monitor` compares new rows with (docs/lifecycle.md). */
  trainingReference?: TrainingReference;
  /** Metrics of the Evaluate node that scored this model, when there is one. */
  metrics: { nodeId: string; scope: string; values: Record<string, number> } | null;
  exportedAt: string;
}
