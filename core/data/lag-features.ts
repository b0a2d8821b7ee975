/**
 * Lag and rolling-window features per series: for each row, values of the same entity (key
 * columns) from rows STRICTLY EARLIER in time — never the row itself, never a row at the same
 * time, never a later one. So a feature can be computed for a row the moment it happens, and no
 * future row can change it (test/core/data/lag-features.leakage.test.ts shuffles and rewrites
 * the future to check).
 *
 * - lag k: the value k rows earlier in the series (`<col>_lag<k>`).
 * - a window over the last N rows (`<col>_<stat>_last<N>`) or over a time span before the row
 *   (`<col>_<stat>_<span>`, e.g. sales_mean_7d: rows in [t − 7 days, t)).
 * - stats: mean, sum, min, max, std (sample, n − 1), count (of non-missing values). Missing values
 *   are skipped; every stat but count is missing when its window holds no value (std: fewer than 2).
 *
 * The start of each series (the rule the `start` param picks):
 * - "missing" (default): a lag k is missing until the series has k earlier rows; a window is
 *   computed only once the series' history covers all of it — N earlier rows, or a first row at
 *   least the span before. Until then every stat, count included, is missing.
 * - "partial": windows use whatever earlier rows there are (count 0 and the other stats missing
 *   for the first row). Lags are missing until there are k earlier rows either way.
 *
 * Rows sharing a time in one series share their features (none sees the others). A row with a
 * missing time gets missing features and is nobody's history. A missing key is a key of its own.
 */
import { FlowlineError } from '../spec/errors.ts';
import { defineWorkerTask } from '../spec/worker-task.ts';

export const LAG_STATS = ['mean', 'sum', 'min', 'max', 'std', 'count'] as const;
export type LagStat = (typeof LAG_STATS)[number];

export interface LagSpec {
  columns: string[];
  lags: number[];
  /** Windows over the last N rows. */
  windows: number[];
  /** Windows over a time span, as written ("7 days", "24h"); see parseSpan. */
  spans: string[];
  stats: LagStat[];
  start: 'missing' | 'partial';
}

export interface ParsedSpan {
  /** In the time column's units: ms for dates and timestamps. */
  width: number;
  /** For output names: "7d", "24h", "30min", "2w", or the plain number. */
  label: string;
}

const UNITS: [RegExp, number, string][] = [
  [/^(m|min|mins|minute|minutes)$/, 60_000, 'min'],
  [/^(h|hr|hrs|hour|hours)$/, 3_600_000, 'h'],
  [/^(d|day|days)$/, 86_400_000, 'd'],
  [/^(w|week|weeks)$/, 604_800_000, 'w'],
];

/**
 * "7 days", "7d", "24 hours", "30 min", "2 weeks" for a date or timestamp column; a plain
 * number ("5") for a numeric time column (in its own units). A clear error for anything else.
 */
export function parseSpan(text: string, timeIsDate: boolean): ParsedSpan {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const bad = (why: string) =>
    new FlowlineError({ code: 'INVALID_PARAM', path: ['spans'], message: `Lag & Rolling Features: time span "${text}" ${why}.`, hint: timeIsDate ? 'Write a number and a unit: "7 days", "24 hours", "30 minutes", "2 weeks".' : 'The time column holds numbers: write a plain number in its units, e.g. "5".' });
  if (!m || Number(m[1]) <= 0) throw bad('is not a positive number with a unit');
  const amount = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (!timeIsDate) {
    if (unit) throw bad('has a unit, but the time column holds plain numbers');
    return { width: amount, label: m[1] };
  }
  const u = UNITS.find(([re]) => re.test(unit));
  if (!u) throw bad(unit ? `has an unknown unit "${m[2]}"` : 'needs a unit, since the time column holds dates');
  return { width: amount * u[1], label: `${m[1]}${u[2]}` };
}

/** Output column names in output order: every column's lags, then its row windows, then its spans. */
export function lagOutputNames(spec: Pick<LagSpec, 'columns' | 'lags' | 'windows' | 'stats'>, spanLabels: string[]): string[] {
  return spec.columns.flatMap((c) => [
    ...spec.lags.map((k) => `${c}_lag${k}`),
    ...spec.windows.flatMap((n) => spec.stats.map((s) => `${c}_${s}_last${n}`)),
    ...spanLabels.flatMap((label) => spec.stats.map((s) => `${c}_${s}_${label}`)),
  ]);
}

export interface LagPayload {
  /** Time per row (epoch ms for dates; NaN = missing). */
  time: Float64Array;
  /** Series key per row (the key columns joined); one series when absent. */
  series?: (string | null)[];
  values: Record<string, Float64Array>;
  spec: LagSpec;
  spans: ParsedSpan[];
}

/** Rows in series order: each series' row indices sorted by (time, row); rows with no time left out. */
function seriesOf(time: Float64Array, series: (string | null)[] | undefined): number[][] {
  const groups = new Map<string | null, number[]>();
  for (let i = 0; i < time.length; i++) {
    if (Number.isNaN(time[i])) continue;
    const key = series ? series[i] : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const out = [...groups.values()];
  for (const g of out) g.sort((a, b) => time[a] - time[b] || a - b);
  return out;
}

/** Stats of v[rows[from..to)], skipping missing values, in a fixed order (bit-identical reruns). */
function windowStats(v: Float64Array, rows: number[], from: number, to: number, stats: LagStat[], out: Float64Array[], at: number): void {
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  for (let p = from; p < to; p++) {
    const x = v[rows[p]];
    if (Number.isNaN(x)) continue;
    n++;
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = n ? sum / n : NaN;
  let std = NaN;
  if (stats.includes('std') && n > 1) {
    let ss = 0;
    for (let p = from; p < to; p++) {
      const x = v[rows[p]];
      if (!Number.isNaN(x)) ss += (x - mean) * (x - mean);
    }
    std = Math.sqrt(ss / (n - 1));
  }
  stats.forEach((s, j) => {
    out[j][at] = s === 'count' ? n : n === 0 ? NaN : s === 'mean' ? mean : s === 'sum' ? sum : s === 'min' ? min : s === 'max' ? max : std;
  });
}

/** Every output column (lagOutputNames order), aligned with the input rows. */
export function computeLagFeatures(p: LagPayload): Float64Array[] {
  const { time, spec, spans } = p;
  const n = time.length;
  const groups = seriesOf(time, p.series);
  const outputs: Float64Array[] = [];
  for (const column of spec.columns) {
    const v = p.values[column];
    const lagOut = spec.lags.map(() => new Float64Array(n).fill(NaN));
    const winOut = spec.windows.map(() => spec.stats.map(() => new Float64Array(n).fill(NaN)));
    const spanOut = spans.map(() => spec.stats.map(() => new Float64Array(n).fill(NaN)));
    for (const rows of groups) {
      const first = time[rows[0]];
      const left = spans.map(() => 0);
      let earlier = 0; // rows of the series strictly before the current time
      for (let q = 0; q < rows.length; q++) {
        const i = rows[q];
        const t = time[i];
        if (q > 0 && time[rows[q - 1]] < t) earlier = q;
        spec.lags.forEach((k, j) => {
          if (earlier >= k) lagOut[j][i] = v[rows[earlier - k]];
        });
        spec.windows.forEach((size, j) => {
          if (spec.start === 'missing' && earlier < size) return;
          windowStats(v, rows, Math.max(0, earlier - size), earlier, spec.stats, winOut[j], i);
        });
        spans.forEach((span, j) => {
          if (spec.start === 'missing' && first > t - span.width) return;
          while (left[j] < earlier && time[rows[left[j]]] < t - span.width) left[j]++;
          windowStats(v, rows, left[j], earlier, spec.stats, spanOut[j], i);
        });
      }
    }
    outputs.push(...lagOut, ...winOut.flat(), ...spanOut.flat());
  }
  return outputs;
}

export const lagFeaturesTask = defineWorkerTask('data.lagFeatures', (payload: LagPayload): Float64Array[] => computeLagFeatures(payload));
