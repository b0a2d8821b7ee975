/**
 * Every export is checked before it is handed over: the ONNX bytes are loaded into onnxruntime
 * and run on held-out rows — plus copies of some of them with each input missing in turn, each
 * text input set to a category never seen in training, and one row with everything missing —
 * next to the app's own predictions on the same rows. Labels must agree on every row; numbers
 * within the target's tolerance. The report says by how much they differ, and where most.
 */
import type { VerificationReport } from '../../spec/export-report.ts';
import * as ort from 'onnxruntime-node';
import { FlowlineError } from '../../spec/errors.ts';
import type { ModelValue } from '../../spec/values.ts';
import { isNumericType, makeFrame, selectRows, type Frame, type FrameColumn } from '../../ml/frame.ts';
import { learnerByKind } from '../../ml/learners/index.ts';
import type { Prediction } from '../../ml/learners/types.ts';
import { applyRecipe, frameToMatrix } from '../../ml/recipe.ts';
import { neededSteps } from './build.ts';
import { ensembleView } from '../../ml/learners/tree/ensemble-view.ts';
import type { ExportedModelInfo } from './model-info.ts';
import { EXACT_TRANSCENDENTAL_TOLERANCE, type ExportTarget } from './target.ts';

/** A category no training set has: what "unseen" rows are fed. */
export const UNSEEN_CATEGORY = '\u2047 unseen category \u2047';
/** Held-out rows used at most (evenly spaced), and rows copied per missing/unseen variant. */
const MAX_ROWS = 2000;
const VARIANT_ROWS = 10;

export type { VerificationReport };

function nullColumn(col: FrameColumn, n: number): FrameColumn {
  return col instanceof Float64Array ? new Float64Array(n).fill(NaN) : new Array<string | null>(n).fill(null);
}

/** Held-out rows (at most MAX_ROWS, evenly spaced) plus the missing / unseen variants. */
export function verificationRows(model: ModelValue, heldOut: Frame): { frame: Frame; heldOutRows: number; missingRows: number; unseenRows: number } {
  const n0 = heldOut.rows;
  const take = Math.min(n0, MAX_ROWS);
  const index = Array.from({ length: take }, (_, i) => Math.floor((i * n0) / take));
  const base = selectRows(heldOut, index);
  const m = Math.min(take, VARIANT_ROWS);
  const parts: { name: string; values: FrameColumn[] }[] = model.inputColumns.map((c) => ({ name: c.name, values: [base.columns[c.name]] }));
  const firstRows = (col: FrameColumn) => (col instanceof Float64Array ? col.slice(0, m) : col.slice(0, m));
  let missingRows = 0;
  let unseenRows = 0;
  const variant = (change: string, make: (col: FrameColumn) => FrameColumn) => {
    for (const p of parts) p.values.push(p.name === change ? make(base.columns[p.name]) : firstRows(base.columns[p.name]));
  };
  for (const c of model.inputColumns) {
    variant(c.name, (col) => nullColumn(col, m));
    missingRows += m;
    if (!isNumericType(c.type)) {
      variant(c.name, () => new Array<string | null>(m).fill(UNSEEN_CATEGORY));
      unseenRows += m;
    }
  }
  for (const p of parts) p.values.push(nullColumn(base.columns[p.name], 1));
  missingRows += 1;
  const rows = take + missingRows + unseenRows;
  const joined = parts.map((p) => {
    const numeric = p.values[0] instanceof Float64Array;
    const values: FrameColumn = numeric ? new Float64Array(rows) : new Array<string | null>(rows);
    let at = 0;
    for (const v of p.values) {
      if (numeric) (values as Float64Array).set(v as Float64Array, at);
      else for (let i = 0; i < v.length; i++) (values as (string | null)[])[at + i] = (v as (string | null)[])[i];
      at += v.length;
    }
    return { name: p.name, type: heldOut.types[p.name], values };
  });
  return { frame: makeFrame(joined, rows), heldOutRows: take, missingRows, unseenRows };
}

/** The app's prediction for raw rows: the fitted recipe, then the learner (what Predict computes). */
export function appPredict(model: ModelValue, frame: Frame): Prediction {
  const X = frameToMatrix(applyRecipe(neededSteps(model), frame), model.features);
  return learnerByKind(model.estimator.kind).predict(model.estimator.state, X);
}

/** Feeds for an exported model: one [N, 1] tensor per input, "" for missing text. */
export function feedsFor(info: ExportedModelInfo, frame: Frame): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of info.inputs) {
    const col = frame.columns[input.column];
    if (!col) throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: input.column, message: `The rows to score have no column '${input.column}', which the model reads.`, hint: 'Score rows with the same columns the model was trained on.' });
    if (input.type === 'double') {
      const values = col instanceof Float64Array ? col : Float64Array.from(col, (v) => (v === null || v.trim() === '' ? NaN : Number(v)));
      feeds[input.name] = new ort.Tensor('float64', values, [frame.rows, 1]);
    } else {
      const values = col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? '' : String(v))) : col.map((v) => v ?? '');
      feeds[input.name] = new ort.Tensor('string', values, [frame.rows, 1]);
    }
  }
  return feeds;
}

export async function runOnnx(bytes: Uint8Array, info: ExportedModelInfo, frame: Frame): Promise<{ outputs: Record<string, ort.Tensor>; loadMs: number; runMs: number }> {
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes);
  const t1 = performance.now();
  try {
    const outputs = await session.run(feedsFor(info, frame));
    return { outputs, loadMs: t1 - t0, runMs: performance.now() - t1 };
  } finally {
    await session.release();
  }
}

interface Diff {
  maxAbs: number;
  maxRel: number;
  identical: boolean;
  worst: VerificationReport['worst'];
  worstScore: number;
}

function compareNumbers(diff: Diff, output: string, app: ArrayLike<number>, onnx: ArrayLike<number>, relative: boolean, width = 1): void {
  for (let i = 0; i < app.length; i++) {
    const a = app[i];
    const b = Number(onnx[i]);
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (a === b) continue;
    diff.identical = false;
    const abs = Number.isNaN(a) || Number.isNaN(b) ? Infinity : Math.abs(a - b);
    const rel = abs === Infinity ? Infinity : abs / Math.max(Math.abs(a), Math.abs(b));
    diff.maxAbs = Math.max(diff.maxAbs, abs);
    diff.maxRel = Math.max(diff.maxRel, rel);
    const score = relative ? rel : abs;
    if (score > diff.worstScore) {
      diff.worstScore = score;
      diff.worst = { row: Math.floor(i / width), output, app: a, onnx: b };
    }
  }
}

/** Squared-distance loop of the app's k-means, for the `distances` output (Predict gives clusters only). */
function kmeansDistances(model: ModelValue, frame: Frame): Float64Array {
  const s = model.estimator.state as { centers: Float64Array; nClusters: number; nFeatures: number };
  const X = frameToMatrix(applyRecipe(neededSteps(model), frame), model.features);
  const p = s.nFeatures;
  const out = new Float64Array(X.rows * s.nClusters);
  for (let i = 0; i < X.rows; i++) {
    for (let c = 0; c < s.nClusters; c++) {
      let d = 0;
      for (let j = 0; j < p; j++) {
        const t = X.data[i * p + j] - s.centers[c * p + j];
        d += t * t;
      }
      out[i * s.nClusters + c] = Math.sqrt(d);
    }
  }
  return out;
}

function whyNotIdentical(model: ModelValue, target: ExportTarget, inexactOps: string[]): string {
  const reasons: string[] = [];
  if (target.name === 'default' && ensembleView(model.estimator.kind, model.estimator.state)) reasons.push('the default target\'s tree ensemble returns float32 (the exact target keeps double)');
  if (inexactOps.length) reasons.push(`it uses ${inexactOps.join(', ')}, which the runtime's math library may round a last digit apart from JavaScript's`);
  return reasons.join('; ') || 'the runtime added in another order';
}

export async function verifyExport(
  model: ModelValue,
  bytes: Uint8Array,
  info: ExportedModelInfo,
  target: ExportTarget,
  inexactOps: string[],
  heldOut: Frame,
  rowSource: string,
): Promise<VerificationReport> {
  if (heldOut.rows === 0) {
    throw new FlowlineError({ code: 'NO_ROWS', message: 'ONNX export: there are no rows to verify the exported model on.', hint: 'Connect rows with the model\'s input columns (e.g. the test side of the split).' });
  }
  const { frame, heldOutRows, missingRows, unseenRows } = verificationRows(model, heldOut);
  const t0 = performance.now();
  const app = appPredict(model, frame);
  const appMs = performance.now() - t0;
  const { outputs: onnx, loadMs: onnxLoadMs, runMs: onnxMs } = await runOnnx(bytes, info, frame);

  const tolerance = target.name === 'exact' && inexactOps.length > 0 ? EXACT_TRANSCENDENTAL_TOLERANCE : target.tolerance;
  const diff: Diff = { maxAbs: 0, maxRel: 0, identical: true, worst: null, worstScore: 0 };
  let labelsAgree: number | undefined;
  let failure: string | undefined;
  const n = frame.rows;
  if (model.classes) {
    const labels = onnx.label.data as ArrayLike<string | number>;
    labelsAgree = 0;
    let firstBad = -1;
    for (let i = 0; i < n; i++) {
      const expected = model.classes[app.values[i]];
      const got = typeof expected === 'number' ? Number(labels[i]) : String(labels[i]);
      if (got === expected) labelsAgree++;
      else if (firstBad < 0) firstBad = i;
    }
    if (labelsAgree < n) {
      diff.identical = false;
      failure = `the predicted class differs on ${n - labelsAgree} of ${n} rows (first: row ${firstBad + 1}, app "${model.classes[app.values[firstBad]]}", ONNX "${labels[firstBad]}")`;
    }
    compareNumbers(diff, 'probabilities', app.proba!, onnx.probabilities.data as Float64Array, false, model.classes.length);
    if (!failure && diff.maxAbs > tolerance) failure = `probabilities differ by up to ${diff.maxAbs.toExponential(2)} (tolerance ${tolerance})`;
  } else if (model.task === 'clustering') {
    const clusters = onnx.cluster.data as BigInt64Array;
    labelsAgree = 0;
    for (let i = 0; i < n; i++) if (Number(clusters[i]) === app.values[i]) labelsAgree++;
    if (labelsAgree < n) {
      diff.identical = false;
      failure = `the cluster differs on ${n - labelsAgree} of ${n} rows`;
    }
    compareNumbers(diff, 'distances', kmeansDistances(model, frame), onnx.distances.data as Float64Array, true, (model.estimator.state as { nClusters: number }).nClusters);
    if (!failure && diff.maxRel > tolerance) failure = `distances differ by up to ${diff.maxRel.toExponential(2)} relative (tolerance ${tolerance})`;
  } else {
    const output = model.task === 'anomaly' ? 'score' : 'value';
    compareNumbers(diff, output, app.values, onnx[output].data as Float64Array, true);
    if (diff.maxRel > tolerance) failure = `${output}s differ by up to ${diff.maxRel.toExponential(2)} relative (tolerance ${tolerance})`;
  }
  return {
    passed: !failure,
    target: target.name,
    rows: n,
    heldOutRows,
    rowSource,
    missingRows,
    unseenRows,
    labelsAgree,
    maxAbsDiff: diff.maxAbs,
    maxRelDiff: diff.maxRel,
    tolerance,
    bitIdentical: diff.identical,
    inexactOps,
    ...(diff.identical ? {} : { whyNotIdentical: whyNotIdentical(model, target, inexactOps) }),
    worst: diff.worst,
    onnxMs,
    onnxLoadMs,
    appMs,
    ...(failure ? { failure } : {}),
  };
}
