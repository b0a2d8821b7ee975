/**
 * The numbers an Explain node hands the Results panel, and the charts drawn from them. Pure
 * (no imports beyond spec types): the node builds the default charts with these functions, and
 * the studio rebuilds them when the analyst picks another row, class, column or view.
 */
import type { ChartSpec } from './values.ts';

export type ShownValue = number | string | null;
export type ViewName = 'raw' | 'engineered';

/** Attributions over one set of terms: raw columns (the default) or the learner's features. */
export interface ExplanationView {
  terms: string[];
  /** How each term's values read: numbers (coloured low → high) or categories. */
  kinds: ('number' | 'category')[];
  /** [term][row]: raw values (category names, unscaled numbers) in the raw view. */
  values: ShownValue[][];
  /** [output][term][row]. */
  attributions: number[][][];
  /** [output][row]: the base value (the same for every row, except LIME's per-row intercept). */
  base: number[][];
}

export interface PermutationDetail {
  metric: string;
  baseline: number;
  repeats: number;
  rows: number;
  columns: string[];
  mean: number[];
  std: number[];
}

export interface PdpDetail {
  columns: string[];
  /** Which class (or the target) the curve is of, and on which scale. */
  output: string;
  scale: string;
  grid: (number | string)[];
  grid2?: (number | string)[];
  /** One per grid value, or grid × grid2 row-major. */
  average: number[];
  ice?: { rows: number[]; values: number[][] };
  centred: boolean;
}

export interface ExplanationDetail {
  /** e.g. "TreeSHAP (exact, path-dependent)". */
  methodTitle: string;
  /** The scale attributions and outputs are on: log-odds, probability, value... */
  scale: string;
  scaleDescription: string;
  /** One label per explained output (the positive class, each class, the target, each cluster). */
  outputs: string[];
  /** ROW_ID of each explained row. */
  rows: number[];
  /** [output][row]: what base + Σ attributions adds up to (LIME: its surrogate's value). */
  output: number[][];
  /** Exact SHAP adds up to the model's output; LIME to its local surrogate's. */
  additive: 'model' | 'surrogate';
  views: Partial<Record<ViewName, ExplanationView>>;
  view: ViewName;
  permutation?: PermutationDetail;
  pdp?: PdpDetail;
  notes: string[];
}

// ---------------------------------------------------------------- formatting

export function formatValue(v: ShownValue): string {
  if (v === null) return 'missing';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(Number(v.toPrecision(3)))}`;

/** Mean |attribution| per term for one output, and the terms in decreasing order of it. */
export function termOrder(view: ExplanationView, output: number): { order: number[]; meanAbs: number[] } {
  const meanAbs = view.attributions[output].map((a) => (a.length ? a.reduce((s, v) => s + Math.abs(v), 0) / a.length : 0));
  const order = meanAbs.map((_, i) => i).sort((a, b) => meanAbs[b] - meanAbs[a] || a - b);
  return { order, meanAbs };
}

const outputTitle = (d: ExplanationDetail, output: number) => (d.outputs.length > 1 ? ` · ${d.outputs[output]}` : '');

// ---------------------------------------------------------------- global

/** Mean |attribution| per column, largest first; past `max`, one bar sums the rest. */
export function importanceChart(d: ExplanationDetail, view: ViewName, output: number, max = 12): ChartSpec {
  const v = d.views[view]!;
  const { order, meanAbs } = termOrder(v, output);
  const shown = order.slice(0, max);
  const categories = shown.map((t) => v.terms[t]);
  const values = shown.map((t) => meanAbs[t]);
  if (order.length > max) {
    categories.push(`${order.length - max} other columns`);
    values.push(order.slice(max).reduce((s, t) => s + meanAbs[t], 0));
  }
  return { kind: 'bar', id: 'mean_abs_shap', title: `Mean |attribution|${outputTitle(d, output)}`, categories, series: [{ name: `mean |attribution| (${d.scale})`, values }], horizontal: true, valueLabel: d.scale };
}

/** Rank of each value among the column's numbers, 0..1 (what the beeswarm colours by). */
function ranks(values: ShownValue[]): (number | null)[] {
  const nums = values.map((x, i) => [x, i] as const).filter(([x]) => typeof x === 'number') as [number, number][];
  nums.sort((a, b) => a[0] - b[0]);
  const out: (number | null)[] = values.map(() => null);
  const n = nums.length;
  for (let k = 0; k < n; ) {
    let j = k;
    while (j + 1 < n && nums[j + 1][0] === nums[k][0]) j++;
    const r = n > 1 ? (k + j) / 2 / (n - 1) : 0.5;
    for (let m = k; m <= j; m++) out[nums[m][1]] = r;
    k = j + 1;
  }
  return out;
}

/** One row of dots per column (largest mean |attribution| on top), coloured by the row's value. */
export function beeswarmChart(d: ExplanationDetail, view: ViewName, output: number, max = 10, maxPoints = 1000): ChartSpec {
  const v = d.views[view]!;
  const { order } = termOrder(v, output);
  const n = d.rows.length;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const rows = order.slice(0, max).map((t) => {
    const colour = v.kinds[t] === 'number' ? ranks(v.values[t]) : v.values[t].map(() => null);
    const points: { x: number; colour: number | null; tip: string }[] = [];
    for (let r = 0; r < n; r += step) points.push({ x: v.attributions[output][t][r], colour: colour[r], tip: `row ${d.rows[r]}: ${v.terms[t]} = ${formatValue(v.values[t][r])} → ${signed(v.attributions[output][t][r])}` });
    return { label: v.terms[t], points };
  });
  return { kind: 'beeswarm', id: 'beeswarm', title: `Attribution per row${outputTitle(d, output)}`, xLabel: `attribution (${d.scale})`, rows };
}

/** Permutation importance with ± one standard deviation across repeats. */
export function permutationChart(d: ExplanationDetail, max = 12): ChartSpec | null {
  const p = d.permutation;
  if (!p) return null;
  const order = p.mean.map((_, i) => i).sort((a, b) => p.mean[b] - p.mean[a] || a - b).slice(0, max);
  return {
    kind: 'bar',
    id: 'permutation_importance',
    title: `Permutation importance (drop in ${p.metric}, ${p.repeats} repeats)`,
    categories: order.map((i) => p.columns[i]),
    series: [{ name: `drop in ${p.metric}`, values: order.map((i) => p.mean[i]), errors: order.map((i) => p.std[i]) }],
    horizontal: true,
    valueLabel: `drop in ${p.metric}`,
  };
}

// ---------------------------------------------------------------- local

/** base + contributions = output for one row, largest contributions first, the rest summed. */
export function waterfallChart(d: ExplanationDetail, view: ViewName, output: number, row: number, max = 10): ChartSpec {
  const v = d.views[view]!;
  const a = v.attributions[output];
  const order = v.terms.map((_, t) => t).sort((x, y) => Math.abs(a[y][row]) - Math.abs(a[x][row]) || x - y);
  const steps = order.slice(0, max).map((t) => ({ label: `${v.terms[t]} = ${formatValue(v.values[t][row])}`, value: a[t][row] }));
  if (order.length > max) steps.push({ label: `${order.length - max} other columns`, value: order.slice(max).reduce((s, t) => s + a[t][row], 0) });
  return {
    kind: 'waterfall',
    id: 'waterfall',
    title: `Why row ${d.rows[row]}${outputTitle(d, output)}`,
    scale: d.scale,
    base: v.base[output][row],
    output: d.output[output][row],
    steps,
    note: d.additive === 'surrogate' ? 'LIME: the bars add up to its local linear surrogate at this row, not exactly to the model.' : undefined,
  };
}

/** Dependence plot: the column's raw value against its attribution, one dot per row. */
export function dependenceChart(d: ExplanationDetail, view: ViewName, output: number, term: number): ChartSpec {
  const v = d.views[view]!;
  const values = v.values[term];
  const a = v.attributions[output][term];
  const name = v.terms[term];
  const tip = (r: number) => `row ${d.rows[r]}: ${name} = ${formatValue(values[r])} → ${signed(a[r])}`;
  if (v.kinds[term] === 'category') {
    const categories = [...new Set(values.map(formatValue))].sort();
    const at = new Map(categories.map((c, i) => [c, i]));
    // a small deterministic jitter so dots of one category do not sit on each other
    const points = values.map((x, r) => ({ x: at.get(formatValue(x))! + (((r * 0.618034) % 1) - 0.5) * 0.5, y: a[r], tip: tip(r) }));
    return { kind: 'scatter', id: 'dependence', title: `Dependence: ${name}${outputTitle(d, output)}`, x: { label: name, categories }, y: { label: `attribution (${d.scale})` }, points };
  }
  const points = values.flatMap((x, r) => (typeof x === 'number' ? [{ x, y: a[r], tip: tip(r) }] : []));
  return { kind: 'scatter', id: 'dependence', title: `Dependence: ${name}${outputTitle(d, output)}`, x: { label: name }, y: { label: `attribution (${d.scale})` }, points };
}

/** PDP (bold) with ICE curves (faint), or a grid of averages for two columns. */
export function pdpChart(d: ExplanationDetail): ChartSpec | null {
  const p = d.pdp;
  if (!p) return null;
  const label = p.grid.map((g) => formatValue(g));
  if (p.grid2) {
    const cols = p.grid2.map((g) => formatValue(g));
    const values = p.grid.map((_, i) => p.grid2!.map((_, j) => Number(p.average[i * p.grid2!.length + j].toPrecision(4))));
    return { kind: 'heatmap', id: 'pdp', title: `Partial dependence: ${p.columns.join(' × ')} (${p.output}, ${p.scale})`, rows: label, cols, values, rowLabel: p.columns[0], colLabel: p.columns[1] };
  }
  const categorical = p.grid.some((g) => typeof g === 'string');
  const xs = p.grid.map((g, i) => (categorical ? i : (g as number)));
  const centre = (ys: number[]) => (p.centred ? ys.map((y) => y - ys[0]) : ys);
  const series: Extract<ChartSpec, { kind: 'line' }>['series'] = (p.ice?.values ?? []).map((ys, k) => ({ name: `row ${p.ice!.rows[k]}`, points: xs.map((x, i): [number, number] => [x, centre(ys)[i]]), faint: true }));
  series.push({ name: p.centred ? 'average (centred)' : 'average', points: xs.map((x, i): [number, number] => [x, centre(p.average)[i]]) });
  return {
    kind: 'line',
    id: 'pdp',
    title: `${p.ice ? (p.centred ? 'Centred ICE' : 'ICE') + ' and partial dependence' : 'Partial dependence'}: ${p.columns[0]}`,
    x: { label: p.columns[0], ...(categorical ? { categories: label } : {}) },
    y: { label: `${p.centred ? 'change in ' : ''}${p.scale} of ${p.output}` },
    series,
  };
}

/** The charts a static report shows: global bars, beeswarm, permutation, the first row's waterfall, the top column's dependence, PDP/ICE. */
export function defaultCharts(d: ExplanationDetail, output = 0): ChartSpec[] {
  const view = d.view;
  const v = d.views[view];
  if (!v || d.rows.length === 0) return [permutationChart(d), pdpChart(d)].filter((c): c is ChartSpec => c !== null);
  const top = termOrder(v, output).order[0];
  return [
    importanceChart(d, view, output),
    beeswarmChart(d, view, output),
    permutationChart(d),
    waterfallChart(d, view, output, 0),
    dependenceChart(d, view, output, top),
    pdpChart(d),
  ].filter((c): c is ChartSpec => c !== null);
}

// ---------------------------------------------------------------- summary (CLI --json)

export interface ExplanationSummary {
  method: string;
  scale: string;
  /** The output the ranking is of (the positive class, the first class, the target). */
  output: string;
  rows: number;
  /** Columns by mean |attribution|, largest first (at most 10). */
  top: { column: string; mean_abs: number }[];
  permutation?: { metric: string; top: { column: string; mean: number; std: number }[] };
}

export function explanationSummary(d: ExplanationDetail, max = 10): ExplanationSummary {
  const v = d.views[d.view];
  const round = (x: number) => Number(x.toPrecision(6));
  const top = v ? (({ order, meanAbs }) => order.slice(0, max).map((t) => ({ column: v.terms[t], mean_abs: round(meanAbs[t]) })))(termOrder(v, 0)) : [];
  const p = d.permutation;
  return {
    method: d.methodTitle,
    scale: d.scale,
    output: d.outputs[0] ?? '',
    rows: d.rows.length,
    top,
    ...(p
      ? { permutation: { metric: p.metric, top: p.mean.map((_, i) => i).sort((a, b) => p.mean[b] - p.mean[a] || a - b).slice(0, max).map((i) => ({ column: p.columns[i], mean: round(p.mean[i]), std: round(p.std[i]) })) } }
      : {}),
  };
}
