/** A column profile as a Results-tab report: a table of figures and a histogram per numeric column. */
import { histogramSampleNote, type ColumnProfile } from '../spec/table-page.ts';
import type { ChartSpec, MetricsValue, ResultTable, TableRef } from '../spec/index.ts';

/** Histograms shown at most (the table lists every column). */
export const MAX_HISTOGRAMS = 30;

const round = (v: number | null | undefined, digits = 6): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Number(v.toPrecision(digits)));

export function profileMetrics(t: TableRef, profile: ColumnProfile[]): MetricsValue {
  const cells = t.rowCount * profile.length;
  const missing = profile.reduce((s, p) => s + p.missing, 0);
  // NaN and infinite values are rare: their columns appear only when some column holds them.
  const nonFinite = profile.some((p) => p.nan || p.infinite);
  const table: ResultTable = {
    id: 'profile',
    title: 'Column profile',
    columns: ['column', 'type', 'missing', 'missing %', ...(nonFinite ? ['NaN', '±infinite'] : []), 'distinct', 'min', 'max', 'mean', 'std', 'p05', 'p25', 'median', 'p75', 'p95', 'most frequent'],
    rows: profile.map((p) => [
      p.name,
      p.type,
      p.missing,
      round(p.missingPct, 4),
      ...(nonFinite ? (p.type === 'number' || p.type === 'integer' ? [p.nan ?? 0, p.infinite ?? 0] : [null, null]) : []),
      p.distinct,
      typeof p.min === 'number' ? round(p.min) : (p.min ?? null),
      typeof p.max === 'number' ? round(p.max) : (p.max ?? null),
      round(p.mean),
      round(p.std),
      round(p.quantiles?.p05),
      round(p.quantiles?.p25),
      round(p.quantiles?.p50),
      round(p.quantiles?.p75),
      round(p.quantiles?.p95),
      p.top?.slice(0, 3).map((v) => `${v.value === null ? '(missing)' : String(v.value)} (${v.count})`).join(', ') ?? null,
    ]),
  };
  const charts: ChartSpec[] = [];
  if (profile.some((p) => p.missing > 0)) {
    charts.push({ kind: 'bar', id: 'missing', title: 'Missing values (%)', categories: profile.map((p) => p.name), series: [{ name: 'missing %', values: profile.map((p) => round(p.missingPct, 4) ?? 0) }], horizontal: true });
  }
  for (const p of profile) {
    if (!p.histogram || charts.length > MAX_HISTOGRAMS) continue;
    const note = histogramSampleNote(p);
    const title = note ? `${p.name} (${note})` : p.name;
    charts.push({ kind: 'histogram', id: `hist-${p.name}`, title, bins: p.histogram });
  }
  return {
    kind: 'metrics',
    scope: 'profile',
    values: { rows: t.rowCount, columns: profile.length, missing_cells_pct: cells ? round((100 * missing) / cells, 6)! : 0 },
    charts,
    tables: [table],
  };
}
