/**
 * A drift report as the Drift node outputs it: one row per column (and one for the model's
 * predictions) as a table, and the overall verdict, a PSI chart and the same rows as a result
 * table for the studio's Results tab.
 */
import { PREDICTION_COLUMN } from '../../spec/drift.ts';
import type { MetricsValue, ResultTable, Task } from '../../spec/values.ts';
import type { JsColumn } from '../../data/tables.ts';
import type { ColumnDrift, DriftReport } from './drift.ts';

/** The per-column table's columns, in order. */
export const DRIFT_TABLE_COLUMNS = ['column', 'role', 'kind', 'test', 'statistic', 'p_value', 'wasserstein', 'jensen_shannon', 'psi', 'missing_reference', 'missing_current', 'missing_change', 'drifted', 'reasons'] as const;

interface DriftRow {
  column: string;
  role: 'input' | 'prediction';
  kind: string;
  test: string;
  statistic: number;
  pValue: number;
  wasserstein: number;
  jensenShannon: number;
  psi: number;
  missingReference: number;
  missingCurrent: number;
  drifted: boolean;
  reasons: string;
}

function rowOf(c: ColumnDrift, role: DriftRow['role']): DriftRow {
  const test = c.ks ? 'Kolmogorov–Smirnov' : c.chiSquare ? 'chi-square' : '';
  const stat = c.ks ?? c.chiSquare;
  return {
    column: c.column,
    role,
    kind: c.kind,
    test,
    statistic: stat?.statistic ?? Number.NaN,
    pValue: stat?.pValue ?? Number.NaN,
    wasserstein: c.wasserstein ?? Number.NaN,
    jensenShannon: c.jensenShannon ?? Number.NaN,
    psi: c.psi,
    missingReference: c.missingRate.reference,
    missingCurrent: c.missingRate.current,
    drifted: c.drifted,
    reasons: c.reasons.join('; '),
  };
}

function rowsOf(report: DriftReport): DriftRow[] {
  const rows = report.columns.map((c) => rowOf(c, 'input'));
  for (const column of report.missingColumns) {
    rows.push({ column, role: 'input', kind: '', test: '', statistic: Number.NaN, pValue: Number.NaN, wasserstein: Number.NaN, jensenShannon: Number.NaN, psi: Number.NaN, missingReference: Number.NaN, missingCurrent: Number.NaN, drifted: true, reasons: 'not in the new rows' });
  }
  if (report.prediction) rows.push(rowOf({ ...report.prediction, column: PREDICTION_COLUMN }, 'prediction'));
  return rows;
}

/** The per-column drift table (DRIFT_TABLE_COLUMNS), ready for writeJsTable. */
export function driftTableColumns(report: DriftReport): JsColumn[] {
  const rows = rowsOf(report);
  const num = (f: (r: DriftRow) => number) => Float64Array.from(rows, f);
  const text = (f: (r: DriftRow) => string) => rows.map((r) => f(r) || null);
  return [
    { name: 'column', data: rows.map((r) => r.column) },
    { name: 'role', data: text((r) => r.role) },
    { name: 'kind', data: text((r) => r.kind) },
    { name: 'test', data: text((r) => r.test) },
    { name: 'statistic', data: num((r) => r.statistic) },
    { name: 'p_value', data: num((r) => r.pValue) },
    { name: 'wasserstein', data: num((r) => r.wasserstein) },
    { name: 'jensen_shannon', data: num((r) => r.jensenShannon) },
    { name: 'psi', data: num((r) => r.psi) },
    { name: 'missing_reference', data: num((r) => r.missingReference) },
    { name: 'missing_current', data: num((r) => r.missingCurrent) },
    { name: 'missing_change', data: num((r) => r.missingCurrent - r.missingReference) },
    { name: 'drifted', data: num((r) => (r.drifted ? 1 : 0)), type: 'boolean' },
    { name: 'reasons', data: text((r) => r.reasons) },
  ];
}

/** The verdict in words: "Drift in x1, city and the predictions" or "Within thresholds". */
export function driftVerdict(report: DriftReport): string {
  const what = [...report.drifted, ...(report.prediction?.drifted ? ['the predictions'] : [])];
  return report.verdict === 'drift' ? `Drift in ${what.join(', ')}` : 'Within thresholds';
}

/**
 * The Results view of a drift report: counts as metrics, a PSI bar per column (the prediction's
 * included) and the per-column rows, titled with the overall verdict.
 */
export function driftMetrics(report: DriftReport, task?: Task): MetricsValue {
  const rows = rowsOf(report);
  const judged = rows.filter((r) => !Number.isNaN(r.psi));
  const cell = (v: number) => (Number.isNaN(v) ? null : v);
  const table: ResultTable = {
    id: 'drift_columns',
    title: `${driftVerdict(report)} · ${report.rows.toLocaleString('en')} new rows against ${report.referenceRows.toLocaleString('en')} reference rows`,
    columns: ['column', 'test', 'statistic', 'p-value', 'PSI', 'missing (ref → new)', 'verdict'],
    rows: rows.map((r) => [
      r.role === 'prediction' ? `${r.column} (model output)` : r.column,
      r.test || null,
      cell(r.statistic),
      cell(r.pValue),
      cell(r.psi),
      Number.isNaN(r.missingReference) ? null : `${(r.missingReference * 100).toFixed(1)}% → ${(r.missingCurrent * 100).toFixed(1)}%`,
      r.drifted ? `drift: ${r.reasons}` : 'ok',
    ]),
  };
  const predictionPsi: Record<string, number> = report.prediction ? { prediction_psi: report.prediction.psi } : {};
  return {
    kind: 'metrics',
    ...(task ? { task } : {}),
    scope: 'drift',
    values: { drifted_columns: report.drifted.length, columns_checked: report.columns.length + report.missingColumns.length, max_psi: Math.max(0, ...report.columns.map((c) => c.psi)), ...predictionPsi },
    charts: [
      {
        kind: 'bar',
        id: 'drift_psi',
        title: `PSI per column (drift at ≥ ${report.thresholds.psi})`,
        categories: judged.map((r) => `${r.drifted ? '✗' : '✓'} ${r.role === 'prediction' ? 'prediction (model)' : r.column}`),
        series: [{ name: 'PSI', values: judged.map((r) => r.psi) }],
        horizontal: true,
        valueLabel: 'population stability index',
      },
    ],
    tables: [table],
  };
}
