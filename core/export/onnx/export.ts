/**
 * exportOnnx: a fitted model → verified ONNX bytes plus the model's self-description. Nothing
 * here writes a file: callers write `bytes` only when this returns (it throws when a step cannot
 * be expressed or when verification fails), so a refused export leaves no file behind.
 *
 * CPU-heavy (building, onnxruntime, the app's predictions): hosts run it in a worker
 * (worker-task.ts), never on a thread that answers the window.
 */
import { FlowlineError } from '../../spec/errors.ts';
import type { ModelValue } from '../../spec/values.ts';
import type { Frame } from '../../ml/frame.ts';
import { buildOnnx, type ExportProvenance } from './build.ts';
import type { ExportedModelInfo } from './model-info.ts';
import { TARGETS, type TargetName } from './target.ts';
import { verifyExport, type VerificationReport } from './verify.ts';

export interface ExportOptions extends ExportProvenance {
  target?: TargetName;
  /**
   * Raw rows (the model's input columns) to verify on, ideally rows the model never saw. Default:
   * the training rows the model keeps (ModelValue.sample).
   */
  rows?: Frame;
  /** Where `rows` came from, shown in the report. */
  rowSource?: string;
}

export interface ExportResult {
  bytes: Uint8Array;
  info: ExportedModelInfo;
  verification: VerificationReport;
  /** Nodes in the graph (for the report). */
  nodes: number;
}

/** A refused export whose verification ran: the report says how far off it was. */
export class ExportVerificationError extends FlowlineError {
  constructor(readonly verification: VerificationReport, nodeId: string) {
    super({
      code: 'NOT_EXPORTABLE',
      nodeId,
      message: `ONNX export refused: the exported model does not reproduce the app's predictions — ${verification.failure}. No file was written.`,
      hint: 'This is a bug in Flowline\'s ONNX export for this model; please report it with the pipeline. The default target (without --exact) may still export.',
    });
  }
}

export async function exportOnnx(model: ModelValue, options: ExportOptions): Promise<ExportResult> {
  const target = TARGETS[options.target ?? 'default'];
  const rows = options.rows ?? model.sample;
  if (!rows) {
    throw new FlowlineError({ code: 'NO_ROWS', nodeId: model.trainedOn.nodeId, message: 'ONNX export: there are no rows to verify the exported model on.', hint: "Connect held-out rows (e.g. the test side of the split), or retrain the model: models trained by this version keep a few rows for this." });
  }
  const rowSource = options.rowSource ?? (options.rows ? 'the rows given' : `${rows.rows} training rows kept in the model (connect held-out rows for a stronger check)`);
  const built = buildOnnx(model, target, options);
  const verification = await verifyExport(model, built.bytes, built.info, target, built.inexact, rows, rowSource);
  if (!verification.passed) throw new ExportVerificationError(verification, model.trainedOn.nodeId);
  return { bytes: built.bytes, info: built.info, verification, nodes: built.nodes };
}
