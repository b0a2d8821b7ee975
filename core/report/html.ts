/**
 * The HTML shell of a static report and the pieces its sections are made of: escaping, a section,
 * a table, a list of figures. Plain strings (no DOM), so a report can be written by the CLI, a node
 * or a worker. Kept apart from the run report itself so another static document (a model card, a
 * drift report) can reuse the same shell and look.
 */
import { CHART_CSS } from '../../charts/chart-styles.ts';
import { REPORT_CSS } from './report-css.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text (or an attribute value) made safe to put in HTML. */
export function esc(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A number as a report shows it: integers whole, others to 4 significant digits. */
export function fmtNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en');
  if (Math.abs(v) < 1e-3) return Number(v.toPrecision(4)).toExponential(); // 1e-6, 1.388e-17
  return Math.abs(v) >= 1e5 ? v.toPrecision(4) : String(Number(v.toPrecision(4)));
}

/** A cell of a table: numbers formatted, everything else escaped. */
export function cell(v: unknown): string {
  if (typeof v === 'number') return fmtNumber(v);
  if (v === null || v === undefined) return '<span class="muted">–</span>';
  if (typeof v === 'object') return `<code>${esc(JSON.stringify(v))}</code>`;
  return esc(v);
}

/** Milliseconds in words: 850 ms, 12.3 s, 4 min 05 s. */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A section with a heading; `id` is the anchor the table of contents links to. */
export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}" class="report-section"><h2>${esc(title)}</h2>${body}</section>`;
}

/** A table; at most `limit` rows are shown, and the caption says how many were left out. */
export function dataTable(columns: string[], rows: unknown[][], options: { caption?: string; limit?: number; className?: string } = {}): string {
  const limit = options.limit ?? rows.length;
  const shown = rows.slice(0, limit);
  const left = rows.length - shown.length;
  const caption = options.caption || left > 0 ? `<caption>${esc(options.caption ?? '')}${left > 0 ? ` <span class="muted">(first ${limit} of ${rows.length} rows)</span>` : ''}</caption>` : '';
  const head = `<thead><tr>${columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${shown.map((r) => `<tr>${r.map((v) => `<td${typeof v === 'number' ? ' class="num"' : ''}>${cell(v)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  return `<div class="table-wrap"><table class="${esc(options.className ?? 'data')}">${caption}${head}${body}</table></div>`;
}

/** Named figures as tiles: accuracy 0.9762 (± 0.01). */
export function figures(values: Record<string, number>, std?: Record<string, number>): string {
  const tiles = Object.entries(values).map(
    ([k, v]) => `<div class="figure"><div class="figure__name">${esc(k)}</div><div class="figure__value">${fmtNumber(v)}${std?.[k] !== undefined ? `<span class="figure__std"> ± ${fmtNumber(std[k])}</span>` : ''}</div></div>`,
  );
  return tiles.length ? `<div class="figures">${tiles.join('')}</div>` : '';
}

/** Label: value pairs. */
export function facts(pairs: [string, string | undefined][]): string {
  const rows = pairs.filter(([, v]) => v !== undefined && v !== '');
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/**
 * A whole page: inline CSS only (the studio's chart CSS, the report's own, a print stylesheet), no
 * script, no external URL of any kind, so it opens offline and the same everywhere. The
 * Content-Security-Policy says so to the browser too: nothing may be fetched.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${CHART_CSS}${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
