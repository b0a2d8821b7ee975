/** Linear scale and "nice" ticks for the SVG charts. */
export function linear(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

export function ticks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

export const fmtTick = (v: number) => (Math.abs(v) >= 1000 ? v.toLocaleString('en', { maximumFractionDigits: 0 }) : String(Math.round(v * 1000) / 1000));

export const SERIES_COLOURS = ['#2f7fd8', '#d9822b', '#3aa14a', '#c23f7a', '#8c5bb5', '#1f9d8b', '#6b7785'];

/** Tick text is 10 user units high; an average character is about 6 wide. */
const CHAR_W = 6;

/** Left margin that fits the longest label (at most `max`), and the labels cut to fit it. */
export function labelMargin(labels: string[], max = 150, min = 40): { width: number; fit: (label: string) => string } {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  const width = Math.max(min, Math.min(max, 12 + CHAR_W * longest));
  const chars = Math.floor((width - 12) / CHAR_W);
  return { width, fit: (l) => (l.length > chars ? `${l.slice(0, chars - 1)}…` : l) };
}
