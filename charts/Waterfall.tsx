import type { ChartSpec } from '../core/spec/values.ts';
import { XGrid } from './Grid.tsx';
import { fmtTick, labelMargin, linear } from './scale.ts';

type Waterfall = Extract<ChartSpec, { kind: 'waterfall' }>;
const W = 360, band = 20;
const UP = '#d6404e', DOWN = '#2f7fd8';

const short = (v: number) => fmtTick(Number(v.toPrecision(3)));

/**
 * base + each contribution = output, one row per column (largest first), as a running total:
 * each bar starts where the previous one ended; red pushes the output up, blue down.
 */
export function WaterfallChart({ spec }: { spec: Waterfall }) {
  const labels = labelMargin(spec.steps.map((s) => s.label), 160);
  const M = { l: labels.width, r: 14, t: 22, b: 52 };
  const n = spec.steps.length;
  const H = M.t + M.b + n * band;
  const ends: number[] = [];
  let run = spec.base;
  for (const s of spec.steps) ends.push((run += s.value));
  const all = [spec.base, spec.output, ...ends];
  const lo = Math.min(...all), hi = Math.max(...all);
  const pad = (hi - lo || 1) * 0.12;
  const x = linear(lo - pad, hi + pad, M.l, W - M.r);
  const sum = spec.steps.reduce((a, s) => a + s.value, 0);
  // The value goes past the bar's end in its direction, or before its start when there is no room.
  const valueAt = (from: number, to: number, v: number): { x: number; anchor: 'start' | 'end' } => {
    const [left, right] = [Math.min(x(from), x(to)), Math.max(x(from), x(to))];
    const outward = v >= 0 ? right + 3 + 36 <= W : left - 3 - 36 >= M.l;
    const rightSide = v >= 0 ? outward : !outward;
    return rightSide ? { x: right + 3, anchor: 'start' } : { x: left - 3, anchor: 'end' };
  };
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
      <XGrid x={x} lo={lo - pad} hi={hi + pad} top={M.t} bottom={H - M.b} />
      <line x1={x(spec.base)} x2={x(spec.base)} y1={M.t - 6} y2={H - M.b} className="chart__axis" strokeDasharray="3 3" />
      <text x={x(spec.base)} y={M.t - 9} className="chart__tick" textAnchor="middle">{`base ${short(spec.base)}`}</text>
      <line x1={x(spec.output)} x2={x(spec.output)} y1={M.t} y2={H - M.b + 2} className="chart__axis" />
      {spec.steps.map((s, i) => {
        const from = i === 0 ? spec.base : ends[i - 1];
        const to = ends[i];
        const y = M.t + i * band;
        return (
          <g key={i} data-step={s.label}>
            <text x={M.l - 6} y={y + band / 2 + 4} className="chart__tick" textAnchor="end">
              {labels.fit(s.label)}
              <title>{s.label}</title>
            </text>
            <rect x={Math.min(x(from), x(to))} width={Math.max(1, Math.abs(x(to) - x(from)))} y={y + 3} height={band - 6} fill={s.value >= 0 ? UP : DOWN}>
              <title>{`${s.label}: ${s.value >= 0 ? '+' : ''}${s.value}`}</title>
            </rect>
            <text x={valueAt(from, to, s.value).x} y={y + band / 2 + 3} className="chart__tick" textAnchor={valueAt(from, to, s.value).anchor}>
              {`${s.value >= 0 ? '+' : '−'}${short(Math.abs(s.value))}`}
            </text>
          </g>
        );
      })}
      <text x={(M.l + W - M.r) / 2} y={H - M.b + 26} className="chart__label" textAnchor="middle">{spec.scale}</text>
      <text x={W / 2} y={H - 8} className="chart__label" textAnchor="middle" data-testid="waterfall-sum">
        {`base ${short(spec.base)} ${sum >= 0 ? '+' : '−'} ${short(Math.abs(sum))} = ${short(spec.output)}`}
      </text>
      {spec.note && <title>{spec.note}</title>}
    </svg>
  );
}
