/**
 * `flowline monitor MODEL NEW_DATA`: new rows against the training reference the exported model
 * carries (docs/lifecycle.md, "Drift"). Exit 0 within thresholds, 3 on drift, 2 on bad input.
 *
 * MODEL: an exported .onnx file, a serving bundle folder (flowline-model.json), a registry version
 * (v3, production), or a recorded run (id, prefix, latest) whose artifacts include an .onnx file. NEW_DATA: a CSV file, or a serving
 * bundle's request log (JSON Lines, docs/serving-bundle.md "Request log").
 */
import { mkdtempSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExportedModelInfo } from '../export/onnx/model-info.ts';
import { readModelInfo, scoreWithOnnx } from '../export/onnx/score.ts';
import { DEFAULT_THRESHOLDS, driftReport, type DriftReport, type DriftThresholds } from '../ml/drift/drift.ts';
import { driftReportHtml } from '../ml/drift/report-html.ts';
import { makeFrame, type Frame, type FrameColumn } from '../ml/frame.ts';
import { scoreClassification, scoreRegression } from '../ml/metrics.ts';
import { FlowlineError } from '../spec/errors.ts';
import { readModelRows, standaloneContext } from './cli-export.ts';
import { registryFor } from './cli-models.ts';
import { runStoreFor } from './cli-runs.ts';

/** Exit code for drift found (documented in docs/lifecycle.md and `flowline help`). */
export const EXIT_DRIFT = 3;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

interface Quality {
  metric: string;
  training: number | null;
  current: number;
}

export async function monitorCommand(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        html: { type: 'string' },
        in: { type: 'string' },
        model: { type: 'string' },
        psi: { type: 'string' },
        ks: { type: 'string' },
        js: { type: 'string' },
        missing: { type: 'string' },
      },
    });
  } catch (e) {
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: (e as Error).message, hint: 'See `flowline help`.' });
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 2) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'flowline monitor takes a model and a data file.', hint: 'e.g. flowline monitor model.onnx new-rows.csv' });
  const thresholds: DriftThresholds = {
    psi: threshold(values.psi, 'psi', DEFAULT_THRESHOLDS.psi),
    ks: threshold(values.ks, 'ks', DEFAULT_THRESHOLDS.ks),
    jensenShannon: threshold(values.js, 'js', DEFAULT_THRESHOLDS.jensenShannon),
    missingRate: threshold(values.missing, 'missing', DEFAULT_THRESHOLDS.missingRate),
  };
  const model = await resolveModel(positionals[0], values.in as string | undefined, values.model as string | undefined);
  const reference = model.info.trainingReference;
  if (!reference) {
    throw new FlowlineError({ code: 'BAD_DATA', file: model.source, message: `${basename(model.source)} carries no training reference (it was exported by an older Flowline).`, hint: 'Export the model again (run the pipeline with --no-cache first if its Train result is cached from before).' });
  }
  const dataPath = resolve(positionals[1]);
  const rows = isRequestLog(dataPath) ? await readRequestLog(dataPath, model.info) : await readTable(dataPath, model);
  const report = driftReport(reference, rows.frame, thresholds, rows.predictions);
  const quality = rows.labels ? qualityOf(model.info, rows.labels, rows.labelsType, rows.scored!) : undefined;

  if (values.html) await writeFile(resolve(values.html as string), driftReportHtml(report, `Drift: ${basename(dataPath)} against ${basename(model.source)}`, quality));
  if (values.json) io.stdout.write(`${JSON.stringify({ model: model.source, data: dataPath, ...report, ...(quality ? { quality } : {}) })}\n`);
  else io.stdout.write(formatReport(report, quality));
  return report.verdict === 'drift' ? EXIT_DRIFT : 0;
}

function threshold(text: unknown, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `--${name} must be a number >= 0 (got "${String(text)}").` });
  return v;
}

interface ResolvedModel {
  source: string;
  bytes: Uint8Array;
  info: ExportedModelInfo;
}

async function resolveModel(ref: string, where: string | undefined, name: string | undefined): Promise<ResolvedModel> {
  const abs = resolve(ref);
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(abs);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) {
    const manifestPath = join(abs, 'flowline-model.json');
    let manifest: { models?: { name: string; file: string }[] };
    try {
      manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    } catch {
      throw new FlowlineError({ code: 'FILE_NOT_FOUND', file: manifestPath, message: `${abs} is not a serving bundle (no readable flowline-model.json).`, hint: 'Give an .onnx file, a bundle folder written by flowline export docker, or a run id.' });
    }
    const models = manifest.models ?? [];
    const chosen = name ? models.find((m) => m.name === name) : models[0];
    if (!chosen) throw new FlowlineError({ code: 'BAD_ARGUMENTS', file: manifestPath, message: `The bundle has no model${name ? ` named "${name}"` : ''}.`, hint: `Models: ${models.map((m) => m.name).join(', ') || 'none'}.` });
    return loadOnnx(join(abs, chosen.file));
  }
  if (stat?.isFile()) return loadOnnx(abs);
  // A registry version (v3, production): the registry's own copy of the model.
  if (/^(v\d+|production)$/.test(ref)) {
    const registry = registryFor(where);
    const version = await registry.get(ref);
    return loadOnnx(join(registry.folderOf(version.id), version.file));
  }
  // Not a file: a recorded run whose artifacts include an exported model.
  const record = await runStoreFor(where).get(ref);
  const onnx = record.artifacts.find((a) => a.kind === 'onnx');
  if (!onnx) throw new FlowlineError({ code: 'BAD_DATA', message: `Run ${record.id} exported no ONNX model.`, hint: 'Add an Export ONNX node to the pipeline, or give the .onnx file itself.' });
  return loadOnnx(onnx.path);
}

async function loadOnnx(path: string): Promise<ResolvedModel> {
  const bytes = await readFile(path).catch(() => {
    throw new FlowlineError({ code: 'FILE_NOT_FOUND', file: path, message: `There is no model file ${path}.` });
  });
  return { source: path, bytes, info: readModelInfo(bytes, basename(path)) };
}

interface NewRows {
  frame: Frame;
  predictions?: FrameColumn;
  /** The target column when the rows are labelled. */
  labels?: FrameColumn;
  labelsType?: string;
  scored?: Record<string, Float64Array | string[]>;
}

function isRequestLog(path: string): boolean {
  return /\.(jsonl|ndjson|log)(\.\d+)?$/i.test(path);
}

async function readTable(path: string, model: ResolvedModel): Promise<NewRows> {
  const ctx = standaloneContext(mkdtempSync(join(tmpdir(), 'flowline-monitor-')));
  try {
    const target = model.info.targetColumn;
    const { frame } = await readModelRows(ctx, model.info, path, target ? [target] : []);
    const scored = await scoreWithOnnx(model.bytes, model.info, frame);
    return { frame, predictions: scored.prediction, ...(target && frame.columns[target] ? { labels: frame.columns[target], labelsType: frame.types[target], scored } : {}) };
  } finally {
    await rm(ctx.outDir, { recursive: true, force: true });
  }
}

/** The inputs (and predictions) of a serving bundle's request log, for this model's lines. */
async function readRequestLog(path: string, info: ExportedModelInfo): Promise<NewRows> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new FlowlineError({ code: 'FILE_NOT_FOUND', file: path, message: `There is no request log ${path}.` });
  });
  const names = info.inputs.map((i) => i.column);
  const numeric = new Set(info.inputs.filter((i) => i.type === 'double').map((i) => i.column));
  const cols: Record<string, (number | string | null)[]> = Object.fromEntries(names.map((n) => [n, []]));
  const predictions: (number | string | null)[] = [];
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    if (!lines[ln].trim()) continue;
    let entry: { rows?: number; inputs?: Record<string, unknown[]>; predictions?: unknown[]; mode?: string };
    try {
      entry = JSON.parse(lines[ln]);
    } catch {
      throw new FlowlineError({ code: 'BAD_DATA', file: path, line: ln + 1, message: `Line ${ln + 1} of ${basename(path)} is not JSON.`, hint: 'The request log has one JSON object per line (docs/serving-bundle.md).' });
    }
    if (!entry.inputs) continue;
    const n = entry.rows ?? entry.predictions?.length ?? 0;
    for (let i = 0; i < n; i++) {
      for (const name of names) cols[name].push((entry.inputs[name]?.[i] ?? null) as number | string | null);
      predictions.push((entry.predictions?.[i] ?? null) as number | string | null);
    }
  }
  const rows = predictions.length;
  const frame = makeFrame(
    names.map((name) => ({
      name,
      type: numeric.has(name) ? 'number' : 'string',
      values: numeric.has(name) ? Float64Array.from(cols[name], (v) => (v === null ? Number.NaN : Number(v))) : cols[name].map((v) => (v === null ? null : String(v))),
    })),
    rows,
  );
  const predictionsColumn: FrameColumn = info.task === 'regression' || info.task === 'anomaly' ? Float64Array.from(predictions, (v) => (v === null ? Number.NaN : Number(v))) : predictions.map((v) => (v === null ? null : String(v)));
  return { frame, predictions: predictionsColumn };
}

/** Metrics on labelled new rows beside the metrics recorded at export. */
function qualityOf(info: ExportedModelInfo, labels: FrameColumn, labelsType: string | undefined, scored: Record<string, Float64Array | string[]>): Quality[] {
  const training = info.metrics?.values ?? {};
  let current: Record<string, number>;
  if (info.task === 'regression') {
    const y = labels instanceof Float64Array ? labels : Float64Array.from(labels as (string | null)[], (v) => (v === null ? Number.NaN : Number(v)));
    const keep = [...y.keys()].filter((i) => !Number.isNaN(y[i]));
    const pred = scored.prediction as Float64Array;
    current = scoreRegression(keep.map((i) => y[i]), keep.map((i) => pred[i])).values;
  } else if (info.task === 'binary' || info.task === 'multiclass') {
    const classes = info.classes!.map(String);
    const index = new Map(classes.map((c, i) => [c, i]));
    // A yes/no or true/false target is read as booleans (1/0); the model's classes are their names.
    const text = (v: number | string) => (labelsType === 'boolean' && typeof v === 'number' ? String(v === 1) : String(v));
    const label = (v: number | string | null) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? undefined : index.get(text(v)));
    const pred = scored.prediction;
    const keep = [...Array(labels.length).keys()].filter((i) => label(labels[i]) !== undefined);
    const k = classes.length;
    const probaCols = Object.keys(scored).filter((c) => c !== 'prediction');
    const proba = probaCols.length === k ? keep.flatMap((i) => probaCols.map((c) => (scored[c] as Float64Array)[i])) : undefined;
    current = scoreClassification(info.task, keep.map((i) => label(labels[i])!), keep.map((i) => index.get(String(pred[i]))!), k, proba).values;
  } else {
    return [];
  }
  return Object.entries(current).map(([metric, v]) => ({ metric, training: training[metric] ?? null, current: v }));
}

function formatReport(report: DriftReport, quality?: Quality[]): string {
  const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(3) : v.toExponential(2));
  const lines = [`${report.rows} new rows against ${report.referenceRows} training rows`];
  const all = [...report.columns, ...(report.prediction ? [{ ...report.prediction, column: 'prediction (model output)' }] : [])];
  for (const c of all) {
    const stats = c.kind === 'number' ? `PSI ${num(c.psi)}  KS ${num(c.ks?.statistic)} (p ${num(c.ks?.pValue)})  W ${num(c.wasserstein)}` : `PSI ${num(c.psi)}  χ² ${num(c.chiSquare?.statistic)} (p ${num(c.chiSquare?.pValue)})  JS ${num(c.jensenShannon)}`;
    lines.push(`  ${c.drifted ? '✗' : '✓'} ${c.column.padEnd(24)} ${stats}  missing ${(c.missingRate.current * 100).toFixed(1)}%${c.drifted ? `  — ${c.reasons.join('; ')}` : ''}`);
  }
  for (const m of report.missingColumns) lines.push(`  ✗ ${m.padEnd(24)} not in the new rows`);
  if (quality?.length) lines.push('prediction quality (labelled rows)', ...quality.map((q) => `  ${q.metric}: ${q.training === null ? '–' : num(q.training)} at training → ${num(q.current)} now`));
  lines.push(report.verdict === 'drift' ? `drift in ${[...report.drifted, ...(report.prediction?.drifted ? ['the predictions'] : [])].join(', ')} (exit ${EXIT_DRIFT})` : 'within thresholds');
  return `${lines.join('\n')}\n`;
}
