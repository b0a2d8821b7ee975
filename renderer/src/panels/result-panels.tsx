/**
 * Results panel registry, keyed by the kind of port value. Explanation plots and export
 * reports register their own panel here; unknown kinds fall back to a short description.
 */
import type { ComponentType } from 'react';
import type { PortValue, MetricsValue, ArtifactValue, ModelValue, ResultTable } from '../../../core/spec/values.ts';
import { Chart } from '../../../charts/Chart.tsx';
import { ExplainRowLink, ExplanationPanel, useExplainersOf } from './ExplanationPanel.tsx';
import { TableView } from './TableView.tsx';
import { formatMetric, formatNamedMetric } from '../lib/format.ts';

export { TableView } from './TableView.tsx';

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


function MetricsPanel({ value }: ResultPanelProps<MetricsValue>) {
  const explainerOf = useExplainersOf();
  // Evaluate's worst-predicted rows link to an Explain node's waterfall for the row, when one explained it.
  const whyLink = (table: ResultTable) => (r: ResultTable['rows'][number]) => {
    const explainer = typeof r[0] === 'number' ? explainerOf(r[0]) : null;
    // a classifier's row opens on its actual class: why did the model doubt it?
    const actual = table.columns.indexOf('actual');
    const output = value.task === 'binary' || value.task === 'multiclass' ? String(r[actual]) : undefined;
    return explainer ? <ExplainRowLink row={r[0] as number} explainer={explainer} output={output} /> : null;
  };
  return (
    <>
      <div className="metric-cards">
        {Object.entries(value.values).map(([name, v]) => (
          <div key={name} className="metric-card" data-testid={`metric-${name}`}>
            <span className="metric-card__name">{name.replace(/_/g, ' ')}</span>
            <span className="metric-card__value" data-testid={`metric-value-${name}`}>{formatNamedMetric(name, v)}</span>
            {value.std?.[name] !== undefined && <span className="metric-card__std">± {formatMetric(value.std[name])}</span>}
          </div>
        ))}
      </div>
      <p className="muted">{value.task} · {value.scope} rows</p>
      <div className="chart-grid">{value.charts.map((c) => <Chart key={c.id} spec={c} />)}</div>
      {value.tables.map((t) => <TableView key={t.id} table={t} rowAction={t.id === 'worst_rows' ? whyLink(t) : undefined} />)}
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

registerResultPanel('metrics', MetricsPanel);
registerResultPanel('explanation', ExplanationPanel);
registerResultPanel('model', ModelPanel);
registerResultPanel('artifact', ArtifactPanel);
