/**
 * How an exported ONNX file compared with the app's own predictions on held-out rows: written by
 * the export (core/export/onnx/verify.ts), shown by the CLI, the studio's Export dialog and the
 * serving bundle's report. One declaration, so the contract and the export cannot drift apart.
 */
export interface VerificationReport {
  passed: boolean;
  /** 'default' (opset 17, ai.onnx.ml 3) or 'exact' (opset 21, ai.onnx.ml 5). */
  target: 'default' | 'exact';
  /** Rows compared, and how they were made. */
  rows: number;
  heldOutRows: number;
  /** Where the held-out rows came from, e.g. "test side of split 'split' (rows the model never saw)". */
  rowSource: string;
  missingRows: number;
  unseenRows: number;
  /** Classifiers: rows whose ONNX label equals the app's; clustering: same cluster. */
  labelsAgree?: number;
  /** Largest |ONNX − app| over the numeric outputs compared (probabilities, value, score, distances). */
  maxAbsDiff: number;
  /** Largest |ONNX − app| / max(|app|, |ONNX|). */
  maxRelDiff: number;
  /** Accepted difference: relative for values, absolute for probabilities. */
  tolerance: number;
  /** Every number equal to the app's, bit for bit (NaN where the app has NaN). */
  bitIdentical: boolean;
  /** Operators that may round differently from JavaScript's Math (why exact may not be bit-identical). */
  inexactOps: string[];
  /** When not bit-identical: why, in plain words. */
  whyNotIdentical?: string;
  worst: { row: number; output: string; app: number | string; onnx: number | string } | null;
  /** Scoring the rows with onnxruntime (the session already loaded), and loading the session. */
  onnxMs: number;
  onnxLoadMs: number;
  /** Scoring the same rows with the app's recipe + learner. */
  appMs: number;
  /** Plain-words summary of a failure. */
  failure?: string;
}
