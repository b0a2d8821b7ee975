/**
 * One way to show numbers, percentages, dates and times everywhere in the studio (grids, result
 * tables, profiles, run lists, the log).
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** 14:02:05 */
export function formatTime(t: number | Date | string): string {
  const d = t instanceof Date ? t : new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 2014-03-02 (ISO order reads the same in every locale and sorts); the local calendar day. */
export function formatDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "14:02" for a time today, else "2014-03-02 14:02". */
export function formatWhen(t: number | Date | string, now = new Date()): string {
  const d = t instanceof Date ? t : new Date(t);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return formatDate(d) === formatDate(now) ? hm : `${formatDate(d)} ${hm}`;
}

/** 2014-03-02 14:02:05 (local time). */
export function formatDateTime(t: number | Date | string): string {
  const d = t instanceof Date ? t : new Date(t);
  return `${formatDate(d)} ${formatTime(d)}`;
}

const group = (v: number, digits: number) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * A metric or any measured number: four decimals below 1,000 (so 1 reads "1.0000" beside
 * "0.9500", never "1"), one decimal with thousands separators above, scientific past a million or
 * below 0.0001. Missing is "–".
 */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(2);
  return a >= 1000 ? group(v, 1) : v.toFixed(4);
}

/** A count: whole, with thousands separators (1,257). */
export function formatCount(v: number): string {
  return group(v, 0);
}

/** A percentage given as 0–100: one decimal ("12.5%", "0.0%"). */
export function formatPercent(pct: number): string {
  return Number.isFinite(pct) ? `${pct.toFixed(1)}%` : '–';
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date or date-time value as the tables show it: "2012-01-01", "2012-01-01 13:45:00" (no T, no milliseconds). */
export function formatDateValue(v: string | number | Date): string {
  if (typeof v === 'number' || v instanceof Date) {
    const d = new Date(v);
    return d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() ? d.toISOString().slice(0, 19).replace('T', ' ') : d.toISOString().slice(0, 10);
  }
  const m = ISO_DATE.exec(v);
  if (!m) return v;
  return m[2] ? `${m[1]} ${m[2].length === 5 ? `${m[2]}:00` : m[2]}` : m[1];
}

/** One table cell: missing "∅", dates as dates, numbers by `numbers` (the column's format), the rest as text. */
export function formatCell(v: unknown, numbers: (n: number) => string = formatMetric): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'number') return numbers(v);
  if (typeof v === 'string') return ISO_DATE.test(v) ? formatDateValue(v) : v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * The format for one column of numbers: counts when every value is whole (row numbers, folds,
 * support), else metrics — so a column never mixes "1" with "0.9500".
 */
export function columnFormat(values: readonly unknown[]): (n: number) => string {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return numbers.every((v) => Number.isInteger(v)) ? formatCount : formatMetric;
}

/** Metrics that count things (drift's drifted_columns, a profile's rows): names that say so. */
const COUNT_METRIC = /^(n|rows|columns|cells|count|support|trials|folds)$|^n_|_(count|columns|cells|checked|rows|trials|folds|iterations)$/;

/** Metrics given as 0–100 percentages (a profile's missing_cells_pct): names that say so. */
const PERCENT_METRIC = /(_pct|_percent)$/;

/** A named metric: a percentage as one ("2.5%"), a whole-number count as a count ("2"), every score as formatMetric ("1.0000"). */
export function formatNamedMetric(name: string, v: number | null | undefined): string {
  const short = name.slice(name.lastIndexOf('.') + 1);
  if (typeof v === 'number' && PERCENT_METRIC.test(short)) return formatPercent(v);
  return typeof v === 'number' && Number.isInteger(v) && COUNT_METRIC.test(short) ? formatCount(v) : formatMetric(v);
}

/** A pipeline's name as a file name's stem: lower-case letters and digits joined by dashes ("pipeline" when none is left). */
export const fileSlug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'pipeline';
