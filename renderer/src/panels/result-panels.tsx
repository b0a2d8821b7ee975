/**
 * Results panel registry, keyed by the kind of port value. Explanation plots and export
 * reports register their own panel here; unknown kinds fall back to a short description.
 */
import type { ComponentType } from 'react';
import type { PortValue, MetricsValue, ExplanationValue, ArtifactValue, ModelValue, ResultTable } from '../../../core/spec/values.ts';
import { Chart } from '../charts/Chart.tsx';

export interface ResultPanelProps<V extends PortValue = PortValue> {
  nodeId: string;
  port: string;
  value: V;
}

const registry = new Map<string, ComponentType<ResultPanelProps>>();

export function registerResultPanel<V extends PortValue>(kind: V['kind'], panel: ComponentType<ResultPanelProps<V>>): void {
  registry.set(kind, panel as ComponentType<ResultPanelProps>);
}

export function resultPanelFor(value: PortValue): ComponentType<ResultPanelProps> | undefined {
  return registry.get(value.kind);
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

function MetricsPanel({ value }: ResultPanelProps<MetricsValue>) {
  return (
    <>
      <div className="metric-cards">
        {Object.entries(value.values).map(([name, v]) => (
          <div key={name} className="metric-card" data-testid={`metric-${name}`}>
            <span className="metric-card__name">{name.replace(/_/g, ' ')}</span>
            <span className="metric-card__value" data-testid={`metric-value-${name}`}>{fmt(v)}</span>
            {value.std?.[name] !== undefined && <span className="metric-card__std">± {fmt(value.std[name])}</span>}
          </div>
        ))}
      </div>
      <p className="muted">{value.task} · {value.scope} rows</p>
      <div className="chart-grid">{value.charts.map((c) => <Chart key={c.id} spec={c} />)}</div>
      {value.tables.map((t) => <TableView key={t.id} table={t} />)}
    </>
  );
}

function ExplanationPanel({ value }: ResultPanelProps<ExplanationValue>) {
  return (
    <>
      <p className="muted">{value.method}</p>
      <div className="chart-grid">{value.charts.map((c) => <Chart key={c.id} spec={c} />)}</div>
      {value.tables.map((t) => <TableView key={t.id} table={t} />)}
    </>
  );
}

function ModelPanel({ value }: ResultPanelProps<ModelValue>) {
  return (
    <p className="muted">
      {value.estimator.kind} for {value.task}{value.target ? ` of “${value.target}”` : ''}, trained on {value.trainedOn.rows.toLocaleString('en')} rows;
      reads {value.inputColumns.length} columns{value.classes ? `; classes ${value.classes.join(', ')}` : ''}.
    </p>
  );
}

function ArtifactPanel({ value }: ResultPanelProps<ArtifactValue>) {
  return <p>Wrote <code>{value.path}</code> ({value.format}).</p>;
}

export function TableView({ table }: { table: ResultTable }) {
  return (
    <div className="result-table" data-testid={`result-table-${table.id}`}>
      <h4>{table.title}</h4>
      <table>
        <thead>
          <tr>{table.columns.map((c) => <th key={c}>{c}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>{r.map((v, j) => <td key={j} className={typeof v === 'number' ? 'num' : undefined}>{typeof v === 'number' ? fmt(v) : v === null ? '∅' : String(v)}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

registerResultPanel('metrics', MetricsPanel);
registerResultPanel('explanation', ExplanationPanel);
registerResultPanel('model', ModelPanel);
registerResultPanel('artifact', ArtifactPanel);
