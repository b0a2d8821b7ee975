/**
 * The plan of a profile: the SQL of each pass profileOn runs (the range from Parquet statistics,
 * distinct-count estimates, the pass of counts, moments and histograms, the quantile sample, the
 * top-values groups). Turning what comes back into a ColumnProfile is profile-results.ts.
 */
import { ident, literal } from './engine.ts';
import type { ColumnSchema } from '../spec/index.ts';

/** Rows in the quantile sample of a large table. */
export const SAMPLE_ROWS = 32_768;
/** Large tables: distinct counts are estimated from the values in 1/DISTINCT_SAMPLE of the hash range... */
const DISTINCT_SAMPLE = 16;
/** ...and counted exactly where that estimate is below this. */
export const EXACT_DISTINCT_BELOW = 16_384;
export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
const QUANTILE_LIST = `[${QUANTILES.join(', ')}]`;

/** Bytes of a row group's dictionary page, at most, for its column to count as few-valued there (see dictionaryColumnsSql). */
const SMALL_DICTIONARY = 20_000;

export const numeric = (c: ColumnSchema) => c.type === 'number' || c.type === 'integer';

/** Whole numbers and floating point, as stored (not DECIMAL): min and max need no cast. */
const storedNumber = (c: ColumnSchema) => c.type === 'integer' || /^(DOUBLE|FLOAT|REAL)$/.test(c.dbType.toUpperCase());

/** min or max of a column for step 0 (whole numbers and dates as stored, so Parquet statistics answer it). */
export function rangeAgg(c: ColumnSchema, fn: 'min' | 'max'): string {
  const q = ident(c.name);
  if (c.type === 'date' || c.type === 'timestamp') return `CAST(${fn}(${q}) AS VARCHAR)`;
  return storedNumber(c) ? `${fn}(${q})` : `${fn}(CAST(${q} AS DOUBLE))`;
}

/**
 * A numeric column as the DOUBLE its statistics are computed on, with its range from step 0. A
 * floating-point column whose range is not finite holds NaN or an infinity: its values are kept
 * only where finite (the rest become NULL, which every aggregate skips).
 */
export function finiteValue(c: ColumnSchema, r: { lo: unknown; hi: unknown }): { sql: string; nonFinite: boolean; lo: number | null; hi: number | null } {
  const d = `CAST(${ident(c.name)} AS DOUBLE)`;
  const lo = r.lo === null ? null : Number(r.lo);
  const hi = r.hi === null ? null : Number(r.hi);
  const nonFinite = lo !== null && hi !== null && !(Number.isFinite(lo) && Number.isFinite(hi));
  return { sql: nonFinite ? `CASE WHEN isfinite(${d}) THEN ${d} END` : d, nonFinite, lo, hi };
}

export const quantileAgg = (value: string) => `quantile_cont(${value}, ${QUANTILE_LIST})`;

/** histogram() of a DOUBLE expression over `bins` equal bins from lo to hi (lo < hi), as [x0, x1) bins. */
export function histogramAgg(value: string, lo: number, hi: number, bins: number): string {
  const bounds = binBounds(lo, hi, bins);
  return `histogram(${value}, [${bounds.map((b) => b.toPrecision(17)).join(', ')}]::DOUBLE[])`;
}

/** A UBIGINT literal: hashes below it are a `fraction` of all 64-bit hashes. */
export function hashBelow(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  return `${BigInt(Math.floor(f * 2 ** 53)) << 11n}::UBIGINT`;
}

/**
 * Distinct counts of large columns (rows: column index, estimate), estimated by counting exactly
 * the distinct values whose hash falls in 1/DISTINCT_SAMPLE of the hash range (each value is in
 * or out as a whole: a sample of the values, not of the rows). Relative error about
 * 1/sqrt(distinct/DISTINCT_SAMPLE), under 2% above EXACT_DISTINCT_BELOW, where DuckDB's
 * approx_count_distinct was off by up to 50% on the ingest bench, at about half its CPU time.
 * One small query per column: the WHERE drops 15 rows in 16 before any aggregate sees them.
 */
export function distinctEstimates(columns: ColumnSchema[], which: number[], from: string): string {
  return which.map((j) => `SELECT ${j} AS j, count(DISTINCT ${ident(columns[j].name)}) * ${DISTINCT_SAMPLE} AS n FROM ${from} WHERE hash(${ident(columns[j].name)}) < ${hashBelow(1 / DISTINCT_SAMPLE)}`).join(' UNION ALL ');
}

/**
 * The upper boundaries of the first bins - 1 of `bins` equal bins from lo to hi, each nudged down
 * by one ulp: DuckDB's histogram() puts x == boundary in the lower bucket, so these give numpy's
 * [x0, x1) bins. histogramOfValues bins values by the same boundaries.
 */
export function binBounds(lo: number, hi: number, bins: number): number[] {
  const width = (hi - lo) / bins;
  return Array.from({ length: bins - 1 }, (_, b) => nextDown(lo + (b + 1) * width));
}

/** The largest double below x. */
export function nextDown(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return x;
  if (x === 0) return -Number.MIN_VALUE;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  buf.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return buf.getFloat64(0);
}

/**
 * Top values of several columns in one scan: GROUP BY GROUPING SETS, one set per column. Rows:
 * gid (GROUPING() sets a bit for every column NOT grouped; the one clear bit names the set), one
 * text column per input column (its value in its own set, NULL elsewhere), n (rows holding the
 * value), groups (values in the set, "missing" included), rk (rank by n). Each set returns its
 * `top` most frequent values, or every group where `everyGroup` is set and it has at most
 * `maxGroups` groups.
 */
export function topValuesSql(batch: { column: ColumnSchema; everyGroup: boolean }[], from: string, top: number, maxGroups: number): string {
  const g = batch.map((_, i) => `g${i}`);
  // Grouped on the stored values; only the few rows that come back are cast to text.
  const inner = `SELECT ${batch.map(({ column }, i) => `${ident(column.name)} AS g${i}`).join(', ')} FROM ${from}`;
  const groups = `SELECT GROUPING(${g.join(', ')}) AS gid, ${g.join(', ')}, count(*) AS n FROM (${inner}) GROUP BY GROUPING SETS (${g.map((x) => `(${x})`).join(', ')})`;
  const ranked = `SELECT *, row_number() OVER (PARTITION BY gid ORDER BY n DESC) AS rk, count(*) OVER (PARTITION BY gid) AS groups FROM (${groups})`;
  const all = (1n << BigInt(batch.length)) - 1n;
  const everyGroup = batch.flatMap(({ everyGroup }, i) => (everyGroup ? [all ^ (1n << BigInt(batch.length - 1 - i))] : []));
  const keep = `rk <= ${top}${everyGroup.length ? ` OR (gid IN (${everyGroup.join(', ')}) AND groups <= ${maxGroups})` : ''}`;
  // A FLOAT as text is its shortest float spelling, not the double it is (min, max, bins use that).
  const asText = (x: string, c: ColumnSchema) => (/^(FLOAT|REAL)$/i.test(c.dbType) ? `CAST(CAST(${x} AS DOUBLE) AS VARCHAR)` : `CAST(${x} AS VARCHAR)`);
  return `SELECT gid, ${g.map((x, i) => asText(x, batch[i].column)).join(', ')}, n, groups, rk FROM (${ranked}) WHERE ${keep}`;
}

/**
 * Names of the columns of a Parquet file that are dictionary-encoded in every row group, each
 * dictionary page at most SMALL_DICTIONARY bytes: a few thousand values per row group at most
 * (table files cap dictionaries at 16 KB, and a column with more values is written plain). Such
 * a column goes straight to the top-values groups, which count its values exactly, instead of
 * first having its distinct count estimated in a pass of its own. Free: the file's footer.
 */
export function dictionaryColumnsSql(file: string): string {
  return `SELECT path_in_schema FROM parquet_metadata(${literal(file)}) GROUP BY path_in_schema HAVING bool_and(encodings LIKE '%DICTIONARY%' AND data_page_offset - dictionary_page_offset <= ${SMALL_DICTIONARY})`;
}
