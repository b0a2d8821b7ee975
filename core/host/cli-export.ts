/**
 * `flowline export onnx` and `flowline predict`: loaded only when one of them runs (onnxruntime
 * is not free to load).
 *
 *   flowline export onnx <file.flow.json> --node TRAIN_NODE --out model.onnx [--exact] [--json] [--set ...]
 *                        [--stage production --reason TEXT]
 *   flowline predict <model.onnx> <data.csv> --out scored.csv
 */
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FlowlineError, toErrorInfo, type ErrorInfo } from '../spec/errors.ts';
import type { RunContext } from '../spec/context.ts';
import { exportInputs, exportRunTarget, modelOf } from '../export/onnx/from-pipeline.ts';
import { exportOutcome, type ExportOutcome } from '../export/onnx/export-task.ts';
import { readModelInfo, scoreWithOnnx } from '../export/onnx/score.ts';
import { verificationLines, writeFileAtomically } from '../export/onnx/save.ts';
import { FLOWLINE_VERSION } from '../export/version.ts';
import { loadCsv } from '../data/csv.ts';
import { readColumns, writeColumns } from '../data/tables.ts';
import { writeCsv } from '../data/writers.ts';
import { makeFrame, type Frame, type FrameColumn } from '../ml/frame.ts';
import type { ExportedModelInfo } from '../export/onnx/model-info.ts';
import type { TableRef } from '../spec/values.ts';
import { cardPartsFromRun } from '../export/card/from-pipeline.ts';
import { cardPathsBeside, modelCard } from '../export/card/model-card.ts';
import { writeModelCard } from '../report/index.ts';
import { EXIT, formatError, type CliParts } from './cli.ts';
import { formatMs, ProgressDisplay } from './cli-progress.ts';
import { readPipelineFile } from './pipeline-file.ts';
import { prepareRun } from './run-session.ts';
import { defaultStateDir } from './service/state-dir.ts';
import { refusalLines } from '../export/gates.ts';
import { ModelRegistry } from './registry/model-registry.ts';
import { checkGates, EXIT_GATE_FAILED, promote, type GateCheck } from './registry/promotion.ts';
import { lineageOfRun, registerOnnx } from './registry/register-export.ts';
import { RunStore } from './runs/run-store.ts';
import { runInfoOf } from './runs/run-record.ts';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

function options<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], opts: O) {
  try {
    return parseArgs({ args, options: opts, allowPositionals: true, strict: true });
  } catch (e) {
    throw new FlowlineError({ code: 'BAD_SET', message: (e as Error).message });
  }
}

export async function exportCommand(args: string[], parts: CliParts, io: Io): Promise<number> {
  const [kind, ...rest] = args;
  if (kind !== 'onnx') {
    io.stderr.write(kind === 'docker' ? 'flowline export docker: not part of this build yet. Nothing was written.\n' : 'flowline export: say what to export: flowline export onnx <file.flow.json> --node TRAIN_NODE --out model.onnx\n');
    return EXIT.badInput;
  }
  const { values, positionals } = options(rest, { node: { type: 'string' }, out: { type: 'string' }, exact: { type: 'boolean' }, json: { type: 'boolean' }, set: { type: 'string', multiple: true }, stage: { type: 'string' }, reason: { type: 'string' } });
  if (positionals.length !== 1 || !values.node || !values.out) {
    io.stderr.write('flowline export onnx: give the pipeline, the node and the file, e.g. flowline export onnx churn.flow.json --node train --out model.onnx\n');
    return EXIT.badInput;
  }
  const production = productionStage(values.stage as string | undefined, values.reason as string | undefined);
  const file = await readPipelineFile(positionals[0]);
  const nodeId = values.node as string;
  const out = resolve(values.out as string);
  // Up to the Evaluate node that scores the model, through the run session `flowline run` and the
  // studio use: same cache, so an export after a run recomputes nothing.
  const prepared = prepareRun(
    { pipeline: file.pipeline, path: file.path, set: values.set as string[] | undefined, to: exportRunTarget(file.pipeline, nodeId) },
    { nodes: parts.nodes, stateDir: defaultStateDir(), cwd: process.cwd() },
  );
  if (!prepared.plan) {
    for (const d of prepared.diagnostics) io.stderr.write(`${formatError(d)}\n`);
    return EXIT.badInput;
  }
  const display = values.json ? null : new ProgressDisplay(io.stderr as NodeJS.WriteStream);
  const summary = await prepared.start({ workers: { tasks: parts.tasks }, onEvent: (e) => display?.handle(e) });
  const failed = summary.nodes.find((n) => n.error);
  if (failed?.error) return report(io, !!values.json, { ok: false, error: failed.error }, out);
  const started = performance.now();
  let outcome: ExportOutcome;
  try {
    const inputs = await exportInputs(file.pipeline, summary, nodeId, new Map(parts.nodes.map((n) => [n.type, n])));
    outcome = await exportOutcome(inputs.model, {
      target: values.exact ? 'exact' : 'default',
      rows: inputs.rows,
      rowSource: inputs.rowSource,
      metrics: inputs.metrics,
      pipelineHash: inputs.pipelineHash,
      flowlineVersion: FLOWLINE_VERSION,
    });
  } catch (e) {
    outcome = { ok: false, error: toErrorInfo(e, nodeId) };
  }
  if (!outcome.ok) return report(io, !!values.json, outcome, out, performance.now() - started);
  const registry = new ModelRegistry(prepared.modelsDir);
  const record = await new RunStore(prepared.runsDir).get(summary.runId).catch(() => null);
  const lineage = record ? lineageOfRun(record) : { runId: null, pipeline: { name: file.pipeline.name, path: file.path, hash: outcome.info.pipelineHash }, data: [], metrics: {}, pipelineCopy: null };
  // Exported as production: the gates first, so a refused model writes nothing.
  if (production) {
    const check = await checkGates(registry, file.pipeline.gates ?? [], file.path, outcome.info, lineage.metrics, await registry.list());
    if (!check.passed) return refuseByGates(io, !!values.json, check);
  }
  await writeFileAtomically(out, outcome.bytes);
  // The model card goes beside the file, as the Export ONNX node writes it (docs/lifecycle.md, "Model card").
  const card = cardPathsBeside(out);
  const runInfo = record ? runInfoOf(record, file.pipeline.gates) : { id: summary.runId, gates: file.pipeline.gates };
  await writeModelCard(modelCard(cardPartsFromRun(file.pipeline, summary, nodeId, modelOf(summary, nodeId), basename(out), runInfo)), card, nodeId);
  const { version } = await registerOnnx(registry, out, lineage);
  let stage = 'candidate';
  if (production) {
    const promoted = await promote(registry, version.id, production.reason);
    if (!promoted.promoted) return refuseByGates(io, !!values.json, promoted.gates);
    stage = 'production';
  }
  return report(io, !!values.json, outcome, out, performance.now() - started, { version: version.id, stage, dir: registry.dir }, card);
}

/** --stage production needs --reason (the audit log records why); any other stage is a mistake. */
export function productionStage(stage: string | undefined, reason: string | undefined): { reason: string } | null {
  if (stage === undefined || stage === 'candidate') return null;
  if (stage !== 'production') throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `--stage is candidate or production, not "${stage}".` });
  if (!reason?.trim()) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: '--stage production needs --reason: promoting records why.', hint: 'e.g. --stage production --reason "beats v3 on the March data"' });
  return { reason };
}

/** A model a gate refused: each failed gate with its measured value and bound; exit 4. */
export function refuseByGates(io: Io, json: boolean, check: GateCheck): number {
  if (json) io.stdout.write(`${JSON.stringify({ status: 'refused', gates: check.results, failed: check.results.filter((r) => !r.passed) })}\n`);
  else io.stderr.write(`Not exported as production:${refusalLines(check.results).map((l) => `\n  ✗ ${l}`).join('')}\nNothing was written.\n`);
  return EXIT_GATE_FAILED;
}

function report(io: Io, json: boolean, outcome: ExportOutcome | { ok: false; error: ErrorInfo }, out: string, ms = 0, registered?: { version: string; stage: string; dir: string }, card?: { markdown: string; html: string }): number {
  if (json) {
    const doc = outcome.ok
      ? { status: 'exported', file: out, bytes: outcome.bytes.length, durationMs: Math.round(ms), model: outcome.info, verification: outcome.verification, ...(card ? { card } : {}), ...(registered ? { registry: registered } : {}) }
      : { status: 'refused', error: outcome.error, ...('verification' in outcome && outcome.verification ? { verification: outcome.verification } : {}) };
    io.stdout.write(`${JSON.stringify(doc)}\n`);
  } else if (outcome.ok) {
    for (const line of verificationLines(outcome.verification)) io.stdout.write(`${line}\n`);
    io.stdout.write(`wrote ${out} (${(outcome.bytes.length / 1024).toFixed(1)} KB, ${outcome.info.target} target: opset ${outcome.info.opset} + ai.onnx.ml ${outcome.info.mlOpset}) in ${formatMs(ms)}\n`);
    if (card) io.stdout.write(`wrote the model card ${basename(card.html)} and ${basename(card.markdown)} beside it\n`);
    if (registered) io.stdout.write(`registered as ${registered.version} (${registered.stage}) in ${registered.dir}\n`);
  } else {
    if ('verification' in outcome && outcome.verification) for (const line of verificationLines(outcome.verification)) io.stderr.write(`${line}\n`);
    io.stderr.write(`${formatError(outcome.error)}\n`);
  }
  if (outcome.ok) return EXIT.ok;
  return ['UNKNOWN_NODE', 'BAD_SET', 'PIPELINE_INVALID'].includes(outcome.error.code) ? EXIT.badInput : EXIT.nodeFailed;
}

/** A RunContext for the data helpers outside a pipeline run. */
export function standaloneContext(dir: string): RunContext {
  const controller = new AbortController();
  return {
    nodeId: 'predict',
    pipelineDir: process.cwd(),
    outDir: dir,
    seed: 0,
    signal: controller.signal,
    log: () => {},
    warn: () => {},
    progress: () => {},
    runInWorker: (task, payload) => Promise.resolve(task.run(payload, { progress: () => {}, log: () => {} })),
    throwIfCancelled: () => {},
    error: (info) => new FlowlineError({ ...info, nodeId: 'predict' }),
  };
}

/** The columns a model reads (and `extra` ones when present) from a CSV file, as a frame; a missing input column is an error naming it. */
export async function readModelRows(ctx: RunContext, info: ExportedModelInfo, dataPath: string, extra: string[] = []): Promise<{ table: TableRef; frame: Frame }> {
  const table = await loadCsv(ctx, { path: dataPath });
  const names = info.inputs.map((i) => i.column);
  const missing = names.filter((n) => !table.columns.some((c) => c.name === n));
  if (missing.length) {
    throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: missing[0], file: dataPath, message: `${basename(dataPath)} has no column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}, which the model reads.`, hint: `The model reads: ${names.join(', ')}.` });
  }
  const wanted = [...names, ...extra.filter((n) => !names.includes(n) && table.columns.some((c) => c.name === n))];
  const read = await readColumns(table, wanted);
  const types = new Map(table.columns.map((c) => [c.name, c.type]));
  return { table, frame: makeFrame(wanted.map((name) => ({ name, type: types.get(name) ?? 'string', values: read.columns[name] as FrameColumn })), read.rowIds.length) };
}

export async function predictCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = options(args, { out: { type: 'string' } });
  if (positionals.length !== 2 || !values.out) {
    io.stderr.write('flowline predict: give the model, the rows and the output, e.g. flowline predict model.onnx data.csv --out scored.csv\n');
    return EXIT.badInput;
  }
  const [modelPath, dataPath] = positionals.map((p) => resolve(p));
  const bytes = await readFile(modelPath).catch(() => {
    throw new FlowlineError({ code: 'FILE_NOT_FOUND', file: modelPath, message: `There is no model file ${modelPath}.` });
  });
  const info = readModelInfo(bytes, basename(modelPath));
  const ctx = standaloneContext(mkdtempSync(join(tmpdir(), 'flowline-predict-')));
  try {
    const started = performance.now();
    const { table, frame } = await readModelRows(ctx, info, dataPath);
    const columns = await scoreWithOnnx(bytes, info, frame);
    const scored = await writeColumns(ctx, table, columns);
    const artifact = await writeCsv(ctx, scored, resolve(values.out as string));
    io.stdout.write(`scored ${frame.rows} rows with ${basename(modelPath)} in ${formatMs(performance.now() - started)}; wrote ${artifact.path}\n`);
    return EXIT.ok;
  } finally {
    await rm(ctx.outDir, { recursive: true, force: true });
  }
}
