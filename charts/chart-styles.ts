/**
 * The charts' own CSS, in one place: the studio injects it (renderer/src/main.tsx) and the run
 * report inlines it (core/report/), so a chart looks the same in the window and in a report. It
 * uses the studio's theme variables (--border, --muted, --text, --panel, --accent, --s1..., --t-*),
 * which every page that shows a chart defines.
 */
export const CHART_CSS = `
.chart-card { margin: 0; border: 1px solid var(--border); border-radius: var(--radius); padding: var(--s2); width: 340px; }
.chart-card figcaption { font-weight: 600; font-size: var(--t-sm); margin-bottom: var(--s1); }
.chart { width: 100%; height: auto; display: block; }
.chart__grid { stroke: var(--border); stroke-width: 1; }
.chart__axis { stroke: var(--muted); }
.chart__tick { font-size: 10px; fill: var(--muted); }
.chart__label, .chart__legend { font-size: 11px; fill: var(--text); }
.chart__legend { paint-order: stroke; stroke: var(--panel); stroke-width: 3px; }
.chart__cell { font-size: 11px; }
.chart__bar { fill: var(--accent); }
.chart__whisker line { stroke: var(--text); stroke-width: 1; }
.chart__faint { opacity: 0.35; }
.chart-card__note { font-size: var(--t-xs); color: var(--muted); margin: var(--s1) 0 0; }
`;
