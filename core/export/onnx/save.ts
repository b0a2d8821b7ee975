/**
 * Writing an export: the bytes go to a temporary name beside the target and are renamed into
 * place, so a reader never sees half a file and a failed export leaves the previous one alone.
 * Also the Export ONNX node's work, kept here so the node file stays a declaration.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FlowlineError } from '../../spec/errors.ts';
import type { RunContext } from '../../spec/context.ts';
import type { ArtifactValue, MetricsValue, ModelValue, TableRef } from '../../spec/values.ts';
import { fileFingerprint } from '../../data/tables.ts';
import { resolveDataPath } from '../../data/files.ts';
import { loadRawFrame } from '../../ml/recipe.ts';
import { FLOWLINE_VERSION } from '../version.ts';
import { exportOnnxTask } from './export-task.ts';
import type { VerificationReport } from './verify.ts';

export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new FlowlineError({ code: 'BAD_DATA', file: path, message: `Could not write ${path}: ${(e as Error).message}.`, hint: 'Choose a folder you can write to.' });
  }
}

/** The verification report in a few lines (CLI output, node log; the studio shows a dialog). */
export function verificationLines(v: VerificationReport): string[] {
  const lines = [`verified on ${v.rows} rows: ${v.heldOutRows} ${v.rowSource}, ${v.missingRows} with a missing input, ${v.unseenRows} with an unseen category`];
  if (v.labelsAgree !== undefined) lines.push(`labels agree on ${v.labelsAgree} of ${v.rows} rows`);
  const e = (x: number) => (x === 0 ? '0' : x.toExponential(2));
  lines.push(`max |ONNX − app| ${e(v.maxAbsDiff)}, relative ${e(v.maxRelDiff)} (tolerance ${v.tolerance}); ${v.bitIdentical ? 'bit-identical' : `not bit-identical: ${v.whyNotIdentical}`}`);
  if (v.failure) lines.push(`FAILED: ${v.failure}`);
  return lines;
}

export interface ExportNodeInputs {
  model: ModelValue;
  /** Held-out rows to verify on; the model's kept training rows when absent. */
  table?: TableRef;
  metrics?: MetricsValue;
  path: string;
  exact: boolean;
}

/** What the Export ONNX node does: export in a worker, write only a verified model. */
export async function exportModelFile(ctx: RunContext, inputs: ExportNodeInputs): Promise<ArtifactValue> {
  const { model } = inputs;
  const rows = inputs.table ? (await loadRawFrame(inputs.table, model.inputColumns.map((c) => c.name))).frame : undefined;
  const sources = ctx.inputSources?.table?.[0];
  const outcome = await ctx.runInWorker(exportOnnxTask, {
    model,
    options: {
      target: inputs.exact ? 'exact' : 'default',
      rows,
      rowSource: rows ? `held-out rows from '${sources ?? 'the table input'}'` : undefined,
      metrics: inputs.metrics ? { nodeId: ctx.inputSources?.metrics?.[0] ?? 'metrics', scope: inputs.metrics.scope, values: inputs.metrics.values } : null,
      flowlineVersion: FLOWLINE_VERSION,
    },
  });
  if (!outcome.ok) {
    const lines = outcome.verification ? ` (${verificationLines(outcome.verification).join('; ')})` : '';
    throw new FlowlineError({ ...outcome.error, nodeId: ctx.nodeId, message: `${outcome.error.message}${lines}` });
  }
  for (const line of verificationLines(outcome.verification)) ctx.log(line);
  const abs = resolveDataPath(ctx, inputs.path);
  await writeFileAtomically(abs, outcome.bytes);
  ctx.log(`Wrote ${abs} (${(outcome.bytes.length / 1024).toFixed(1)} KB, ${outcome.info.target} target).`);
  return { kind: 'artifact', path: abs, format: 'onnx', fingerprint: await fileFingerprint(abs), verification: outcome.verification };
}
