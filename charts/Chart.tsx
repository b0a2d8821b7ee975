import type { ChartSpec } from '../core/spec/values.ts';
import { BarChart } from './BarChart.tsx';
import { BeeswarmChart } from './Beeswarm.tsx';
import { Heatmap } from './Heatmap.tsx';
import { Histogram } from './Histogram.tsx';
import { LineChart } from './LineChart.tsx';
import { ScatterChart } from './Scatter.tsx';
import { WaterfallChart } from './Waterfall.tsx';

/** Renders any ChartSpec as SVG; the same spec feeds the CLI's HTML report. */
export function Chart({ spec }: { spec: ChartSpec }) {
  const body = (() => {
    switch (spec.kind) {
      case 'line': return <LineChart spec={spec} />;
      case 'bar': return <BarChart spec={spec} />;
      case 'heatmap': return <Heatmap spec={spec} />;
      case 'histogram': return <Histogram spec={spec} />;
      case 'beeswarm': return <BeeswarmChart spec={spec} />;
      case 'waterfall': return <WaterfallChart spec={spec} />;
      case 'scatter': return <ScatterChart spec={spec} />;
      default: return <p className="muted">Chart kind {(spec as { kind: string }).kind} is not supported yet.</p>;
    }
  })();
  return (
    <figure className="chart-card" data-testid={`chart-${spec.id}`}>
      <figcaption>{spec.title}</figcaption>
      {body}
      {spec.kind === 'waterfall' && spec.note && <p className="chart-card__note">{spec.note}</p>}
    </figure>
  );
}
