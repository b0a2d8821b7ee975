import type { ChartSpec } from '../core/spec/values.ts';

type Heat = Extract<ChartSpec, { kind: 'heatmap' }>;

export function Heatmap({ spec }: { spec: Heat }) {
  const cell = Math.max(18, Math.min(48, Math.floor(260 / Math.max(spec.cols.length, spec.rows.length, 1))));
  const M = { l: 90, t: 24, r: 8, b: 40 };
  const W = M.l + spec.cols.length * cell + M.r;
  const H = M.t + spec.rows.length * cell + M.b;
  const all = spec.values.flat();
  const max = Math.max(...all, 1e-12);
  const min = Math.min(...all, 0);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="chart" role="img" aria-label={spec.title} style={{ maxWidth: W * 1.4 }}>
      {spec.rows.map((r, ri) => (
        <g key={r}>
          <text x={M.l - 6} y={M.t + ri * cell + cell / 2 + 4} className="chart__tick" textAnchor="end">{r.length > 12 ? `${r.slice(0, 11)}…` : r}</text>
          {spec.cols.map((c, ci) => {
            const v = spec.values[ri]?.[ci] ?? 0;
            const t = (v - min) / (max - min || 1);
            return (
              <g key={c}>
                <rect x={M.l + ci * cell} y={M.t + ri * cell} width={cell - 1} height={cell - 1} fill={`rgba(47,127,216,${0.08 + t * 0.85})`}>
                  <title>{`${spec.rowLabel ?? 'row'} ${r}, ${spec.colLabel ?? 'column'} ${c}: ${v}`}</title>
                </rect>
                <text x={M.l + ci * cell + cell / 2} y={M.t + ri * cell + cell / 2 + 4} textAnchor="middle" className="chart__cell" fill={t > 0.55 ? '#fff' : 'var(--text)'}>{Number.isInteger(v) ? v : v.toFixed(2)}</text>
              </g>
            );
          })}
        </g>
      ))}
      {spec.cols.map((c, ci) => (
        <text key={c} x={M.l + ci * cell + cell / 2} y={M.t + spec.rows.length * cell + 14} className="chart__tick" textAnchor="middle">{c.length > 8 ? `${c.slice(0, 7)}…` : c}</text>
      ))}
      {spec.colLabel && <text x={M.l + (spec.cols.length * cell) / 2} y={H - 6} className="chart__label" textAnchor="middle">{spec.colLabel}</text>}
      {spec.rowLabel && <text x={4} y={14} className="chart__label">{spec.rowLabel}</text>}
    </svg>
  );
}
