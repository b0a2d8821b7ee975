/**
 * From the computed numbers to the Explain node's outputs: the attribution table (one row per
 * explained row × column [× class]), and the explanation value (detail for the studio's panel,
 * default charts for static reports, a top-columns table and notes).
 */
import type { JsColumn } from '../../data/columns.ts';
import { defaultCharts, termOrder, type ExplanationDetail, type ExplanationView, type ShownValue, type ViewName } from '../../spec/explanation.ts';
import type { ExplanationValue, ModelValue, ResultTable } from '../../spec/values.ts';
import type { Attributions, ExplainOptions, PdpOutcome, PermutationOutcome } from './explain.ts';
import type { OutputInfo } from './model-output.ts';
import { meanStd } from './permutation.ts';
import { sumIntoTerms, type Term } from './terms.ts';
import type { AttributionMethod } from './worker-tasks.ts';

export interface ReportInput {
  model: ModelValue;
  method: AttributionMethod;
  info: OutputInfo;
  selected: number[];
  rowIds: number[];
  total: number;
  notes: string[];
  terms: Term[];
  engineered: Term[];
  view: ViewName;
  rawValues: { values: ShownValue[][]; kinds: ('number' | 'category')[] };
  featureValues: { values: ShownValue[][]; kinds: ('number' | 'category')[] };
  attributions: Attributions;
  permutation: PermutationOutcome | null;
  pdp: PdpOutcome | null;
  options: ExplainOptions;
}

export interface ExplainReport {
  table: JsColumn[];
  explanation: ExplanationValue;
}

const METHOD_TITLES: Record<AttributionMethod, string> = {
  tree: 'TreeSHAP (exact, path-dependent)',
  linear: 'Linear SHAP (exact, independent features)',
  kernel: 'KernelSHAP (model-agnostic, against a background)',
  lime: 'LIME (local linear surrogate)',
};

/** [output][term][row] of the selected outputs from rows × outputs × T. */
function byTerm(phi: Float64Array, rows: number, outputs: number, T: number, selected: number[]): number[][][] {
  return selected.map((o) => Array.from({ length: T }, (_, t) => Array.from({ length: rows }, (_, r) => phi[(r * outputs + o) * T + t])));
}

function view(terms: Term[], shown: ReportInput['rawValues'], phi: Float64Array, base: Float64Array, rows: number, outputs: number, selected: number[]): ExplanationView {
  return {
    terms: terms.map((t) => t.name),
    kinds: shown.kinds,
    values: shown.values,
    attributions: byTerm(phi, rows, outputs, terms.length, selected),
    base: selected.map((o) => Array.from({ length: rows }, (_, r) => base[r * outputs + o])),
  };
}

export function buildReport(a: ReportInput): ExplainReport {
  const { result, outputs, method } = a.attributions;
  const rows = a.rowIds.length;
  const views: ExplanationDetail['views'] = {};
  if (method === 'tree' || method === 'linear') {
    const F = a.engineered.length;
    views.raw = view(a.terms, a.rawValues, sumIntoTerms(result.phi, rows, outputs, F, a.terms), result.base, rows, outputs, a.selected);
    views.engineered = view(a.engineered, a.featureValues, result.phi, result.base, rows, outputs, a.selected);
  } else {
    views[a.view] = view(a.view === 'raw' ? a.terms : a.engineered, a.view === 'raw' ? a.rawValues : a.featureValues, result.phi, result.base, rows, outputs, a.selected);
    a.notes.push(`${method === 'kernel' ? 'KernelSHAP' : 'LIME'} moved each ${a.view === 'raw' ? 'raw column (with every feature made from it)' : 'feature'} as one player; set view to "${a.view === 'raw' ? 'engineered' : 'raw'}" on the node for the other view.`);
  }
  const shownView = views[a.view]!;
  const output = shownView.attributions.map((perTerm, k) => Array.from({ length: rows }, (_, r) => perTerm.reduce((s, t) => s + t[r], shownView.base[k][r])));
  if (method === 'lime' && result.r2) {
    const r2 = Array.from(result.r2).sort((x, y) => x - y);
    a.notes.push(`LIME: the surrogate's weighted R² has median ${r2[Math.floor(r2.length / 2)].toFixed(3)} over the explained rows (1 = it follows the model exactly near the row).`);
  }
  a.notes.unshift(`Attributions and base values are on the ${a.info.scale} scale: ${a.info.description}.${a.model.estimator.kind === 'hist_gradient_boosting' && a.model.task !== 'regression' ? ' Boosting is explained on its raw margin, where its trees add up; the probability is the sigmoid/softmax of it.' : ''}`);
  if (a.model.task === 'anomaly') a.notes.push('Isolation forest is explained on its mean path length: a negative attribution shortens the path, making the row more anomalous.');

  let permutation: ExplanationDetail['permutation'];
  if (a.permutation) {
    const stats = a.permutation.drops.map(meanStd);
    permutation = { metric: a.permutation.metric, baseline: a.permutation.baseline, repeats: a.options.permutationRepeats, rows: a.permutation.rows, columns: a.permutation.columns, mean: stats.map((s) => s.mean), std: stats.map((s) => s.std) };
  }
  let pdp: ExplanationDetail['pdp'];
  if (a.pdp) {
    const p = a.pdp;
    pdp = {
      columns: p.columns,
      output: p.output,
      scale: p.scale,
      grid: p.grids[0],
      grid2: p.grids[1],
      average: p.curves.average,
      ice: p.iceRows.length ? { rows: p.iceRows.map((i) => a.rowIds[i]), values: p.curves.ice } : undefined,
      centred: a.options.ice === 'centred',
    };
  }
  const detail: ExplanationDetail = {
    methodTitle: METHOD_TITLES[method],
    scale: a.info.scale,
    scaleDescription: a.info.description,
    outputs: a.selected.map((o) => a.info.labels[o]),
    rows: a.rowIds,
    output,
    additive: method === 'lime' ? 'surrogate' : 'model',
    views,
    view: a.view,
    permutation,
    pdp,
    notes: a.notes,
  };
  const tables: ResultTable[] = [topColumnsTable(detail)];
  tables.push({ id: 'notes', title: 'Notes', columns: ['note'], rows: a.notes.map((n) => [n]) });
  return {
    table: attributionTable(detail, a.info.labels.length > 1),
    explanation: { kind: 'explanation', method: METHOD_TITLES[method], charts: defaultCharts(detail), tables, detail },
  };
}

const round = (v: number) => Number(v.toPrecision(6));

function topColumnsTable(d: ExplanationDetail): ResultTable {
  const v = d.views[d.view]!;
  const { order, meanAbs } = termOrder(v, 0);
  const perm = d.permutation;
  const at = perm ? new Map(perm.columns.map((c, i) => [c, i])) : null;
  return {
    id: 'top_columns',
    title: `Columns by mean |attribution|${d.outputs.length > 1 ? ` (${d.outputs[0]})` : ''}`,
    columns: ['column', `mean |attribution| (${d.scale})`, ...(perm ? [`permutation: drop in ${perm.metric}`, '± std'] : [])],
    rows: order.map((t) => {
      const i = at?.get(v.terms[t]);
      return [v.terms[t], round(meanAbs[t]), ...(perm ? [i === undefined ? null : round(perm.mean[i]), i === undefined ? null : round(perm.std[i])] : [])];
    }),
  };
}

/** Long format: row, [class], column, raw_value, attribution, base_value. */
function attributionTable(d: ExplanationDetail, withClass: boolean): JsColumn[] {
  const v = d.views[d.view]!;
  const row: number[] = [];
  const cls: string[] = [];
  const column: string[] = [];
  const rawValue: (string | null)[] = [];
  const attribution: number[] = [];
  const base: number[] = [];
  d.rows.forEach((id, r) => {
    d.outputs.forEach((label, o) => {
      v.terms.forEach((name, t) => {
        row.push(id);
        cls.push(label);
        column.push(name);
        const x = v.values[t][r];
        rawValue.push(x === null ? null : String(x));
        attribution.push(v.attributions[o][t][r]);
        base.push(v.base[o][r]);
      });
    });
  });
  return [
    { name: 'row', data: Float64Array.from(row), type: 'integer' },
    ...(withClass ? [{ name: 'class', data: cls }] : []),
    { name: 'column', data: column },
    { name: 'raw_value', data: rawValue },
    { name: 'attribution', data: Float64Array.from(attribution) },
    { name: 'base_value', data: Float64Array.from(base) },
  ];
}
