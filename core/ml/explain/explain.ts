/**
 * The Explain node's work: read the rows to explain (capped, seeded sample), replay the model's
 * recipe, pick the method, compute attributions, permutation importance and partial dependence
 * on worker threads, and hand the numbers to report.ts.
 */
import type { RunContext } from '../../spec/context.ts';
import type { ModelValue, TableRef } from '../../spec/values.ts';
import { encodeTarget, FIT_THREADS, requireInputColumns } from '../model.ts';
import { frameToMatrix, selectRows, type Frame } from '../frame.ts';
import { learnerByKind } from '../learners/index.ts';
import type { Matrix } from '../learners/types.ts';
import { deriveSeed, Rng } from '../../spec/random.ts';
import { applyRecipe, loadRawFrame } from '../recipe.ts';
import { summariseBackground, type BackgroundSummary } from './background.ts';
import { columnMeans, isLinearKind } from './linear-shap.ts';
import { outputInfo, predictionInfo } from './model-output.ts';
import { gridOf, iceSample, type PdpCurves, type PdpJob } from './pdp.ts';
import { resolveMetric, type PermutationJob, type PermutationMetric } from './permutation.ts';
import { rawModelOf } from './raw-model.ts';
import { featureTerms, rawTerms, stepsToKeep, termValues, type Term } from './terms.ts';
import { isTreeKind } from './tree-view.ts';
import { explainRowsTask, pdpTask, permutationTask, type AttributionJob, type AttributionMethod, type AttributionResult } from './worker-tasks.ts';
import { buildReport, type ExplainReport } from './report.ts';

export type MethodChoice = 'auto' | AttributionMethod;

export interface ExplainOptions {
  method: MethodChoice;
  maxRows: number;
  /** '' = every class (multiclass) or the positive class (binary). */
  className: string;
  view: 'raw' | 'engineered';
  backgroundSummary: BackgroundSummary;
  backgroundSize: number;
  /** KernelSHAP coalitions per row (0 = auto: 2M + 2048) / LIME samples per row. */
  samples: number;
  permutationRepeats: number;
  metric: PermutationMetric;
  pdpColumns: string[];
  ice: 'off' | 'on' | 'centred';
  gridPoints: number;
  seed: number;
}

const TREE_TITLES = 'decision tree, random forest, histogram gradient boosting or isolation forest';

/** The method to use; a clear error naming the one that applies when the asked one cannot. */
export function resolveMethod(ctx: Pick<RunContext, 'error'>, kind: string, asked: MethodChoice): AttributionMethod {
  const tree = isTreeKind(kind);
  const linear = isLinearKind(kind);
  const title = learnerByKind(kind).title;
  const fits = tree ? '"tree" (exact TreeSHAP)' : linear ? '"linear" (exact linear SHAP)' : '"kernel" (KernelSHAP) or "lime"';
  if (asked === 'tree' && !tree) {
    throw ctx.error({ code: 'INVALID_PARAM', path: ['method'], message: `TreeSHAP needs a tree model (${TREE_TITLES}); this model is a ${title}.`, hint: `Set method to ${fits}, or "auto".` });
  }
  if (asked === 'linear' && !linear) {
    throw ctx.error({ code: 'INVALID_PARAM', path: ['method'], message: `Linear SHAP needs a linear model (linear, ridge, lasso or logistic regression, linear SVM); this model is a ${title}.`, hint: `Set method to ${fits}, or "auto".` });
  }
  if (asked !== 'auto') return asked;
  return tree ? 'tree' : linear ? 'linear' : 'kernel';
}

function parts<T>(n: number, threads: number, minPerPart: number, make: (from: number, to: number) => T): T[] {
  const k = Math.max(1, Math.min(threads, Math.floor(n / minPerPart) || 1));
  return Array.from({ length: k }, (_, i) => make(Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)));
}

function rowsOf(X: Matrix, from: number, to: number): Matrix {
  return { data: X.data.slice(from * X.cols, to * X.cols), rows: to - from, cols: X.cols };
}

/** Rows to explain: all, or a seeded sample of maxRows of them (in table order). */
async function readRows(ctx: RunContext, model: ModelValue, table: TableRef, o: ExplainOptions, notes: string[]): Promise<{ raw: Frame; rowIds: number[]; total: number }> {
  const have = requireInputColumns(model, table);
  const wanted = model.inputColumns.map((c) => c.name);
  if (model.target && have.has(model.target) && !wanted.includes(model.target)) wanted.push(model.target);
  const { frame, rowIds } = await loadRawFrame(table, wanted);
  const total = frame.rows;
  if (total <= o.maxRows) return { raw: frame, rowIds: Array.from(rowIds), total };
  const pick = Array.from(new Rng(deriveSeed(o.seed, 'explain-rows')).permutation(total).slice(0, o.maxRows)).sort((a, b) => a - b);
  const msg = `Explained a seeded sample of ${o.maxRows.toLocaleString('en')} of ${total.toLocaleString('en')} rows (rows cap ${o.maxRows.toLocaleString('en')}, seed ${o.seed}); raise "rows cap" to explain more.`;
  ctx.log(msg);
  notes.push(msg);
  return { raw: selectRows(frame, pick), rowIds: pick.map((i) => rowIds[i]), total };
}

/**
 * The background rows as the learner sees them, and what they are: the background table; else
 * the training rows the model keeps (ModelValue.sample, up to 64, evenly spaced); else the
 * explained rows.
 */
async function backgroundMatrix(model: ModelValue, table: TableRef | undefined, X: Matrix, o: ExplainOptions): Promise<{ B: Matrix; what: string }> {
  if (!table) {
    const sample = model.sample;
    if (sample && sample.rows > 0) return { B: frameToMatrix(applyRecipe(model.recipe, sample), model.features), what: `the ${sample.rows} training rows the model keeps` };
    return { B: X, what: 'the explained rows' };
  }
  requireInputColumns(model, table);
  const { frame } = await loadRawFrame(table, model.inputColumns.map((c) => c.name));
  // Means and k-means need no more than this many rows.
  const capped = frame.rows > 20_000 ? selectRows(frame, Array.from(new Rng(deriveSeed(o.seed, 'background')).permutation(frame.rows).slice(0, 20_000)).sort((a, b) => a - b)) : frame;
  return { B: frameToMatrix(applyRecipe(model.recipe, capped), model.features), what: `the ${capped.rows} background rows` };
}

export async function explainModel(ctx: RunContext, model: ModelValue, table: TableRef, backgroundTable: TableRef | undefined, o: ExplainOptions): Promise<ExplainReport> {
  const kind = model.estimator.kind;
  const method = resolveMethod(ctx, kind, o.method);
  const info = outputInfo(model);
  const selected = selectOutputs(ctx, info.labels, o.className, model.task);
  const notes: string[] = [];
  const { raw, rowIds, total } = await readRows(ctx, model, table, o, notes);
  if (raw.rows === 0) throw ctx.error({ code: 'NO_ROWS', message: 'There are no rows to explain.', hint: 'Connect rows, e.g. the test side of a split.' });

  const terms = rawTerms(model.recipe, model.features);
  const keep = stepsToKeep(terms);
  const after = new Map<number, Frame>();
  const frame = applyRecipe(model.recipe, raw, (i, f) => keep.has(i) && after.set(i, f));
  const X = frameToMatrix(frame, model.features);
  const engineered = featureTerms(model.features);
  ctx.progress(0.05, `explaining ${X.rows} rows × ${X.cols} features (${method})`);

  const attributions = await attributionsInWorkers(ctx, model, method, X, rowIds, method === 'kernel' || method === 'lime' ? (o.view === 'raw' ? terms : engineered) : engineered, backgroundTable, o, notes);
  const permutation = permutationInWorkers(ctx, model, raw, o, notes);
  const pdp = pdpInWorker(ctx, model, raw, o, selected, attributions, terms, notes);
  const [perm, curves] = await Promise.all([permutation, pdp]);

  const shown = termValues(terms, raw, after, frame);
  const featureShown = termValues(engineered, raw, after, frame);
  return buildReport({
    model, method, info, selected, rowIds, total, notes, terms, engineered, view: o.view,
    rawValues: shown, featureValues: featureShown, attributions, permutation: perm, pdp: curves, options: o,
  });
}

/** Output indices to report: a named class, or all (multiclass, clusters) / the one (binary, regression). */
function selectOutputs(ctx: RunContext, labels: string[], className: string, task: ModelValue['task']): number[] {
  if (!className) return labels.map((_, i) => i);
  const i = labels.indexOf(className);
  if (i >= 0) return [i];
  const what = task === 'binary' ? `The attributions of a yes/no model are of its positive class, "${labels[0]}"` : `The classes are ${labels.map((l) => `"${l}"`).join(', ')}`;
  throw ctx.error({ code: 'INVALID_PARAM', path: ['class'], message: `There is no class "${className}" to explain. ${what}.`, hint: 'Pick one of them, or leave "class" empty for all.' });
}

export interface Attributions {
  method: AttributionMethod;
  /** The terms phi is over: features (tree, linear) or the players of kernel / lime. */
  over: Term[];
  result: AttributionResult;
  outputs: number;
}

async function attributionsInWorkers(ctx: RunContext, model: ModelValue, method: AttributionMethod, X: Matrix, rowIds: number[], players: Term[], backgroundTable: TableRef | undefined, o: ExplainOptions, notes: string[]): Promise<Attributions> {
  const outputs = outputInfo(model).labels.length;
  const common = { method, kind: model.estimator.kind, task: model.task, state: model.estimator.state, outputs };
  let extra: Partial<AttributionJob> = {};
  if (method === 'linear') {
    const { B, what } = await backgroundMatrix(model, backgroundTable, X, o);
    extra = { mean: columnMeans(B) };
    notes.push(`Linear SHAP: E[x] is the mean of ${what}.`);
  } else if (method === 'kernel' || method === 'lime') {
    const { B, what } = await backgroundMatrix(model, backgroundTable, X, o);
    const { background, note } = summariseBackground(B, o.backgroundSize, o.backgroundSummary, deriveSeed(o.seed, 'background'));
    notes.push(`${method === 'kernel' ? 'KernelSHAP' : 'LIME'} ${note}, from ${what}${backgroundTable ? '' : ' (connect background rows, e.g. the training side, to compare against more of them)'}.`);
    extra = { background, groups: players.map((t) => t.features), samples: o.samples, seed: deriveSeed(o.seed, method) };
  }
  const minRows = method === 'tree' ? 64 : method === 'linear' ? 100_000 : 1;
  const pieces = await Promise.all(parts(X.rows, FIT_THREADS, minRows, (from, to) => {
    const job: AttributionJob = { ...common, ...extra, X: rowsOf(X, from, to), rowIds: rowIds.slice(from, to) } as AttributionJob;
    return ctx.runInWorker(explainRowsTask, job);
  }));
  const join = (arrays: Float64Array[]) => {
    const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
    arrays.reduce((at, a) => (out.set(a, at), at + a.length), 0);
    return out;
  };
  const result: AttributionResult = {
    phi: join(pieces.map((p) => p.phi)),
    base: join(pieces.map((p) => p.base)),
    r2: method === 'lime' ? join(pieces.map((p) => p.r2!)) : undefined,
    evaluations: pieces.reduce((s, p) => s + p.evaluations, 0),
  };
  if (result.evaluations) ctx.log(`${method === 'kernel' ? 'KernelSHAP' : 'LIME'}: ${result.evaluations.toLocaleString('en')} model evaluations for ${X.rows} rows.`);
  return { method, over: method === 'kernel' || method === 'lime' ? players : featureTerms(model.features), result, outputs };
}

export interface PermutationOutcome {
  metric: string;
  baseline: number;
  rows: number;
  columns: string[];
  drops: number[][];
}

async function permutationInWorkers(ctx: RunContext, model: ModelValue, raw: Frame, o: ExplainOptions, notes: string[]): Promise<PermutationOutcome | null> {
  if (o.permutationRepeats === 0) return null;
  if (model.task !== 'binary' && model.task !== 'multiclass' && model.task !== 'regression') return null;
  const target = model.target!;
  if (!(target in raw.columns)) {
    notes.push(`Permutation importance needs the actual values: these rows have no column "${target}".`);
    return null;
  }
  const y = model.classes ? Float64Array.from(encodeTarget(raw, target, model.classes)) : (raw.columns[target] as Float64Array);
  const keep: number[] = [];
  for (let i = 0; i < raw.rows; i++) if (model.classes ? y[i] >= 0 : Number.isFinite(y[i])) keep.push(i);
  if (keep.length < 2) {
    notes.push(`Permutation importance needs rows with a known "${target}"; ${keep.length} found.`);
    return null;
  }
  const rows = keep.length === raw.rows ? raw : selectRows(raw, keep);
  const yk = keep.length === raw.rows ? y : Float64Array.from(keep, (i) => y[i]);
  const metric = resolveMetric(o.metric, model.task);
  const columns = model.inputColumns.map((c) => c.name);
  const pieces = await Promise.all(parts(columns.length, FIT_THREADS, 1, (from, to) => {
    const job: PermutationJob = { model: rawModelOf(model), raw: rows, y: yk, nClasses: model.classes?.length ?? 0, metric, columns: columns.slice(from, to), repeats: o.permutationRepeats, seed: deriveSeed(o.seed, 'permutation') };
    return ctx.runInWorker(permutationTask, job);
  }));
  if (!Number.isFinite(pieces[0].baseline)) {
    notes.push(`Permutation importance: ${metric} cannot be computed on these rows (e.g. roc_auc with one class present); pick another metric.`);
    return null;
  }
  return { metric, baseline: pieces[0].baseline, rows: rows.rows, columns, drops: pieces.flatMap((p) => p.drops) };
}

export interface PdpOutcome {
  columns: string[];
  output: string;
  scale: string;
  grids: (number | string)[][];
  curves: PdpCurves;
  iceRows: number[];
}

async function pdpInWorker(ctx: RunContext, model: ModelValue, raw: Frame, o: ExplainOptions, selected: number[], attributions: Attributions, terms: Term[], notes: string[]): Promise<PdpOutcome | null> {
  const inputs = model.inputColumns.map((c) => c.name);
  let columns = o.pdpColumns;
  for (const c of columns) {
    if (!inputs.includes(c)) {
      throw ctx.error({ code: 'COLUMN_NOT_FOUND', path: ['pdp_columns'], column: c, message: `Partial dependence: "${c}" is not a column the model reads.`, hint: `Pick from: ${inputs.join(', ')}.` });
    }
  }
  if (columns.length > 2) throw ctx.error({ code: 'INVALID_PARAM', path: ['pdp_columns'], message: `Partial dependence takes one or two columns; ${columns.length} are set.`, hint: 'Keep one column (with ICE curves) or two (a grid).' });
  if (columns.length === 0) {
    // The raw input column with the largest mean |attribution| (of the first selected output).
    const top = topInputColumn(attributions, terms, inputs, selected[0]);
    if (!top) return null;
    columns = [top];
  }
  const info = predictionInfo(model);
  const output = model.task === 'multiclass' || model.task === 'clustering' ? selected[0] : 0;
  const grids = columns.map((c) => gridOf(raw.columns[c], columns.length === 2 ? Math.min(o.gridPoints, 12) : o.gridPoints));
  if (grids.some((g) => g.length === 0)) {
    notes.push(`Partial dependence: "${columns.join('", "')}" has no values in these rows.`);
    return null;
  }
  const iceRows = columns.length === 1 && o.ice !== 'off' ? iceSample(raw.rows, 40, deriveSeed(o.seed, 'ice')) : [];
  const job: PdpJob = { model: rawModelOf(model), raw, columns, grids, output, outputs: info.labels.length, iceRows };
  const curves = await ctx.runInWorker(pdpTask, job);
  return { columns, output: info.labels[output], scale: info.scale, grids, curves, iceRows };
}

function topInputColumn(a: Attributions, terms: Term[], inputs: string[], output: number): string | null {
  const F = a.over.length;
  const rows = a.result.phi.length / (a.outputs * F);
  const score = new Map<string, number>();
  a.over.forEach((t, k) => {
    // a feature's (or a raw-view player's) raw column, when it has one
    const term = t.step === Infinity ? terms.find((r) => r.features.includes(t.features[0])) : t;
    if (!term || term.step !== -1 || !inputs.includes(term.column)) return;
    let s = 0;
    for (let r = 0; r < rows; r++) s += Math.abs(a.result.phi[(r * a.outputs + output) * F + k]);
    score.set(term.column, (score.get(term.column) ?? 0) + s);
  });
  let best: string | null = null;
  for (const [c, s] of score) if (best === null || s > score.get(best)!) best = c;
  return best;
}
