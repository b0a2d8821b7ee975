/**
 * The two ONNX targets (docs/onnx-export.md):
 *  - default: opset 17 + ai.onnx.ml 3 (IR 8). Runs on every ONNX runtime of the last years; tree
 *    ensembles compare in double (ml v3 `*_as_tensor` attributes) but return float32.
 *  - exact: opset 21 + ai.onnx.ml 5 (IR 10). Trees use the v5 `TreeEnsemble` in double, so every
 *    number is the app's, bit for bit (where the model uses no exp/log/pow, see OnnxGraph.inexact).
 */
export type TargetName = 'default' | 'exact';

export interface ExportTarget {
  name: TargetName;
  opset: number;
  mlOpset: number;
  irVersion: number;
  /** Largest |ONNX − app| / max(1, |app|) accepted for values and probabilities. */
  tolerance: number;
}

export const TARGETS: Record<TargetName, ExportTarget> = {
  default: { name: 'default', opset: 17, mlOpset: 3, irVersion: 8, tolerance: 1e-6 },
  exact: { name: 'exact', opset: 21, mlOpset: 5, irVersion: 10, tolerance: 0 },
};

/**
 * Exact target, where the graph uses an operator that may round differently from JavaScript's Math
 * (exp in a softmax, log in a transform): each such op is correctly rounded or within an ulp on
 * both sides, so differences stay near machine precision.
 */
export const EXACT_TRANSCENDENTAL_TOLERANCE = 1e-12;
