/**
 * Turning what profileOn's passes return into a ColumnProfile: histogram bins from DuckDB's
 * histogram() buckets or from value groups, quantiles from value groups, numbers and top values
 * made JSON-friendly. The SQL of those passes is profile-plan.ts.
 */
import type { ColumnProfile } from '../spec/table-page.ts';
import { binBounds, QUANTILES } from './profile-plan.ts';

export const QUANTILE_NAMES = ['p05', 'p25', 'p50', 'p75', 'p95'];

/** A quantile_cont list (or null) as the profile's named quantiles. */
export function quantilesOf(list: unknown): Record<string, number | null> {
  const qs = (list as unknown[] | null) ?? [];
  return Object.fromEntries(QUANTILE_NAMES.map((name, k) => [name, num(qs[k])]));
}

/** Quantiles of the values `sorted` stands for (ascending, each with how many rows hold it). */
export function quantilesOfValues(sorted: [value: number, count: number][]): Record<string, number | null> {
  return Object.fromEntries(QUANTILE_NAMES.map((name, k) => [name, quantileOfValues(sorted, QUANTILES[k])]));
}

/**
 * Histogram from histogramAgg's buckets (map entries in boundary order, the overflow "Infinity"
 * bucket last), or, when lo = hi, from the column's count less its `nonFinite` values.
 */
export function histogramOfBuckets(result: unknown, lo: number, hi: number, bins: number, nonFinite = 0): NonNullable<ColumnProfile['histogram']> {
  if (!(hi > lo)) return histogramBins([Number(result) - nonFinite], lo, hi);
  const width = (hi - lo) / bins;
  const entries = (result as { key: number | string; value: number | string | bigint }[] | null) ?? [];
  const counts = new Array(bins).fill(0);
  const keys = entries.map((e) => Number(e.key));
  entries.forEach((e, i) => {
    const b = Number.isFinite(keys[i]) ? Math.min(bins - 1, Math.round((keys[i] - lo) / width) - 1) : bins - 1;
    counts[Math.max(0, b)] += Number(e.value);
  });
  return histogramBins(counts, lo, hi);
}

/**
 * A sample's histogram scaled to `total` values: each bin's share of the sample times total,
 * rounded so the counts add up to total (largest remainders first). The first and last bins hold
 * the column's min and max, so they get at least one value even where the sample had none there
 * (taken from the fullest bin): an outlier that sets the range never shows as an empty end.
 */
export function scaledHistogram(sample: NonNullable<ColumnProfile['histogram']>, total: number): NonNullable<ColumnProfile['histogram']> {
  const n = sample.reduce((a, b) => a + b.count, 0);
  const exact = sample.map((b) => (n ? (b.count * total) / n : 0));
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, c) => a + c, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - counts[i] })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; left > 0 && k < byRemainder.length; k++, left--) counts[byRemainder[k].i]++;
  for (const end of new Set([0, counts.length - 1])) {
    const fullest = counts.indexOf(Math.max(...counts));
    if (counts[end] > 0 || counts[fullest] < 2) continue;
    counts[fullest]--;
    counts[end]++;
  }
  return sample.map((b, i) => ({ ...b, count: counts[i] }));
}

/** Histogram bins from their counts: equal widths from lo to hi, x1 of the last bin exactly hi (one bin of width 1 when lo = hi). */
function histogramBins(counts: number[], lo: number, hi: number): NonNullable<ColumnProfile['histogram']> {
  if (!(hi > lo)) return [{ x0: lo, x1: lo + 1, count: counts[0] ?? 0 }];
  const width = (hi - lo) / counts.length;
  return counts.map((count, b) => ({ x0: lo + b * width, x1: b === counts.length - 1 ? hi : lo + (b + 1) * width, count }));
}

/**
 * The histogram histogramAgg gives, from each value and how many rows hold it: a value goes to
 * the first bin whose (nudged) upper boundary it does not pass. NaN and infinities are left out.
 */
export function histogramOfValues(values: [value: number, count: number][], lo: number, hi: number, bins: number): NonNullable<ColumnProfile['histogram']> {
  const finite = values.filter(([v]) => Number.isFinite(v));
  if (!(hi > lo)) return histogramBins([finite.reduce((s, [, n]) => s + n, 0)], lo, hi);
  const bounds = binBounds(lo, hi, bins);
  const counts = new Array<number>(bins).fill(0);
  for (const [v, n] of finite) {
    let b = 0;
    while (b < bins - 1 && v > bounds[b]) b++;
    counts[b] += n;
  }
  return histogramBins(counts, lo, hi);
}

/**
 * quantile_cont (linear interpolation between the two nearest ranks, as DuckDB and numpy's default)
 * of the values that `sorted` (ascending, each with how many rows hold it) stands for.
 */
function quantileOfValues(sorted: [value: number, count: number][], q: number): number | null {
  const n = sorted.reduce((s, [, c]) => s + c, 0);
  if (!n) return null;
  const pos = q * (n - 1);
  const below = Math.floor(pos);
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const [v, c] of sorted) {
      seen += c;
      if (rank < seen) return v;
    }
    return sorted[sorted.length - 1][0];
  };
  const lo = valueAt(below);
  const hi = valueAt(Math.ceil(pos));
  return lo + (pos - below) * (hi - lo);
}

export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

export function topValue(v: string, type: ColumnProfile['type']): string | number | boolean {
  if (type === 'boolean') return v === 'true';
  if (type === 'integer' || type === 'number') {
    // DuckDB writes nan, inf and -inf; JSON has no such numbers (jsonSafe's spelling instead).
    const n = Number(v);
    return Number.isFinite(n) ? n : /nan/i.test(v) ? 'NaN' : v.startsWith('-') ? '-Infinity' : 'Infinity';
  }
  return v;
}

/** A number as DuckDB writes it in text: nan, inf and -inf included. */
export function numberOfText(v: string): number {
  const n = Number(v);
  return !Number.isNaN(n) || /nan/i.test(v) ? n : v.trimStart().startsWith('-') ? -Infinity : Infinity;
}

/**
 * What the pass over every row gives a numeric column, from its values and how many rows hold
 * each: count (NaN and infinities included), NaN and infinite counts, and min, max, mean and
 * sample std of the finite values (std as stddev_samp: null below two values). `finite` comes back
 * sorted ascending. Two passes over the values, so the std suffers no cancellation.
 */
export function numbersOfValues(values: [value: number, count: number][]) {
  let count = 0;
  let nan = 0;
  let infinite = 0;
  const finite: [number, number][] = [];
  for (const [v, n] of values) {
    count += n;
    if (Number.isFinite(v)) finite.push([v, n]);
    else if (Number.isNaN(v)) nan += n;
    else infinite += n;
  }
  finite.sort((a, b) => a[0] - b[0]);
  let rows = 0;
  let sum = 0;
  for (const [v, n] of finite) {
    rows += n;
    sum += v * n;
  }
  const mean = rows ? sum / rows : null;
  let squares = 0;
  for (const [v, n] of finite) squares += n * (v - mean!) ** 2;
  return {
    count,
    nan,
    infinite,
    finite,
    min: finite.length ? finite[0][0] : null,
    max: finite.length ? finite[finite.length - 1][0] : null,
    mean,
    std: rows > 1 ? Math.sqrt(squares / (rows - 1)) : null,
  };
}
