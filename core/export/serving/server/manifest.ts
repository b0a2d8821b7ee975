/**
 * `flowline-model.json`: what the bundle's server knows about the model(s) it serves. The bundle
 * writer produces it from the fitted model and the ONNX export; the server reads it at start-up
 * and never looks at the pipeline. Types only, so both sides share one definition.
 *
 * This folder (server/) is compiled into the bundle's single `server.js`: it may import Node's
 * built-ins, onnxruntime-node and its own siblings, nothing else from Flowline (eslint enforces it).
 */

export const MANIFEST_FORMAT = 'flowline.serving-bundle';
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'flowline-model.json';

/**
 * How one raw input column travels in a request: JSON numbers, booleans, ISO 8601 date strings
 * (fed to ONNX as epoch milliseconds, UTC), or strings.
 */
export type InputKind = 'number' | 'integer' | 'boolean' | 'date' | 'string';

export interface InputColumn {
  /** The column name callers send. */
  name: string;
  /** The ONNX graph input, when it differs from the column (docs/onnx-export.md: `<column>_input`). */
  onnxName?: string;
  kind: InputKind;
  /** The ONNX input's element type: numbers, booleans and dates go in as double, text as string. */
  onnxType: 'double' | 'string';
  /** DuckDB's type name of the training column, for the reader of the manifest. */
  sourceType?: string;
  /** Categories the model learned for a text column; unknown ones follow `validation.unknownCategory`. */
  categories?: string[];
  /** May the value be null (fed to the model as NaN, or "" for text, as the export contract says)? */
  nullable: boolean;
}

export interface OutputTensor {
  /** ONNX output name: label, probabilities, value, ... */
  name: string;
  /** Open Inference Protocol datatype of the answer (FP64, FP32, INT64, BYTES). */
  datatype: string;
  /** Shape with -1 for the batch dimension, e.g. [-1] or [-1, 3]. */
  shape: number[];
}

export interface ServedModel {
  role: 'champion' | 'challenger';
  /** Model name in URLs (/v2/models/{name}) and metric labels. */
  name: string;
  version: string;
  /** Path of the ONNX file inside the bundle. */
  file: string;
  sha256: string;
  task: 'binary' | 'multiclass' | 'regression' | 'clustering' | 'anomaly';
  target: string | null;
  /** Class labels in the order of the `probabilities` columns. */
  classes?: (string | number)[];
  learner: string;
  inputs: InputColumn[];
  outputs: OutputTensor[];
  /** Evaluation figures by scope ("train", "test"), snake_case names. */
  metrics: Record<string, Record<string, number>>;
  /** Upper bounds of the `value` histogram on /metrics (regression), from the training targets. */
  valueBuckets?: number[];
  lineage: {
    pipeline?: string;
    pipelineSha256?: string;
    trainNode: string;
    trainedRows: number;
    recipe: { nodeId: string; kind: string }[];
    features: string[];
    exportedAt: string;
    flowlineVersion: string;
  };
  /** The ONNX export's own description of the model (ExportedModelInfo, docs/onnx-export.md). */
  onnx?: Record<string, unknown>;
  /** One valid row, scored once before the server reports ready. */
  warmup: Record<string, unknown>;
}

export type RoutingMode = 'single' | 'ab' | 'canary' | 'shadow';

export interface Routing {
  mode: RoutingMode;
  /** Share of requests the challenger answers in ab / canary mode (0-100). */
  challengerPercent: number;
  /** Request header whose value makes the assignment sticky (same key, same model). */
  keyHeader: string;
}

export interface ValidationPolicy {
  /** A text value the model never saw: accept it (the model treats it as unseen) or answer 422. */
  unknownCategory: 'accept' | 'reject';
  /** A field the model does not read: ignore it or answer 422. */
  extraFields: 'ignore' | 'reject';
  maxRows: number;
  maxBodyBytes: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** The champion first; a challenger second when there is one. */
  models: ServedModel[];
  routing: Routing;
  validation: ValidationPolicy;
}
