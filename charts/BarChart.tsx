import type { ChartSpec } from '../core/spec/values.ts';
import { XGrid } from './Grid.tsx';
import { fmtTick, labelMargin, linear, SERIES_COLOURS, ticks } from './scale.ts';

type Bar = Extract<ChartSpec, { kind: 'bar' }>;
const W = 360;

export function BarChart({ spec }: { spec: Bar }) {
  // whiskers (± error) widen the range
  const values = spec.series.flatMap((s) => s.values.flatMap((v, i) => [v - (s.errors?.[i] ?? 0), v + (s.errors?.[i] ?? 0)]));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const n = spec.categories.length;
  const k = spec.series.length;
  if (spec.horizontal) {
    const labels = labelMargin(spec.categories);
    const band = 20, M = { l: labels.width, r: 16, t: 8, b: spec.valueLabel ? 36 : 24 };
    const H = M.t + M.b + n * band;
    const x = linear(lo, hi, M.l, W - M.r);
    return (
      <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
        <XGrid x={x} lo={lo} hi={hi} top={M.t} bottom={H - M.b} gap={14} />
        {spec.categories.map((c, ci) => (
          <g key={c}>
            <text x={M.l - 6} y={M.t + ci * band + band / 2 + 4} className="chart__tick" textAnchor="end">
              {labels.fit(c)}
              <title>{c}</title>
            </text>
            {spec.series.map((s, si) => {
              const y0 = M.t + ci * band + 3 + (si * (band - 6)) / k;
              const h = (band - 6) / k;
              const err = s.errors?.[ci];
              return (
                <g key={s.name}>
                  <rect x={Math.min(x(0), x(s.values[ci]))} width={Math.abs(x(s.values[ci]) - x(0))} y={y0} height={h} fill={SERIES_COLOURS[si % SERIES_COLOURS.length]}>
                    <title>{`${c} · ${s.name}: ${fmtTick(s.values[ci])}${err !== undefined ? ` ± ${fmtTick(err)}` : ''}`}</title>
                  </rect>
                  {err !== undefined && err > 0 && (
                    <g className="chart__whisker">
                      <line x1={x(s.values[ci] - err)} x2={x(s.values[ci] + err)} y1={y0 + h / 2} y2={y0 + h / 2} />
                      <line x1={x(s.values[ci] - err)} x2={x(s.values[ci] - err)} y1={y0 + 2} y2={y0 + h - 2} />
                      <line x1={x(s.values[ci] + err)} x2={x(s.values[ci] + err)} y1={y0 + 2} y2={y0 + h - 2} />
                    </g>
                  )}
                </g>
              );
            })}
          </g>
        ))}
        {spec.valueLabel && <text x={(M.l + W - M.r) / 2} y={H - 6} className="chart__label" textAnchor="middle">{spec.valueLabel}</text>}
      </svg>
    );
  }
  const H = 240, M = { l: 44, r: 12, t: 12, b: 48 };
  const y = linear(lo, hi, H - M.b, M.t);
  const band = (W - M.l - M.r) / Math.max(n, 1);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title}>
      {ticks(lo, hi).map((t) => (
        <g key={t}>
          <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="chart__grid" />
          <text x={M.l - 4} y={y(t) + 3} className="chart__tick" textAnchor="end">{fmtTick(t)}</text>
        </g>
      ))}
      {spec.categories.map((c, ci) => (
        <g key={c}>
          {spec.series.map((s, si) => (
            <rect key={s.name} x={M.l + ci * band + 4 + (si * (band - 8)) / k} width={(band - 8) / k} y={Math.min(y(0), y(s.values[ci]))} height={Math.abs(y(s.values[ci]) - y(0))} fill={SERIES_COLOURS[si % SERIES_COLOURS.length]}>
              <title>{`${c} · ${s.name}: ${s.values[ci]}`}</title>
            </rect>
          ))}
          <text x={M.l + ci * band + band / 2} y={H - M.b + 14} className="chart__tick" textAnchor="middle">{c.length > 10 ? `${c.slice(0, 9)}…` : c}</text>
        </g>
      ))}
    </svg>
  );
}
