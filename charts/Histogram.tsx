import type { ChartSpec } from '../core/spec/values.ts';
import { fmtTick, linear, ticks } from './scale.ts';

type Hist = Extract<ChartSpec, { kind: 'histogram' }>;
const W = 360, H = 220, M = { l: 44, r: 12, t: 12, b: 30 };

export function Histogram({ spec }: { spec: Hist }) {
  if (!spec.bins.length) return <p className="muted">No data.</p>;
  const x0 = spec.bins[0].x0;
  const x1 = spec.bins[spec.bins.length - 1].x1;
  const max = Math.max(...spec.bins.map((b) => b.count), 1);
  const x = linear(x0, x1, M.l, W - M.r);
  const y = linear(0, max, H - M.b, M.t);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
      {ticks(0, max, 4).map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="chart__grid" />
          <text x={M.l - 4} y={y(t) + 3} className="chart__tick" textAnchor="end">{fmtTick(t)}</text>
        </g>
      ))}
      {spec.bins.map((b, i) => (
        <rect key={i} x={x(b.x0) + 0.5} width={Math.max(x(b.x1) - x(b.x0) - 1, 0.5)} y={y(b.count)} height={H - M.b - y(b.count)} className="chart__bar">
          <title>{`${fmtTick(b.x0)} – ${fmtTick(b.x1)}: ${b.count}`}</title>
        </rect>
      ))}
      {ticks(x0, x1).map((t) => (
        <text key={t} x={x(t)} y={H - M.b + 14} className="chart__tick" textAnchor="middle">{fmtTick(t)}</text>
      ))}
      <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} className="chart__axis" />
    </svg>
  );
}
