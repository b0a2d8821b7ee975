/**
 * The report's page CSS. The variables are the studio's light theme (renderer/src/styles.css), so
 * the chart CSS (charts/chart-styles.ts) draws the same colours here as in the window. The print
 * rules keep a section's heading with its content and a chart or table in one piece.
 */
export const REPORT_CSS = `
:root {
  --s1: 4px; --s2: 8px; --s3: 12px; --s4: 16px; --s5: 24px; --s6: 32px;
  --t-xs: 11px; --t-sm: 12px; --t-md: 13px; --t-lg: 15px; --t-xl: 20px;
  --radius: 6px;
  --font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  --mono: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace;
  --bg: #f5f6f8; --panel: #ffffff; --panel-2: #f0f2f5; --border: #dde1e6; --text: #1d2330; --muted: #667085;
  --accent: #2f6fd0; --danger: #c7362f; --warn: #a86200; --ok: #2e8540; --note: #fff4b8;
}
* { box-sizing: border-box; }
body { font-family: var(--font); font-size: var(--t-md); color: var(--text); background: var(--bg); margin: 0; line-height: 1.45; }
main { max-width: 1160px; margin: 0 auto; padding: var(--s5); }
header.report-head { margin-bottom: var(--s4); }
h1 { font-size: 24px; margin: 0 0 var(--s2); }
h2 { font-size: var(--t-xl); margin: 0 0 var(--s3); }
h3 { font-size: var(--t-lg); margin: var(--s4) 0 var(--s2); }
code { font-family: var(--mono); font-size: var(--t-sm); word-break: break-all; }
.muted { color: var(--muted); }
.report-section { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: var(--s4) var(--s5); margin-bottom: var(--s4); }
nav.toc { margin: var(--s2) 0 var(--s4); font-size: var(--t-sm); }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: var(--s3); }
.status { display: inline-block; padding: 0 var(--s2); border-radius: 10px; font-size: var(--t-sm); font-weight: 600; color: #fff; background: var(--muted); }
.status--done { background: var(--ok); } .status--error { background: var(--danger); } .status--cancelled { background: var(--warn); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: var(--s1) var(--s4); margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.figures { display: flex; flex-wrap: wrap; gap: var(--s2); margin: var(--s2) 0; }
.figure { border: 1px solid var(--border); border-radius: var(--radius); padding: var(--s2) var(--s3); min-width: 120px; background: var(--panel-2); }
.figure__name { font-size: var(--t-xs); color: var(--muted); }
.figure__value { font-size: var(--t-lg); font-weight: 600; font-variant-numeric: tabular-nums; }
.figure__std { font-size: var(--t-sm); font-weight: 400; color: var(--muted); }
.chart-grid { display: flex; flex-wrap: wrap; gap: var(--s3); margin-top: var(--s2); }
.table-wrap { overflow-x: auto; margin: var(--s2) 0; }
table { border-collapse: collapse; font-size: var(--t-sm); }
caption { text-align: left; font-weight: 600; padding-bottom: var(--s1); }
th, td { border-bottom: 1px solid var(--border); padding: 3px var(--s2); text-align: left; vertical-align: top; }
th { background: var(--panel-2); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: var(--ok); font-weight: 600; } .fail { color: var(--danger); font-weight: 600; }
.diagram { width: 100%; height: auto; max-height: 640px; display: block; }
.diagram__edge { fill: none; stroke: #98a2b3; stroke-width: 1.5; }
.diagram__node rect { fill: var(--panel); stroke: var(--border); stroke-width: 1.5; }
.diagram__node rect.diagram__stripe { stroke: none; }
.diagram__node--error rect { stroke: var(--danger); stroke-width: 2.5; }
.diagram__title { font-size: 13px; font-weight: 600; fill: var(--text); }
.diagram__sub { font-size: 11px; fill: var(--muted); }
.diagram__note rect { fill: var(--note); stroke: #e2d27a; }
.diagram__note text { font-size: 11px; fill: #4a4526; }
footer { color: var(--muted); font-size: var(--t-xs); text-align: center; padding: var(--s4); }
@media print {
  @page { margin: 14mm; }
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  .report-section { border: none; padding: 0; margin: 0 0 6mm; break-inside: auto; }
  h2, h3 { break-after: avoid; }
  .chart-card, .figure, tr, .diagram { break-inside: avoid; }
  /* Wide tables (a profile, worst rows of 30 features) wrap to the page instead of running off it. */
  .table-wrap { overflow: visible; }
  table { width: 100%; font-size: 8px; }
  th, td { padding: 1px 3px; overflow-wrap: anywhere; }
  .chart-card { width: 300px; }
  a { color: inherit; text-decoration: none; }
}
`;
