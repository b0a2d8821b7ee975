/** The drift report as one small self-contained HTML page (no scripts, no external files). */
import type { ColumnDrift, DriftReport } from './drift.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(3) : v.toExponential(2));
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function driftReportHtml(report: DriftReport, title: string, quality?: { metric: string; training: number | null; current: number }[]): string {
  const row = (c: ColumnDrift) => `<tr class="${c.drifted ? 'drift' : 'ok'}"><th>${esc(c.column)}</th><td>${c.kind}</td><td>${num(c.psi)}</td><td>${num(c.ks?.statistic)}</td><td>${num(c.ks?.pValue)}</td><td>${num(c.wasserstein)}</td><td>${num(c.chiSquare?.statistic)}</td><td>${num(c.chiSquare?.pValue)}</td><td>${num(c.jensenShannon)}</td><td>${pct(c.missingRate.reference)} → ${pct(c.missingRate.current)}</td><td>${c.drifted ? `drift: ${esc(c.reasons.join('; '))}` : 'ok'}</td></tr>`;
  const bar = (c: ColumnDrift) => `<div class="bar"><span>${esc(c.column)}</span><i style="width:${Math.min(100, (c.psi / Math.max(report.thresholds.psi * 2, 1e-9)) * 100).toFixed(1)}%" class="${c.drifted ? 'drift' : 'ok'}"></i><b>${num(c.psi)}</b></div>`;
  const t = report.thresholds;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2433}
h1{font-size:20px}.verdict{font-size:16px;padding:8px 12px;border-radius:6px;display:inline-block}
.verdict.drift{background:#fde2e1;color:#8a1c1c}.verdict.ok{background:#dff3e4;color:#1d5e2f}
table{border-collapse:collapse;margin-top:16px}th,td{border-bottom:1px solid #dde2ea;padding:4px 8px;text-align:right}
th:first-child,td:last-child{text-align:left}tr.drift{background:#fff4f3}
.bar{display:flex;align-items:center;gap:8px;margin:2px 0}.bar span{width:160px;text-align:right}
.bar i{height:12px;display:inline-block;background:#5b8def}.bar i.drift{background:#d9534f}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="verdict ${report.verdict}">${report.verdict === 'drift' ? `Drift in ${esc([...report.drifted, ...(report.prediction?.drifted ? ['the predictions'] : [])].join(', '))}` : 'Within thresholds'}</p>
<p>${report.rows} new rows against ${report.referenceRows} training rows. Thresholds: PSI ≥ ${t.psi}, KS ≥ ${t.ks}, Jensen–Shannon ≥ ${t.jensenShannon}, missing-rate change ≥ ${t.missingRate}.${report.missingColumns.length ? ` Missing columns: ${esc(report.missingColumns.join(', '))}.` : ''}</p>
<h2>PSI per column</h2>
${report.columns.map(bar).join('\n')}
<table><thead><tr><th>column</th><th>kind</th><th>PSI</th><th>KS D</th><th>KS p</th><th>Wasserstein</th><th>χ²</th><th>χ² p</th><th>JS</th><th>missing</th><th>verdict</th></tr></thead>
<tbody>${report.columns.map(row).join('\n')}${report.prediction ? row({ ...report.prediction, column: 'prediction (model output)' }) : ''}</tbody></table>
${quality?.length ? `<h2>Prediction quality on the labelled rows</h2><table><thead><tr><th>metric</th><th>at training</th><th>now</th></tr></thead><tbody>${quality.map((q) => `<tr><th>${esc(q.metric)}</th><td>${num(q.training ?? undefined)}</td><td>${num(q.current)}</td></tr>`).join('')}</tbody></table>` : ''}
</body></html>
`;
}
