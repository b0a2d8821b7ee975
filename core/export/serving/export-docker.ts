/**
 * A fitted model (and optionally a challenger) → a serving bundle: each model is exported to
 * ONNX and verified (core/export/onnx), described for the server (inputs, categories, outputs),
 * and given golden requests: held-out rows with Flowline's own predictions for them.
 *
 * CPU-heavy (export, verification, predictions): hosts run it in a worker, never on a thread
 * that answers the window.
 */
import { learnerByKind } from '../../ml/learners/index.ts';
import { selectRows, type Frame } from '../../ml/frame.ts';
import { encodeTarget } from '../../ml/model.ts';
import { evaluationReport } from '../../ml/evaluation-report.ts';
import { applyRecipe, frameToMatrix, loadRawFrame } from '../../ml/recipe.ts';
import type { ModelValue, TableRef } from '../../spec/values.ts';
import { defineWorkerTask } from '../../spec/worker-task.ts';
import { exportOnnx, type ExportedModelInfo, type TargetName, type VerificationReport } from '../onnx/index.ts';
import { FLOWLINE_VERSION } from '../version.ts';
import { addChallenger, modelName, writeBundle, type BundleModel, type BundleResult } from './bundle.ts';
import type { InputColumn, InputKind, Routing, ValidationPolicy } from './server/manifest.ts';

export interface DockerModelSource {
  model: ModelValue;
  /** Rows the model never saw (or its training rows, said so in `source`): a table, or its raw rows. */
  heldOut: { table?: TableRef; frame?: Frame; source: string };
  /** Figures of an Evaluate node that scores this model; else computed on the held-out rows. */
  evaluation?: ExportedModelInfo['metrics'];
  /** Name in URLs and metrics; default: the Train node's id. */
  name?: string;
  trainMetrics?: Record<string, number>;
  pipelinePath?: string;
  pipelineHash?: string | null;
}

export interface DockerExportOptions {
  out: string;
  champion: DockerModelSource;
  challenger?: DockerModelSource;
  /** Add `champion` as the challenger of the bundle at `out` instead of writing a new one. */
  addToExisting?: boolean;
  routing?: Partial<Routing>;
  validation?: Partial<ValidationPolicy>;
  target?: TargetName;
  zip?: boolean;
  /** More files for a new bundle (BundleOptions.extraFiles). */
  extraFiles?: Record<string, string>;
  /** Default: this Flowline's version. */
  flowlineVersion?: string;
}

export interface DockerExportResult extends BundleResult {
  verification: VerificationReport[];
}

/** Golden rows per model: evenly spaced over the held-out rows. */
const GOLDEN_ROWS = 20;

export async function exportDocker(o: DockerExportOptions): Promise<DockerExportResult> {
  const verification: VerificationReport[] = [];
  const prepare = async (m: DockerModelSource) => {
    const r = await bundleModelOf(m, o);
    verification.push(r.verification);
    return r.bundle;
  };
  const champion = await prepare(o.champion);
  if (o.addToExisting) return { ...(await addChallenger(o.out, champion, o.routing ?? {}, { zip: o.zip })), verification };
  const challenger = o.challenger ? await prepare(o.challenger) : undefined;
  return { ...(await writeBundle({ out: o.out, champion, challenger, routing: o.routing, validation: o.validation, zip: o.zip, extraFiles: o.extraFiles })), verification };
}

async function bundleModelOf(m: DockerModelSource, o: DockerExportOptions): Promise<{ bundle: BundleModel; verification: VerificationReport }> {
  const model = m.model;
  const frame = m.heldOut.frame ?? (await heldOutFrame(model, m.heldOut.table!));
  const computed = !m.evaluation && model.target && model.target in frame.columns ? heldOutMetrics(model, frame) : undefined;
  const evaluation = m.evaluation ?? (computed ? { nodeId: model.trainedOn.nodeId, scope: 'test', values: computed } : null);
  const exported = await exportOnnx(model, {
    target: o.target,
    rows: frame,
    rowSource: m.heldOut.source,
    flowlineVersion: o.flowlineVersion ?? FLOWLINE_VERSION,
    pipelineHash: m.pipelineHash ?? null,
    metrics: evaluation,
  });
  const testMetrics = evaluation?.values;
  const info = exported.info;
  const picked = Array.from({ length: Math.min(GOLDEN_ROWS, frame.rows) }, (_, i) => Math.floor((i * frame.rows) / Math.min(GOLDEN_ROWS, frame.rows)));
  const golden = selectRows(frame, picked);
  const app = appPrediction(model, golden);
  const classes = model.classes;
  const k = classes?.length ?? 0;
  const predictions = Array.from(app.values, (v) => (classes ? classes[v] : v));
  return {
    verification: exported.verification,
    bundle: {
      name: modelName(m.name ?? model.trainedOn.nodeId),
      onnx: exported.bytes,
      task: model.task,
      target: model.target,
      ...(classes ? { classes } : {}),
      learner: model.estimator.kind,
      inputs: servingInputs(model, info),
      metrics: { ...(m.trainMetrics ? { train: m.trainMetrics } : {}), ...(testMetrics ? { test: testMetrics } : {}) },
      ...(model.task === 'regression' || model.task === 'anomaly' ? { valueBuckets: valueBuckets(appPrediction(model, frame).values) } : {}),
      lineage: {
        ...(m.pipelinePath ? { pipeline: m.pipelinePath } : {}),
        ...(m.pipelineHash ? { pipelineSha256: m.pipelineHash } : {}),
        trainNode: model.trainedOn.nodeId,
        trainedRows: model.trainedOn.rows,
        recipe: info.steps,
        features: info.features,
      },
      onnxInfo: info as unknown as Record<string, unknown>,
      golden: {
        source: m.heldOut.source,
        rows: jsonRows(golden, model),
        predictions,
        ...(k && app.proba ? { probabilities: Array.from({ length: golden.rows }, (_, r) => Array.from(app.proba!.subarray(r * k, r * k + k))) } : {}),
        // what the export's verification holds probabilities and values to (docs/onnx-export.md)
        tolerance: 1e-6,
      },
    },
  };
}

/** The raw rows of a table (before its row-wise steps): the model's input columns and its target. */
async function heldOutFrame(model: ModelValue, table: TableRef): Promise<Frame> {
  const have = new Set((table.recipe.base?.columns ?? table.columns).map((c) => c.name));
  const wanted = [...model.inputColumns.map((c) => c.name), ...(model.target ? [model.target] : [])];
  return (await loadRawFrame(table, wanted.filter((c) => have.has(c)))).frame;
}

/** Flowline's own prediction for raw rows: the fitted recipe, then the learner (as Predict). */
function appPrediction(model: ModelValue, raw: Frame) {
  const X = frameToMatrix(applyRecipe(model.recipe, raw), model.features);
  return learnerByKind(model.estimator.kind).predict(model.estimator.state, X);
}

function heldOutMetrics(model: ModelValue, frame: Frame): Record<string, number> | undefined {
  const p = appPrediction(model, frame);
  const yTrue = model.classes ? Float64Array.from(encodeTarget(frame, model.target!, model.classes)) : (frame.columns[model.target!] as Float64Array);
  if (!(yTrue instanceof Float64Array)) return undefined;
  return evaluationReport({ task: model.task, scope: 'test', classes: model.classes, yTrue, prediction: p, rowIds: Float64Array.from({ length: frame.rows }, (_, i) => i) }).values;
}

const KINDS: Record<string, InputKind> = { number: 'number', integer: 'integer', boolean: 'boolean', date: 'date', timestamp: 'date', string: 'string' };

/** The server's view of each ONNX input: the field name, its kind, the categories the recipe learned. */
export function servingInputs(model: ModelValue, info: ExportedModelInfo): InputColumn[] {
  const byName = new Map(model.inputColumns.map((c) => [c.name, c]));
  return info.inputs.map((input) => {
    const column = byName.get(input.column);
    const kind = input.type === 'string' ? 'string' : (KINDS[input.columnType] ?? 'number');
    const categories = kind === 'string' ? learnedCategories(model, input.column) : undefined;
    return {
      name: input.column,
      ...(input.name !== input.column ? { onnxName: input.name } : {}),
      kind,
      onnxType: input.type,
      ...(column ? { sourceType: column.dbType } : {}),
      ...(categories ? { categories } : {}),
      // the contract defines a missing value for every input, and the export verifies it
      nullable: true,
    };
  });
}

/** Categories of a text column as fitted by the recipe's encoders (one-hot, ordinal, target encoding). */
function learnedCategories(model: ModelValue, column: string): string[] | undefined {
  const found = new Set<string>();
  let any = false;
  for (const step of model.recipe) {
    const columns = (step.state as { columns?: { column: string; categories?: unknown[]; other?: unknown[] }[] } | undefined)?.columns;
    const entry = Array.isArray(columns) ? columns.find((c) => c && c.column === column && Array.isArray(c.categories)) : undefined;
    if (!entry) continue;
    any = true;
    for (const k of [...entry.categories!, ...(entry.other ?? [])]) if (k !== null && k !== undefined) found.add(String(k));
  }
  return any ? [...found].sort() : undefined;
}

/** Rows as JSON a caller would send: null for missing, booleans, ISO dates, numbers, text. */
function jsonRows(frame: Frame, model: ModelValue): Record<string, string | number | boolean | null>[] {
  return Array.from({ length: frame.rows }, (_, r) => {
    const row: Record<string, string | number | boolean | null> = {};
    for (const c of model.inputColumns) {
      const v = frame.columns[c.name]?.[r];
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) row[c.name] = null;
      else if (c.type === 'boolean') row[c.name] = Boolean(v);
      else if (c.type === 'date') row[c.name] = new Date(v as number).toISOString().slice(0, 10);
      else if (c.type === 'timestamp') row[c.name] = new Date(v as number).toISOString();
      else row[c.name] = v as string | number;
    }
    return row;
  });
}

/** Histogram bounds for predicted values: deciles of the held-out predictions, 4 significant digits. */
function valueBuckets(values: Float64Array): number[] {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return [0];
  const edges = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((q) => Number(sorted[Math.floor(q * (sorted.length - 1))].toPrecision(4)));
  return [...new Set(edges)];
}

/** The export off the host's thread (the Export Docker node, the studio's Export dialog). */
export const exportDockerTask = defineWorkerTask('export.docker', async (o: DockerExportOptions, io): Promise<DockerExportResult> => {
  io.progress(0.05, 'exporting and verifying the ONNX model');
  const r = await exportDocker(o);
  io.progress(1);
  return r;
});
