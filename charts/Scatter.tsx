import type { ChartSpec } from '../core/spec/values.ts';
import { YGrid } from './Grid.tsx';
import { fmtTick, linear, SERIES_COLOURS, ticks } from './scale.ts';

type Scatter = Extract<ChartSpec, { kind: 'scatter' }>;
const W = 360, H = 240, M = { l: 48, r: 12, t: 12, b: 38 };

/** Dots on two axes; a categorical x axis puts each category at 0..n-1 (the dots carry a small jitter). */
export function ScatterChart({ spec }: { spec: Scatter }) {
  const cats = spec.x.categories;
  const xs = spec.points.map((p) => p.x), ys = spec.points.map((p) => p.y);
  const xMin = cats ? -0.6 : Math.min(...xs), xMax = cats ? cats.length - 0.4 : Math.max(...xs);
  const yMin = Math.min(0, ...ys), yMax = Math.max(0, ...ys);
  const x = linear(xMin, xMax, M.l, W - M.r);
  const y = linear(yMin, yMax, H - M.b, M.t);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
      <YGrid y={y} lo={yMin} hi={yMax} left={M.l} right={W - M.r} />
      {cats
        ? cats.map((c, i) => <text key={c} x={x(i)} y={H - M.b + 14} className="chart__tick" textAnchor="middle">{c.length > 10 ? `${c.slice(0, 9)}…` : c}</text>)
        : ticks(xMin, xMax).map((t) => <text key={`x${t}`} x={x(t)} y={H - M.b + 14} className="chart__tick" textAnchor="middle">{fmtTick(t)}</text>)}
      <line x1={M.l} x2={W - M.r} y1={y(0)} y2={y(0)} className="chart__axis" />
      <line x1={M.l} x2={M.l} y1={M.t} y2={H - M.b} className="chart__axis" />
      {spec.points.map((p, i) => (
        <circle key={i} cx={x(p.x)} cy={y(p.y)} r={2.6} fill={SERIES_COLOURS[0]} fillOpacity={0.7}>
          {p.tip && <title>{p.tip}</title>}
        </circle>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - 4} className="chart__label" textAnchor="middle">{spec.x.label}</text>
      <text x={10} y={(M.t + H - M.b) / 2} className="chart__label" textAnchor="middle" transform={`rotate(-90 10 ${(M.t + H - M.b) / 2})`}>{spec.y.label}</text>
    </svg>
  );
}
