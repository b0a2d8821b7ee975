/**
 * ONNX export as a worker task (ctx.runInWorker(exportOnnxTask, ...)): building, onnxruntime and
 * the app's predictions never run on a thread that answers the window. Errors come back as values
 * so the verification report of a refused export reaches the caller too.
 */
import { defineWorkerTask } from '../../spec/worker-task.ts';
import { toErrorInfo, type ErrorInfo } from '../../spec/errors.ts';
import type { ModelValue } from '../../spec/values.ts';
import { exportOnnx, ExportVerificationError, type ExportOptions, type ExportResult } from './export.ts';
import type { VerificationReport } from './verify.ts';

export type ExportOutcome = ({ ok: true } & ExportResult) | { ok: false; error: ErrorInfo; verification?: VerificationReport };

export async function exportOutcome(model: ModelValue, options: ExportOptions): Promise<ExportOutcome> {
  try {
    return { ok: true, ...(await exportOnnx(model, options)) };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e, model.trainedOn.nodeId), ...(e instanceof ExportVerificationError ? { verification: e.verification } : {}) };
  }
}

export const exportOnnxTask = defineWorkerTask('export.onnx', (payload: { model: ModelValue; options: ExportOptions }): Promise<ExportOutcome> => exportOutcome(payload.model, payload.options));
