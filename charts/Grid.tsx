/** Grid lines with their tick labels, shared by the SVG charts (pure: props in, SVG out). */
import { fmtTick, ticks } from './scale.ts';

/** Vertical lines at "nice" values of x from lo to hi, labelled under `bottom`. */
export function XGrid({ x, lo, hi, top, bottom, count = 4, gap = 12 }: { x: (v: number) => number; lo: number; hi: number; top: number; bottom: number; count?: number; gap?: number }) {
  return (
    <>
      {ticks(lo, hi, count).map((t) => (
        <g key={`x${t}`}>
          <line x1={x(t)} x2={x(t)} y1={top} y2={bottom} className="chart__grid" />
          <text x={x(t)} y={bottom + gap} className="chart__tick" textAnchor="middle">{fmtTick(t)}</text>
        </g>
      ))}
    </>
  );
}

/** Horizontal lines at "nice" values of y from lo to hi, labelled left of `left`. */
export function YGrid({ y, lo, hi, left, right }: { y: (v: number) => number; lo: number; hi: number; left: number; right: number }) {
  return (
    <>
      {ticks(lo, hi).map((t) => (
        <g key={`y${t}`}>
          <line x1={left} x2={right} y1={y(t)} y2={y(t)} className="chart__grid" />
          <text x={left - 4} y={y(t) + 3} className="chart__tick" textAnchor="end">{fmtTick(t)}</text>
        </g>
      ))}
    </>
  );
}
