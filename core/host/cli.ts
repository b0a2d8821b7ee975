import { cp, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { compile, type Diagnostic } from '../compile/index.ts';
import type { TaskRegistry } from '../exec/index.ts';
import { FlowlineError, toErrorInfo, type ErrorInfo } from '../spec/errors.ts';
import { CATEGORIES, type AnyNodeSpec } from '../spec/define-node.ts';
import { explanationSummary, type ExplanationSummary } from '../spec/explanation.ts';
import type { RunSummary } from './api.ts';
import { parseCommandArgs } from './cli-args.ts';
import { ProgressDisplay, formatMs } from './cli-progress.ts';
import { knownSources } from './known-sources.ts';
import { readPipelineFile } from './pipeline-file.ts';
import { prepareRun } from './run-session.ts';
import { outcomesOf } from './runs/run-record.ts';
import { defaultStateDir } from './service/state-dir.ts';
import { cliTrustGate, terminalPrompt, untrustedEffects, type TrustDecision } from './cli-trust.ts';
import { catalogOf } from './service/catalog.ts';
import { listTemplates } from './templates.ts';

/** Exit codes. */
export const EXIT = { ok: 0, nodeFailed: 1, badInput: 2 } as const;

const USAGE = `flowline — run Flowline pipelines from the command line

  flowline run <file.flow.json> [--set node.param=value]... [--out DIR] [--report report.html] [--json] [--to NODE] [--no-cache] [--cache DIR] [--trust]
               [--queue redis://HOST:6379 --store DIR]   heavy work on flowline worker processes
  flowline worker --queue redis://HOST:6379 --store DIR [--threads N]
  flowline validate <file.flow.json> [--set node.param=value]... [--json] [--trust]
  flowline export onnx <file.flow.json> --node TRAIN_NODE --out model.onnx [--exact] [--json] [--stage production --reason TEXT]
  flowline predict <model.onnx> <data.csv> --out scored.csv
  flowline export docker <file.flow.json> --node TRAIN_NODE --out DIR [--challenger TRAIN_NODE_2] [--routing ab|canary|shadow]
  flowline export argo <file.flow.json> --image IMAGE --out workflow.json [--claim PVC] [--trust]
  flowline runs [--in PIPELINE_OR_FOLDER] [--json]        runs recorded beside the pipeline, newest first
  flowline runs show RUN [--json]                          RUN: an id, a unique prefix, latest, latest~N
  flowline runs compare A B [--json]                       what changed (params, data, nodes) and metric deltas
  flowline monitor <MODEL> <NEW_DATA> [--json] [--html report.html] [--psi 0.2] [--ks 0.2] [--js 0.2] [--missing 0.1]
                                                           MODEL: .onnx file, bundle folder, registry version (v3, production) or run id; NEW_DATA: CSV or request log
  flowline models [list] [--in PIPELINE_OR_FOLDER] [--json]  exported models, their stage and lineage
  flowline models show VERSION [--json]                    VERSION: v3, production, latest; with its gates
  flowline models promote VERSION --reason TEXT            gates checked; refused with exit 4
  flowline models rollback --reason TEXT                   the previous production version back
  flowline models audit [--json]                           every registration and stage change: who, when, why
  flowline nodes [--json]
  flowline templates [--json]
  flowline studio [--port N]

A pipeline file this machine has not trusted, that would run code, query a database, or read or
write files outside its folder, is not run before you say yes (on a terminal), or --trust (--yes).

Exit codes: 0 success, 1 a node failed, 2 bad input (unreadable or invalid pipeline, bad --set, not trusted),
3 (flowline monitor) drift found, 4 (models promote, export --stage production) refused by a gate.`;

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Where a question is answered (the trust prompt): a terminal only. */
  stdin?: NodeJS.ReadStream;
  /** Tests answer the trust prompt here instead of a terminal. */
  ask?: (question: string) => Promise<string>;
}

/** What the composition root (bin/flowline.js, out/cli/flowline.js) wires into the CLI. */
export interface CliParts {
  nodes: readonly AnyNodeSpec[];
  tasks: TaskRegistry;
}

/** The CLI. */
export async function main(argv: string[], parts: CliParts, io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  const { nodes } = parts;
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, parts, io);
      case 'validate':
        return await validateCommand(rest, nodes, io);
      case 'nodes':
        return nodesCommand(rest, nodes, io);
      case 'templates':
        return await templatesCommand(rest, io);
      case 'worker':
        return await (await import('./cli-worker.ts')).workerCommand(rest, parts, io);
      case 'studio':
        return await studioCommand(rest, parts, io);
      case 'export':
        if (rest[0] === 'argo') return await (await import('./cli-export-argo.ts')).exportArgoCommand(rest.slice(1), parts, io);
        if (rest[0] === 'docker') return await (await import('./cli-export-docker.ts')).exportDockerCommand(rest.slice(1), parts, io);
        return await (await import('./cli-export.ts')).exportCommand(rest, parts, io);
      case 'monitor':
        return await (await import('./cli-monitor.ts')).monitorCommand(rest, io);
      case 'runs':
        return await (await import('./cli-runs.ts')).runsCommand(rest, io);
      case 'models':
        return await (await import('./cli-models.ts')).modelsCommand(rest, io);
      case 'predict':
        return await (await import('./cli-export.ts')).predictCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? EXIT.badInput : EXIT.ok;
      default:
        io.stderr.write(`flowline: unknown command "${command}".\n\n${USAGE}\n`);
        return EXIT.badInput;
    }
  } catch (e) {
    // Last line of defence: a plain message, never a stack trace (FLOWLINE_DEBUG=1 shows it).
    const info = toErrorInfo(e);
    const exit = info.code === 'INTERNAL' ? EXIT.nodeFailed : EXIT.badInput;
    // `run --json` promises one JSON object on stdout whatever happens (an unreadable file, a bad option...).
    if (command === 'run' && rest.includes('--json')) io.stdout.write(`${JSON.stringify(failureReport(info, exit))}\n`);
    io.stderr.write(`${formatError(info)}\n`);
    if (process.env.FLOWLINE_DEBUG && e instanceof Error) io.stderr.write(`${e.stack}\n`);
    return exit;
  }
}

/** `run --json` when there is no run to report: bad input (as an invalid pipeline is reported), or a failure of ours. */
function failureReport(info: ErrorInfo, exit: number) {
  const error = { code: info.code, message: info.message, hint: info.hint, file: info.file, line: info.line };
  return exit === EXIT.badInput ? { status: 'invalid', diagnostics: [{ severity: 'error', ...error }] } : { status: 'error', error };
}

async function runCommand(args: string[], { nodes, tasks }: CliParts, io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    set: { type: 'string', multiple: true },
    out: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
    to: { type: 'string' },
    cache: { type: 'string' },
    'no-cache': { type: 'boolean' },
    trust: { type: 'boolean' },
    yes: { type: 'boolean' },
    queue: { type: 'string' },
    store: { type: 'string' },
    'queue-name': { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `flowline run takes exactly one pipeline file (got ${positionals.length}).`, hint: 'e.g. flowline run churn.flow.json' });
  }
  const file = await readPipelineFile(positionals[0]);
  // The studio runs pipelines through the same prepareRun: same plan, same cache folder.
  const prepared = prepareRun(
    { pipeline: file.pipeline, path: file.path, set: values.set as string[] | undefined, to: values.to as string | undefined },
    { nodes, stateDir: defaultStateDir(), cwd: process.cwd(), cacheDir: values.cache as string | undefined },
  );
  const { plan, diagnostics } = prepared;
  if (!plan) {
    if (values.json) io.stdout.write(`${JSON.stringify({ status: 'invalid', diagnostics: diagnostics.map(plainDiagnostic) })}\n`);
    else printDiagnostics(diagnostics, file.path, io);
    return EXIT.badInput;
  }
  const ask = io.ask ?? (io.stdin ? terminalPrompt(io.stdin, io.stderr) : undefined);
  const trust = await cliTrustGate(file, nodes, { ask, write: (t) => io.stderr.write(t) }, { set: values.set as string[] | undefined, to: values.to as string | undefined, trusted: !!(values.trust || values.yes) });
  if (!trust.run) return refuseUntrusted(file.path, trust, !!values.json, io);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const display = values.json ? null : new ProgressDisplay(io.stderr);
  let summary: RunSummary;
  // --queue: the heavy tasks go to `flowline worker` processes; the rest runs on a local pool as usual.
  const queue = values.queue ? await (await import('./cli-worker.ts')).queuePoolFor({ queue: values.queue as string, store: values.store as string | undefined, name: values['queue-name'] as string | undefined }, tasks) : null;
  try {
    summary = await prepared.start({
      workers: queue ? { pool: queue } : { tasks },
      signal: controller.signal,
      useCache: !values['no-cache'],
      onEvent: (e) => display?.handle(e),
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    await queue?.close();
    await queue?.local.close();
  }
  const report = runReport(summary);
  if (values.out) await writeOutDir(resolve(values.out as string), summary, report);
  const html = values.report ? await (await import('./cli-report.ts')).writeRunReport(values.report as string, { pipeline: file.pipeline, nodes, summary, runsDir: prepared.runsDir }) : null;
  if (values.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
  } else {
    for (const n of summary.nodes) for (const w of n.warnings ?? []) io.stderr.write(`\nwarning (${n.id}): ${w}\n`);
    for (const n of summary.nodes) if (n.error) io.stderr.write(`\n${formatError(n.error)}\n`);
    const metricLines = Object.entries(report.metrics).map(([id, m]) => `  ${id}: ${Object.entries(m).map(([k, v]) => `${k}=${round(v)}`).join('  ')}`);
    if (metricLines.length) io.stdout.write(`metrics\n${metricLines.join('\n')}\n`);
    for (const a of report.artifacts) io.stdout.write(`wrote ${a.path}\n`);
    if (html) io.stdout.write(`report ${html}\n`);
    io.stdout.write(`${summary.status} in ${formatMs(summary.durationMs)}\n`);
  }
  return summary.status === 'done' ? EXIT.ok : EXIT.nodeFailed;
}

function refuseUntrusted(path: string, decision: Extract<TrustDecision, { run: false }>, json: boolean, io: Io): number {
  const message = decision.asked ? `${path} was not run.` : `${path} has not been trusted on this machine, so it was not run.`;
  const hint = 'Read what it would do; if you trust where it came from, run it again with --trust.';
  if (json) {
    const details = decision.effects.map((e) => e.what);
    io.stdout.write(`${JSON.stringify({ status: 'not_trusted', error: { code: 'NOT_TRUSTED', message, hint, file: path, details }, sideEffects: decision.effects.map(({ nodeId, kind, what }) => ({ nodeId, kind, what })) })}\n`);
  } else {
    const list = decision.asked ? '' : ` It would:\n${decision.effects.map((e) => `      - ${e.what}`).join('\n')}`;
    io.stderr.write(`${formatError({ code: 'NOT_TRUSTED', message: `${message}${list}`, hint, file: path })}\n`);
  }
  return EXIT.badInput;
}

/** The documented `--json` object (README, "The --json report"). */
export interface RunReport {
  status: RunSummary['status'];
  durationMs: number;
  nodes: { id: string; type: string; status: string; durationMs: number; reason?: string; warnings?: string[]; error?: { code: string; message: string; hint?: string; file?: string; line?: number; column?: string } }[];
  metrics: Record<string, Record<string, number>>;
  artifacts: { nodeId: string; kind: string; path: string }[];
  /** Per Explain node: the top columns by mean |attribution| and by permutation importance. */
  explanations: Record<string, ExplanationSummary>;
}

export function runReport(summary: RunSummary): RunReport {
  const { metrics, artifacts } = outcomesOf(summary);
  const explanations: RunReport['explanations'] = {};
  for (const n of summary.nodes) {
    for (const value of Object.values(n.outputs ?? {})) {
      if (value.kind === 'explanation' && value.detail) explanations[n.id] = explanationSummary(value.detail);
    }
  }
  return {
    status: summary.status,
    durationMs: Math.round(summary.durationMs),
    nodes: summary.nodes.map((n) => ({
      id: n.id,
      type: n.type,
      status: n.status,
      durationMs: Math.round(n.durationMs),
      ...(n.reason && n.status === 'done' ? { reason: n.reason } : {}),
      ...(n.warnings?.length ? { warnings: n.warnings } : {}),
      ...(n.error ? { error: { code: n.error.code, message: n.error.message, hint: n.error.hint, file: n.error.file, line: n.error.line, column: n.error.column } } : {}),
    })),
    metrics,
    artifacts,
    explanations,
  };
}

/** --out DIR: the report, each node's metrics and explanations, and its output tables as Parquet. */
async function writeOutDir(dir: string, summary: RunSummary, report: RunReport): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'run.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const n of summary.nodes) {
    for (const [port, value] of Object.entries(n.outputs ?? {})) {
      if (value.kind === 'metrics' || value.kind === 'explanation') await writeFile(join(dir, `${n.id}.${port}.json`), `${JSON.stringify(value, null, 2)}\n`);
      if (value.kind === 'table') await cp(value.path, join(dir, `${n.id}.${port}.parquet`));
    }
  }
}

async function validateCommand(args: string[], nodes: readonly AnyNodeSpec[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' }, set: { type: 'string', multiple: true }, trust: { type: 'boolean' }, yes: { type: 'boolean' } });
  if (positionals.length !== 1) {
    io.stderr.write('flowline validate: give exactly one pipeline file.\n');
    return EXIT.badInput;
  }
  let diagnostics: Diagnostic[];
  let path = resolve(positionals[0]);
  try {
    const file = await readPipelineFile(positionals[0]);
    path = file.path;
    const set = values.set as string[] | undefined;
    // Source files' columns (header and types, read cheaply) let every column param be checked. But
    // describing a query contacts the database, and a file outside the folder is the user's: a source
    // with a side effect this machine has not trusted is not described ("known after run").
    const { effects } = await untrustedEffects(file, nodes, { set, trusted: !!(values.trust || values.yes) });
    const skip = new Set(effects.filter((e) => e.kind === 'query' || e.kind === 'read').map((e) => e.nodeId));
    const sources = await knownSources(file.pipeline, nodes, { path: file.path, cwd: process.cwd(), skip });
    diagnostics = compile(file.pipeline, nodes, { set, sources }).diagnostics;
  } catch (e) {
    diagnostics = [{ severity: 'error', ...toErrorInfo(e) }];
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (values.json) io.stdout.write(`${JSON.stringify({ valid: errors.length === 0, file: path, diagnostics: diagnostics.map(plainDiagnostic) })}\n`);
  else if (errors.length === 0) io.stdout.write(`${basename(path)} is valid.\n`);
  else printDiagnostics(diagnostics, path, io);
  return errors.length === 0 ? EXIT.ok : EXIT.badInput;
}

function nodesCommand(args: string[], nodes: readonly AnyNodeSpec[], io: Io): number {
  const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(catalogOf([...nodes]), null, 2)}\n`);
    return EXIT.ok;
  }
  // The listing needs names and descriptions only, not every param's JSON Schema (~50 ms to build).
  let category = '';
  for (const n of [...nodes].sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || a.title.localeCompare(b.title))) {
    if (n.category !== category) io.stdout.write(`\n${(category = n.category)}\n`);
    io.stdout.write(`  ${n.type.padEnd(26)} ${n.title} — ${n.description.split('\n')[0]}\n`);
  }
  return EXIT.ok;
}

async function templatesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
  const templates = await listTemplates();
  if (values.json) io.stdout.write(`${JSON.stringify(templates, null, 2)}\n`);
  else for (const t of templates) io.stdout.write(`${t.id.padEnd(24)} ${t.name} — ${t.description}\n  ${t.path}\n`);
  return EXIT.ok;
}

async function studioCommand(args: string[], { nodes, tasks }: CliParts, io: Io): Promise<number> {
  const { values } = parseCommandArgs(args, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
  const { startWebHost } = await import('./web-host.ts');
  const host = await startWebHost({ nodes, tasks, port: values.port ? Number(values.port) : 0, openBrowser: !values['no-open'], cwd: process.cwd() });
  io.stdout.write(`Flowline studio: ${host.url}\n(open it in a browser; Ctrl+C stops the studio)\n`);
  await new Promise<void>((done) => process.once('SIGINT', () => void host.close().then(done)));
  return EXIT.ok;
}

function plainDiagnostic(d: Diagnostic) {
  return { severity: d.severity, code: d.code, nodeId: d.nodeId, message: d.message, hint: d.hint, path: d.path, column: d.column, file: d.file, line: d.line };
}

function printDiagnostics(diagnostics: Diagnostic[], file: string, io: Io): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  io.stderr.write(`${basename(file)}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
  for (const d of diagnostics) io.stderr.write(`${formatError(d)}\n`);
}

export function formatError(e: ErrorInfo): string {
  const where = [e.nodeId && `node "${e.nodeId}"`, e.file && `file ${e.file}${e.line ? `:${e.line}` : ''}`, e.column && `column "${e.column}"`].filter(Boolean).join(', ');
  return `  ✗ [${e.code}]${where ? ` ${where}:` : ''} ${e.message}${e.hint ? `\n    hint: ${e.hint}` : ''}`;
}

function round(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
