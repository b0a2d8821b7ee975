/**
 * One run as one self-contained HTML file (docs/reports.md): summary, pipeline diagram, a profile
 * of each source, every evaluation's figures and charts, cross-validation and tuning, explanations,
 * export verification, params, data fingerprints. Each section appears only when its data exists.
 * Charts are the studio's own components (charts/) rendered to static SVG, so a report and the
 * window draw the same chart from the same spec.
 */
import { createElement } from 'react';
import { Chart } from '../../charts/Chart.tsx';
import type { VerificationReport } from '../spec/export-report.ts';
import type { RecordedDataFile } from '../spec/run-log.ts';
import type { ChartSpec, ExplanationValue, MetricsValue, ResultTable } from '../spec/values.ts';
import { diagramSvg, type Diagram } from './diagram.ts';
import { dataTable, esc, facts, figures, fmtDuration, fmtNumber, page, section } from './html.ts';

export interface ReportInput {
  title: string;
  description?: string;
  flowlineVersion: string;
  /** ISO time the report was written. */
  generatedAt: string;
  run?: {
    id?: string;
    status: string;
    startedAt?: string;
    durationMs: number;
    set?: string[];
    nodes: { id: string; type: string; status: string; durationMs: number; error?: string }[];
  };
  /** sha256 of what the run computed (core/host/runs), equal for equal pipelines. */
  pipelineHash?: string;
  seed?: number;
  diagram?: Diagram;
  /** A profile per source table (Profile Table's figures, table and histograms). */
  sources: { nodeId: string; label: string; profile: MetricsValue }[];
  /** Evaluate, Cross-validate, Tune, Compare... in pipeline order; cv and tuning get their own section. */
  results: { nodeId: string; label: string; value: MetricsValue }[];
  explanations: { nodeId: string; label: string; value: ExplanationValue }[];
  exports: { nodeId: string; label: string; path: string; format: string; verification?: VerificationReport }[];
  params: { nodeId: string; type: string; params: Record<string, unknown> }[];
  data: RecordedDataFile[];
}

/** Rows of a result table shown at most (worst rows, per-class tables stay short). */
const TABLE_ROWS = 30;

type ChartRenderer = (spec: ChartSpec) => string;
let server: typeof import('react-dom/server') | undefined;

/**
 * The studio's Chart component as static SVG markup. React's server renderer is loaded on first
 * use: the CLI bundles this module, and a run without a report should not load it.
 */
export async function chartRenderer(): Promise<ChartRenderer> {
  server ??= await import('react-dom/server');
  const render = server.renderToStaticMarkup;
  return (spec) => render(createElement(Chart, { spec }));
}

function charts(chart: ChartRenderer, specs: ChartSpec[]): string {
  return specs.length ? `<div class="chart-grid">${specs.map(chart).join('')}</div>` : '';
}

function tables(list: ResultTable[]): string {
  return list.map((t) => dataTable(t.columns, t.rows, { caption: t.title, limit: TABLE_ROWS })).join('');
}

function metricsBlock(chart: ChartRenderer, label: string, v: MetricsValue): string {
  const scope = v.scope ? ` <span class="muted">(${esc(v.scope)}${v.task ? `, ${esc(v.task)}` : ''})</span>` : '';
  return `<h3>${esc(label)}${scope}</h3>${figures(v.values, v.std)}${charts(chart, v.charts)}${tables(v.tables)}`;
}

function verificationBlock(v: VerificationReport): string {
  return facts([
    ['result', v.passed ? '<span class="pass">passed</span>' : `<span class="fail">failed</span>${v.failure ? ` — ${esc(v.failure)}` : ''}`],
    ['target', esc(v.target === 'exact' ? 'exact (opset 21, ai.onnx.ml 5)' : 'default (opset 17, ai.onnx.ml 3)')],
    ['rows compared', `${fmtNumber(v.rows)} (${fmtNumber(v.heldOutRows)} held out, ${fmtNumber(v.missingRows)} with missing values, ${fmtNumber(v.unseenRows)} with unseen categories)`],
    ['rows from', esc(v.rowSource)],
    ['labels agree', v.labelsAgree === undefined ? undefined : `${fmtNumber(v.labelsAgree)} of ${fmtNumber(v.rows)}`],
    ['largest difference', `${fmtNumber(v.maxAbsDiff)} absolute, ${fmtNumber(v.maxRelDiff)} relative (tolerance ${fmtNumber(v.tolerance)})`],
    ['bit-identical', v.bitIdentical ? 'yes' : `no${v.whyNotIdentical ? ` — ${esc(v.whyNotIdentical)}` : ''}`],
  ]);
}

export async function renderRunReport(input: ReportInput): Promise<string> {
  const chart = await chartRenderer();
  const body: { id: string; title: string; html: string }[] = [];
  const add = (id: string, title: string, html: string) => html && body.push({ id, title, html });

  const run = input.run;
  add(
    'summary',
    'Summary',
    facts([
      ['status', run ? `<span class="status status--${esc(run.status)}">${esc(run.status)}</span>` : undefined],
      ['duration', run ? esc(fmtDuration(run.durationMs)) : undefined],
      ['started', run?.startedAt ? esc(run.startedAt) : undefined],
      ['run id', run?.id ? `<code>${esc(run.id)}</code>` : undefined],
      ['pipeline hash', input.pipelineHash ? `<code>${esc(input.pipelineHash)}</code>` : undefined],
      ['seed', input.seed === undefined ? undefined : esc(input.seed)],
      ['--set', run?.set?.length ? run.set.map((s) => `<code>${esc(s)}</code>`).join(' ') : undefined],
      ['Flowline', esc(input.flowlineVersion)],
      ['report written', esc(input.generatedAt)],
    ]) + (run?.nodes.some((n) => n.error) ? dataTable(['node', 'error'], run.nodes.filter((n) => n.error).map((n) => [n.id, n.error])) : ''),
  );
  if (input.diagram?.nodes.length) add('pipeline', 'Pipeline', diagramSvg(input.diagram));
  add('data', 'Data', input.sources.map((s) => metricsBlock(chart, s.label, s.profile)).join(''));
  const isSearch = (v: MetricsValue) => v.scope === 'cv' || v.scope === 'tuning';
  add('evaluation', 'Evaluation', input.results.filter((r) => !isSearch(r.value)).map((r) => metricsBlock(chart, r.label, r.value)).join(''));
  add('validation', 'Cross-validation and tuning', input.results.filter((r) => isSearch(r.value)).map((r) => metricsBlock(chart, r.label, r.value)).join(''));
  add('explanations', 'Explanations', input.explanations.map((e) => `<h3>${esc(e.label)} <span class="muted">(${esc(e.value.method)})</span></h3>${charts(chart, e.value.charts)}${tables(e.value.tables)}`).join(''));
  add(
    'export',
    'Export',
    input.exports.map((x) => `<h3>${esc(x.label)} <span class="muted">(${esc(x.format)})</span></h3>${facts([['file', `<code>${esc(x.path)}</code>`]])}${x.verification ? verificationBlock(x.verification) : ''}`).join(''),
  );
  if (run?.nodes.length) add('nodes', 'Nodes run', dataTable(['node', 'type', 'status', 'time'], run.nodes.map((n) => [n.id, n.type, n.status, fmtDuration(n.durationMs)])));
  add('params', 'Parameters', input.params.length ? dataTable(['node', 'type', 'params'], input.params.map((p) => [p.nodeId, p.type, p.params])) : '');
  add('fingerprints', 'Data fingerprints', input.data.length ? dataTable(['file', 'sha256', 'bytes', 'read by'], input.data.map((d) => [d.path, d.hash, d.size, d.nodes.join(', ')])) : '');

  const toc = `<nav class="toc">${body.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('')}</nav>`;
  const head = `<header class="report-head"><h1>${esc(input.title)}</h1>${input.description ? `<p class="muted">${esc(input.description)}</p>` : ''}</header>`;
  const footer = `<footer>Written by Flowline ${esc(input.flowlineVersion)} on ${esc(input.generatedAt)}.</footer>`;
  return page(input.title, `<main>${head}${toc}${body.map((s) => section(s.id, s.title, s.html)).join('')}</main>${footer}`);
}
