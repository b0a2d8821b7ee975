/**
 * The studio's Export button (FlowlineApi.exportOnnx): run the pipeline up to what scores the
 * node's model (a normal run, so the canvas shows it and the cache answers), collect the model,
 * held-out rows and metrics, export and verify in a worker, and write the file only when it
 * matches. Everything the dialog shows comes back as one result, refusals included.
 */
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Pipeline } from '../../schema/pipeline.ts';
import type { AnyNodeSpec } from '../../spec/define-node.ts';
import { FlowlineError, toErrorInfo } from '../../spec/errors.ts';
import type { WorkerTask } from '../../spec/worker-task.ts';
import { exportInputs, exportRunTarget, modelOf } from '../../export/onnx/from-pipeline.ts';
import { cardPartsFromRun } from '../../export/card/from-pipeline.ts';
import { cardPathsBeside, modelCard } from '../../export/card/model-card.ts';
import { writeModelCard } from '../../report/index.ts';
import type { RunRecord } from '../../spec/run-log.ts';
import { runInfoOf } from '../runs/run-record.ts';
import { exportOnnxTask, type ExportOutcome } from '../../export/onnx/export-task.ts';
import { writeFileAtomically } from '../../export/onnx/save.ts';
import { FLOWLINE_VERSION } from '../../export/version.ts';
import type { OnnxExportRequest, OnnxExportResult, RunRequest, RunSummary } from '../api.ts';

export interface ExportDeps {
  nodes: readonly AnyNodeSpec[];
  cwd: string;
  /** Is this pipeline path a template (shipped with the app: never written beside)? */
  isTemplate: (abs: string) => boolean;
  /** Throws PATH_NOT_ALLOWED for a place the studio may not write. */
  checkWritable: (abs: string) => void;
  run: (request: RunRequest) => Promise<{ runId: string }>;
  finished: (runId: string) => Promise<RunSummary | null>;
  runTask: <P, R>(task: WorkerTask<P, R>, payload: P) => Promise<R>;
  /** Register the written file in the model registry, the run as its lineage (register-export.ts). */
  register: (runId: string, file: string) => Promise<unknown>;
  /** The run log's record of the export's run (its pipeline hash and data files go in the model card). */
  runRecord: (runId: string) => Promise<RunRecord | null>;
}

/** Where the file goes: `out` as given, else <nodeId>.onnx beside the pipeline (or in the studio's folder). */
export function exportPath(request: Pick<OnnxExportRequest, 'path' | 'nodeId' | 'out'>, deps: Pick<ExportDeps, 'cwd' | 'isTemplate'>): string {
  const pipelineAbs = request.path ? resolve(deps.cwd, request.path) : undefined;
  const dir = pipelineAbs && !deps.isTemplate(pipelineAbs) ? dirname(pipelineAbs) : deps.cwd;
  if (request.out) return isAbsolute(request.out) ? request.out : resolve(dir, request.out);
  return join(dir, `${request.nodeId}.onnx`);
}

export async function exportOnnxFromStudio(request: OnnxExportRequest, pipeline: Pipeline, deps: ExportDeps): Promise<OnnxExportResult> {
  const started = Date.now();
  const target = request.exact ? 'exact' : 'default';
  let runId: string | undefined;
  const refused = (e: unknown, outcome?: Extract<ExportOutcome, { ok: false }>): OnnxExportResult => ({
    ok: false,
    target,
    error: outcome?.error ?? toErrorInfo(e, request.nodeId),
    ...(outcome?.verification ? { verification: outcome.verification } : {}),
    ...(runId ? { runId } : {}),
    durationMs: Date.now() - started,
  });
  try {
    const out = exportPath(request, deps);
    deps.checkWritable(out);
    ({ runId } = await deps.run({ pipeline, path: request.path, to: exportRunTarget(pipeline, request.nodeId) }));
    const summary = await deps.finished(runId);
    if (!summary) throw new FlowlineError({ code: 'CANCELLED', nodeId: request.nodeId, message: 'The run for the export was cancelled.' });
    const failed = summary.nodes.find((n) => n.status === 'error' && n.error);
    if (failed?.error) return refused(null, { ok: false, error: failed.error });
    const inputs = await exportInputs(pipeline, summary, request.nodeId, new Map(deps.nodes.map((n) => [n.type, n])));
    const outcome = await deps.runTask(exportOnnxTask, {
      model: inputs.model,
      options: { target, rows: inputs.rows, rowSource: inputs.rowSource, metrics: inputs.metrics, pipelineHash: inputs.pipelineHash, flowlineVersion: FLOWLINE_VERSION },
    });
    if (!outcome.ok) return refused(null, outcome);
    await writeFileAtomically(out, outcome.bytes);
    // The model card beside the file, as `flowline export onnx` and the Export ONNX node write it.
    const record = await deps.runRecord(runId);
    const runInfo = record ? runInfoOf(record, pipeline.gates) : { id: runId, gates: pipeline.gates };
    await writeModelCard(modelCard(cardPartsFromRun(pipeline, summary, request.nodeId, modelOf(summary, request.nodeId), basename(out), runInfo)), cardPathsBeside(out), request.nodeId);
    await deps.register(runId, out);
    const { info } = outcome;
    return {
      ok: true,
      file: out,
      sizeBytes: outcome.bytes.length,
      target,
      opset: info.opset,
      mlOpset: info.mlOpset,
      task: info.task,
      inputs: info.inputs.map((i) => ({ name: i.name, type: i.type })),
      outputs: info.outputs.map((o) => ({ name: o.name, type: o.type, shape: o.shape })),
      verification: outcome.verification,
      runId,
      durationMs: Date.now() - started,
    };
  } catch (e) {
    return refused(e);
  }
}

