/**
 * The Explain node's results: global importance, beeswarm, permutation importance, a waterfall
 * for a chosen row, a dependence plot and PDP/ICE — redrawn from the explanation's numbers when
 * the analyst picks another view (raw columns / engineered features), class, row or column.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  beeswarmChart, dependenceChart, importanceChart, pdpChart, permutationChart, termOrder, waterfallChart, type ViewName,
} from '../../../core/spec/explanation.ts';
import type { ExplanationValue } from '../../../core/spec/values.ts';
import { Chart } from '../../../charts/Chart.tsx';
import { useDocStore } from '../store/use-doc-store.ts';
import { useExplainStore } from '../store/use-explain-store.ts';
import { useRunStore } from '../store/use-run-store.ts';
import { useUiStore } from '../store/use-ui-store.ts';
import type { ResultPanelProps } from './result-panels.tsx';
import { TableView } from './TableView.tsx';

const VIEW_LABEL: Record<ViewName, string> = { raw: 'Raw columns', engineered: 'Engineered features' };

export function ExplanationPanel({ nodeId, value }: ResultPanelProps<ExplanationValue>) {
  const d = value.detail;
  // The focus object (new on every click, so a second click on one row scrolls again).
  const focused = useExplainStore((s) => (s.focus?.nodeId === nodeId ? s.focus : null));
  const focus = focused?.row ?? null;
  const [view, setView] = useState<ViewName>(d?.view ?? 'raw');
  const [output, setOutput] = useState(0);
  const [pickedRow, setPickedRow] = useState<number | null>(null);
  const [pickedTerm, setPickedTerm] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  // Arriving from Evaluate's worst rows: show that row's waterfall, for its actual class (only a
  // new focus moves the view; the analyst's own picks stand until then).
  useEffect(() => {
    if (focused === null) return;
    setPickedRow(null);
    const o = focused.output === undefined || !d ? -1 : d.outputs.indexOf(focused.output);
    if (o >= 0) setOutput(o);
    root.current?.querySelector('[data-testid="chart-waterfall"]')?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  if (!d) {
    return (
      <>
        <p className="muted">{value.method}</p>
        <div className="chart-grid">{value.charts.map((c) => <Chart key={c.id} spec={c} />)}</div>
        {value.tables.map((t) => <TableView key={t.id} table={t} />)}
      </>
    );
  }
  const shown: ViewName = d.views[view] ? view : d.view;
  const v = d.views[shown]!;
  const o = Math.min(output, d.outputs.length - 1);
  // The row: one picked here, else one sent from Evaluate's worst rows, else the first.
  const wanted = pickedRow ?? focus;
  const rowIndex = wanted !== null && d.rows.includes(wanted) ? d.rows.indexOf(wanted) : 0;
  const missing = wanted !== null && !d.rows.includes(wanted) ? wanted : null;
  const order = termOrder(v, o).order;
  const term = pickedTerm !== null && v.terms.includes(pickedTerm) ? v.terms.indexOf(pickedTerm) : order[0];
  const hasRows = d.rows.length > 0;
  const charts = [
    hasRows && importanceChart(d, shown, o),
    hasRows && beeswarmChart(d, shown, o),
    permutationChart(d),
    hasRows && waterfallChart(d, shown, o, rowIndex),
    hasRows && dependenceChart(d, shown, o, term),
    pdpChart(d),
  ].filter((c) => !!c);
  return (
    <div className="explain" data-testid={`explain-${nodeId}`} ref={root}>
      <p className="muted">
        {d.methodTitle} · {d.rows.length.toLocaleString('en')} rows · attributions on the <strong>{d.scale}</strong> scale: {d.scaleDescription}.
      </p>
      <div className="explain__controls">
        {Object.keys(d.views).length > 1 && (
          <div className="segmented" role="group" aria-label="Attributions per">
            {(['raw', 'engineered'] as ViewName[]).map((name) => (
              <button key={name} className={`segmented__item${shown === name ? ' is-active' : ''}`} aria-pressed={shown === name} onClick={() => setView(name)} data-testid={`explain-view-${name}`}>
                {VIEW_LABEL[name]}
              </button>
            ))}
          </div>
        )}
        {d.outputs.length > 1 && (
          <label>
            Class{' '}
            <select value={o} onChange={(e) => setOutput(Number(e.target.value))} data-testid="explain-class">
              {d.outputs.map((label, i) => <option key={label} value={i}>{label}</option>)}
            </select>
          </label>
        )}
        {hasRows && (
          <label>
            Row{' '}
            <select value={d.rows[rowIndex]} onChange={(e) => setPickedRow(Number(e.target.value))} data-testid="explain-row">
              {d.rows.map((id) => <option key={id} value={id}>{id}</option>)}
            </select>
          </label>
        )}
        {hasRows && (
          <label>
            Dependence on{' '}
            <select value={v.terms[term]} onChange={(e) => setPickedTerm(e.target.value)} data-testid="explain-term">
              {order.map((t) => <option key={v.terms[t]} value={v.terms[t]}>{v.terms[t]}</option>)}
            </select>
          </label>
        )}
      </div>
      {missing !== null && <p className="explain__warn">Row {missing} is not among the explained rows (the node explains up to its rows cap); showing row {d.rows[rowIndex]}.</p>}
      <div className="chart-grid">{charts.map((c) => c && <Chart key={c.id} spec={c} />)}</div>
      {value.tables.map((t) => <TableView key={t.id} table={t} />)}
    </div>
  );
}

/** Explain nodes whose explanation covers a row id, for links from Evaluate's worst-predicted rows. */
export function useExplainersOf(): (row: number) => string | null {
  // The outputs object itself is the stable selection (a derived array would be new on every read).
  const outputs = useRunStore((s) => s.outputs);
  const explained = useMemo(
    () => Object.entries(outputs).flatMap(([id, ports]) => Object.values(ports).flatMap((p) => (p.kind === 'explanation' && p.detail ? [{ id, rows: new Set(p.detail.rows) }] : []))),
    [outputs],
  );
  return (row) => explained.find((e) => e.rows.has(row))?.id ?? null;
}

/** A "why?" link beside a worst-predicted row: opens the Explain node's waterfall for it. */
export function ExplainRowLink({ row, explainer, output }: { row: number; explainer: string; output?: string }) {
  return (
    <button
      className="link-button"
      data-testid={`explain-row-link-${row}`}
      title={`Show why the model predicted this for row ${row} (${explainer})`}
      onClick={() => {
        useExplainStore.getState().focusRow(explainer, row, output);
        useDocStore.getState().select([explainer]);
        useUiStore.getState().setBottomTab('results');
      }}
    >
      why?
    </button>
  );
}
