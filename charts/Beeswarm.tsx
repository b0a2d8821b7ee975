import type { ChartSpec } from '../core/spec/values.ts';
import { XGrid } from './Grid.tsx';
import { labelMargin, linear } from './scale.ts';

type Beeswarm = Extract<ChartSpec, { kind: 'beeswarm' }>;
const W = 360, band = 26;
const R = 2.2;

/** Low values blue, high values red (shap's convention); grey for categories and missing values. */
export function valueColour(c: number | null): string {
  if (c === null) return '#8a8f98';
  const a = [47, 127, 216], b = [214, 64, 78];
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * c)).join(',')})`;
}

/**
 * Vertical offsets that keep dots apart: dots sharing a pixel column stack outwards, alternating
 * above and below the row's centre line (computed from the data alone, no measuring).
 */
function swarm(xs: number[], half: number): number[] {
  const used = new Map<number, number>();
  return xs.map((x) => {
    const col = Math.round(x / (R * 1.6));
    const k = used.get(col) ?? 0;
    used.set(col, k + 1);
    const off = Math.ceil(k / 2) * R * 1.4 * (k % 2 ? 1 : -1);
    return Math.max(-half, Math.min(half, off));
  });
}

/** One row of dots per column: x = attribution, colour = the row's own value, largest columns on top. */
export function BeeswarmChart({ spec }: { spec: Beeswarm }) {
  const labels = labelMargin(spec.rows.map((r) => r.label), 140);
  const M = { l: labels.width, r: 12, t: 8, b: 58 };
  const H = M.t + M.b + spec.rows.length * band;
  const all = spec.rows.flatMap((r) => r.points.map((p) => p.x));
  const lo = Math.min(0, ...all), hi = Math.max(0, ...all);
  const pad = (hi - lo || 1) * 0.04;
  const x = linear(lo - pad, hi + pad, M.l, W - M.r);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
      <XGrid x={x} lo={lo - pad} hi={hi + pad} top={M.t} bottom={H - M.b} />
      <line x1={x(0)} x2={x(0)} y1={M.t} y2={H - M.b} className="chart__axis" />
      {spec.rows.map((row, ri) => {
        const cy = M.t + ri * band + band / 2;
        const px = row.points.map((p) => x(p.x));
        const dy = swarm(px, band / 2 - R);
        return (
          <g key={row.label}>
            <text x={M.l - 6} y={cy + 4} className="chart__tick" textAnchor="end">
              {labels.fit(row.label)}
              <title>{row.label}</title>
            </text>
            {row.points.map((p, i) => (
              <circle key={i} cx={px[i]} cy={cy + dy[i]} r={R} fill={valueColour(p.colour)} fillOpacity={0.85}>
                <title>{p.tip}</title>
              </circle>
            ))}
          </g>
        );
      })}
      <text x={(M.l + W - M.r) / 2} y={H - M.b + 26} className="chart__label" textAnchor="middle">{spec.xLabel}</text>
      <g transform={`translate(${W - M.r - 96}, ${H - 8})`}>
        <text x={-4} y={3} className="chart__tick" textAnchor="end">value: low</text>
        {[0, 0.25, 0.5, 0.75, 1].map((c, i) => <rect key={c} x={i * 12} y={-4} width={12} height={8} fill={valueColour(c)} />)}
        <text x={64} y={3} className="chart__tick">high</text>
      </g>
    </svg>
  );
}
