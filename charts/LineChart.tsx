import type { ChartSpec } from '../core/spec/values.ts';
import { YGrid } from './Grid.tsx';
import { fmtTick, linear, SERIES_COLOURS, ticks } from './scale.ts';

type Line = Extract<ChartSpec, { kind: 'line' }>;
const W = 360, H = 240, M = { l: 44, r: 12, t: 12, b: 36 };

export function LineChart({ spec }: { spec: Line }) {
  const pts = spec.series.flatMap((s) => s.points);
  // Faint series (ICE curves) stay out of the colour order and the legend.
  const bold = spec.series.filter((s) => !s.faint);
  const xMin = spec.x.min ?? Math.min(...pts.map((p) => p[0]));
  const xMax = spec.x.max ?? Math.max(...pts.map((p) => p[0]));
  const yMin = spec.y.min ?? Math.min(...pts.map((p) => p[1]));
  const yMax = spec.y.max ?? Math.max(...pts.map((p) => p[1]));
  const x = linear(xMin, xMax, M.l, W - M.r);
  const y = linear(yMin, yMax, H - M.b, M.t);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
      <YGrid y={y} lo={yMin} hi={yMax} left={M.l} right={W - M.r} />
      {spec.x.categories
        ? spec.x.categories.map((c, i) => (
            <text key={`x${i}`} x={x(i)} y={H - M.b + 14} className="chart__tick" textAnchor="middle">{c.length > 9 ? `${c.slice(0, 8)}…` : c}</text>
          ))
        : ticks(xMin, xMax).map((t) => (
            <text key={`x${t}`} x={x(t)} y={H - M.b + 14} className="chart__tick" textAnchor="middle">{fmtTick(t)}</text>
          ))}
      <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} className="chart__axis" />
      <line x1={M.l} x2={M.l} y1={M.t} y2={H - M.b} className="chart__axis" />
      {spec.series.map((s) => (
        <polyline
          key={s.name}
          fill="none"
          className={s.faint ? 'chart__faint' : undefined}
          stroke={s.faint ? 'var(--muted)' : s.dashed ? 'var(--muted)' : SERIES_COLOURS[bold.indexOf(s) % SERIES_COLOURS.length]}
          strokeWidth={s.faint ? 1 : 2}
          strokeDasharray={s.dashed ? '4 4' : undefined}
          points={s.points.map(([a, b]) => `${x(a)},${y(b)}`).join(' ')}
        >
          <title>{s.name}</title>
        </polyline>
      ))}
      <text x={(M.l + W - M.r) / 2} y={H - 4} className="chart__label" textAnchor="middle">{spec.x.label}</text>
      <text x={10} y={(M.t + H - M.b) / 2} className="chart__label" textAnchor="middle" transform={`rotate(-90 10 ${(M.t + H - M.b) / 2})`}>{spec.y.label}</text>
      {(bold.length > 1 || bold.length < spec.series.length) && (
        <g>
          {bold.map((s, i) => (
            <text key={s.name} x={W - M.r - 4} y={H - M.b - 8 - i * 13} textAnchor="end" className="chart__legend" fill={s.dashed ? 'var(--muted)' : SERIES_COLOURS[i % SERIES_COLOURS.length]}>{s.name}</text>
          ))}
          {bold.length < spec.series.length && (
            <text x={W - M.r - 4} y={H - M.b - 8 - bold.length * 13} textAnchor="end" className="chart__legend" fill="var(--muted)">{`${spec.series.length - bold.length} rows (thin)`}</text>
          )}
        </g>
      )}
    </svg>
  );
}
