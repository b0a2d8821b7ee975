/**
 * What the Preview tab shows: a page of rows and a profile of every column (type, missing, distinct,
 * min/max/mean/std, quantiles, top values, histogram). Everything returned is JSON-safe: bigints
 * become numbers (or strings past 2^53), dates ISO strings.
 *
 * The statistics come from DuckDB's parallel aggregates: they are for display, not for models,
 * so their last digits may differ between runs. Large tables (over EXACT_LIMIT
 * rows) get quantiles from a sample of rows and estimated distinct counts for columns with many
 * distinct values (columns with few are counted exactly).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { ColumnProfile, TablePage } from '../spec/table-page.ts';
import { FlowlineError, ROW_ID, type ColumnSchema, type TableRef } from '../spec/index.ts';
import { duckdbMemoryLimit, ident, literal, SMALL_MEMORY, withConnection } from './engine.ts';
import { columnSchemas, relation } from './tables.ts';

/** Above this many rows, quantiles come from a sample and large distinct counts are estimated. */
export const EXACT_LIMIT = 200_000;
export const HISTOGRAM_BINS = 20;
/** Rows in the quantile sample of a large table. */
const SAMPLE_ROWS = 32_768;
/** Large tables: distinct counts are estimated from the values in 1/DISTINCT_SAMPLE of the hash range... */
const DISTINCT_SAMPLE = 16;
/** ...and counted exactly where that estimate is below this. */
const EXACT_DISTINCT_BELOW = 16_384;
export const TOP_VALUES = 10;
/** Text columns with more distinct values than this (ids, free text) get no top-values list. */
export const TOP_MAX_DISTINCT = 100_000;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
const QUANTILE_NAMES = ['p05', 'p25', 'p50', 'p75', 'p95'];
const QUANTILE_LIST = `[${QUANTILES.join(', ')}]`;

/** A JS value from DuckDB made JSON-safe. */
export function jsonSafe(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (typeof v === 'object') return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? jsonSafe(x) : x)));
  return v;
}

/** SELECT expression that reads a column in a JSON-friendly form. */
function displayExpr(c: ColumnSchema): string {
  const q = ident(c.name);
  if (c.type === 'date') return `CAST(${q} AS VARCHAR)`;
  if (c.type === 'timestamp') return `replace(CAST(${q} AS VARCHAR), ' ', 'T')`;
  if (c.type === 'number' && c.dbType.startsWith('DECIMAL')) return `CAST(${q} AS DOUBLE)`;
  if (c.type === 'other') return `CAST(${q} AS VARCHAR)`;
  return q;
}

/** One page of rows in ROW_ID order (or sorted by a column, ties in ROW_ID order). */
export async function pageOf(t: TableRef, offset: number, limit: number, orderBy?: { column: string; descending?: boolean }): Promise<TablePage> {
  const columns = t.columns;
  if (orderBy && !columns.some((c) => c.name === orderBy.column)) {
    throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: orderBy.column, message: `Cannot sort by "${orderBy.column}": no such column.` });
  }
  const order = orderBy ? `${ident(orderBy.column)} ${orderBy.descending ? 'DESC' : 'ASC'} NULLS LAST, ${ident(ROW_ID)}` : ident(ROW_ID);
  const select = columns.length ? columns.map((c) => `${displayExpr(c)} AS ${ident(c.name)}`).join(', ') : '1';
  const lim = Math.max(0, Math.floor(limit));
  const off = Math.max(0, Math.floor(offset));
  return withConnection(async (con) => {
    const reader = await con.runAndReadAll(`SELECT ${select} FROM ${relation(t)} ORDER BY ${order} LIMIT ${lim} OFFSET ${off}`);
    const rows = columns.length ? reader.getRowsJS().map((r) => r.map(jsonSafe)) : reader.getRowsJS().map(() => []);
    return { columns, rows, offset: off, totalRows: t.rowCount };
  });
}

export interface ProfileOptions {
  bins?: number;
  top?: number;
}

/**
 * Profile of every visible column. Table files never change once written, so the result is kept
 * next to the file (`<table>.profile-<bins>-<top>.json`) and the next preview reads it back.
 */
export async function profileOf(t: TableRef | { path: string }, opts: ProfileOptions = {}): Promise<ColumnProfile[]> {
  const saved = `${t.path}.profile-${opts.bins ?? HISTOGRAM_BINS}-${opts.top ?? TOP_VALUES}.json`;
  try {
    const [p, f] = await Promise.all([stat(saved), stat(t.path)]);
    if (p.mtimeMs >= f.mtimeMs) return JSON.parse(await readFile(saved, 'utf8')) as ColumnProfile[];
  } catch {
    // not saved yet (or unreadable): compute it
  }
  const profile = await withConnection(async (con) => profileOn(con, relation(t), opts, await parquetRanges(con, t.path)));
  const tmp = `${saved}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(profile))
    .then(() => rename(tmp, saved))
    .catch(() => rm(tmp, { force: true }).catch(() => {}));
  return profile;
}

/** A numeric column's smallest and largest value, as a Parquet file's footer states them. */
export type ColumnRanges = Map<string, { min: number; max: number }>;

/**
 * Minimum and maximum of each whole-number and double column of a Parquet file, from the
 * statistics its writer kept per row group (reading them costs a few milliseconds): the range a
 * histogram needs is known before any row is read, so the histograms share the profile's first
 * pass. A column whose row groups lack statistics (DuckDB keeps none for a double column holding
 * NaN) is left out, and every range is checked against the true min and max of that pass anyway.
 */
export async function parquetRanges(con: DuckDBConnection, path: string): Promise<ColumnRanges> {
  const ranges: ColumnRanges = new Map();
  const unknown = new Set<string>();
  let rows: unknown[][];
  try {
    rows = (await con.runAndReadAll(`SELECT path_in_schema, stats_min_value, stats_max_value, row_group_num_rows, stats_null_count FROM parquet_metadata(${literal(path)})`)).getRowsJS();
  } catch {
    return ranges;
  }
  for (const [name, lo, hi, n, nulls] of rows) {
    const key = String(name);
    if (unknown.has(key) || Number(n) === Number(nulls)) continue; // an all-missing row group has no range
    const min = lo === null ? NaN : Number(lo);
    const max = hi === null ? NaN : Number(hi);
    if (!Number.isFinite(min) || !Number.isFinite(max)) {
      unknown.add(key);
      ranges.delete(key);
      continue;
    }
    const r = ranges.get(key);
    ranges.set(key, r ? { min: Math.min(r.min, min), max: Math.max(r.max, max) } : { min, max });
  }
  return ranges;
}

/**
 * Profile of every column (ROW_ID excluded) of any FROM-fragment, on a connection you hold.
 * `ranges` (parquetRanges of the file behind `from`) lets histograms share the first pass.
 */
export async function profileOn(con: DuckDBConnection, from: string, opts: ProfileOptions = {}, ranges: ColumnRanges = new Map()): Promise<ColumnProfile[]> {
  const bins = opts.bins ?? HISTOGRAM_BINS;
  const topN = opts.top ?? TOP_VALUES;
  const schema = await columnSchemas(con, `SELECT * FROM ${from}`);
  const columns = schema.filter((c) => c.name !== ROW_ID);
  if (!columns.length) return [];
  const hasRowId = schema.length > columns.length;

  // 1. One pass for counts, distinct counts, ranges, moments (and, when exact, quantiles) of every
  //    column. Large tables estimate distinct counts (distinctEstimates); the top-values pass below
  //    counts the low ones exactly.
  const rows = Number((await con.runAndReadAll(`SELECT count(*) FROM ${from}`)).getRowsJS()[0][0]);
  const exact = rows <= EXACT_LIMIT;
  const aggs: string[] = [];
  const estimated: number[] = [];
  for (const [j, c] of columns.entries()) {
    const q = ident(c.name);
    aggs.push(`count(${q})`);
    if (exact || c.type === 'boolean') aggs.push(`count(DISTINCT ${q})`);
    else {
      estimated.push(j);
      aggs.push('NULL');
    }
    if (numeric(c)) {
      const d = `CAST(${q} AS DOUBLE)`;
      // min/max on the stored type (cheaper than on a cast); DECIMAL and the like as doubles.
      const m = storedNumber(c) ? q : d;
      aggs.push(`min(${m})`, `max(${m})`, `avg(${d})`, `stddev_samp(${d})`);
      aggs.push(exact ? `quantile_cont(${d}, ${QUANTILE_LIST})` : 'NULL');
    } else if (c.type === 'boolean') {
      aggs.push('NULL', 'NULL', `avg(CAST(${q} AS DOUBLE))`, 'NULL', 'NULL');
    } else if (c.type === 'date' || c.type === 'timestamp') {
      aggs.push(`CAST(min(${q}) AS VARCHAR)`, `CAST(max(${q}) AS VARCHAR)`, 'NULL', 'NULL', 'NULL');
    } else {
      aggs.push(`min(length(CAST(${q} AS VARCHAR)))`, `max(length(CAST(${q} AS VARCHAR)))`, 'NULL', 'NULL', 'NULL');
    }
  }
  const per = 7;
  // Histograms whose range the file's footer states join this pass (checked against its min/max below).
  const early = new Map<number, { lo: number; hi: number; at: number }>();
  for (const [j, c] of columns.entries()) {
    const r = ranges.get(c.name);
    if (!r || !numeric(c) || !storedNumber(c)) continue;
    early.set(j, { lo: r.min, hi: r.max, at: aggs.length });
    aggs.push(r.max > r.min ? `map_entries(${histogramAgg(c, r.min, r.max, bins)})` : `count(${ident(c.name)})`);
  }
  const stats = (await con.runAndReadAll(`SELECT ${aggs.join(', ')} FROM ${from}`)).getRowsJS()[0];
  if (estimated.length && rows) {
    for (const [j, n] of (await con.runAndReadAll(distinctEstimates(columns, estimated, from))).getRowsJS()) stats[Number(j) * per + 1] = n;
  }
  const profiles: ColumnProfile[] = columns.map((c, j) => {
    const s = stats.slice(j * per, j * per + per);
    const count = Number(s[0]);
    const missing = rows - count;
    const p: ColumnProfile = {
      name: c.name,
      type: c.type,
      dbType: c.dbType,
      count,
      missing,
      missingPct: rows ? (100 * missing) / rows : 0,
      // An estimate can overshoot on a column with few values; never report more than there are.
      distinct: Math.min(count, Number(s[1])),
    };
    if (numeric(c)) {
      p.min = num(s[2]);
      p.max = num(s[3]);
      p.mean = num(s[4]);
      p.std = num(s[5]);
      const qs = (s[6] as unknown[] | null) ?? [];
      p.quantiles = Object.fromEntries(QUANTILE_NAMES.map((name, k) => [name, num(qs[k])]));
    } else if (c.type === 'boolean') {
      p.mean = num(s[4]);
    } else if (c.type === 'date' || c.type === 'timestamp') {
      p.min = s[2] === null ? null : String(s[2]).replace(' ', 'T');
      p.max = s[3] === null ? null : String(s[3]).replace(' ', 'T');
    }
    return p;
  });

  // 2. Histograms of numeric columns: DuckDB's histogram(x, boundaries) aggregate, all columns in
  //    one scan (the first pass, when the footer gave the range). It puts x == boundary in the lower
  //    bucket; nudging each boundary down by one ulp gives numpy's [x0, x1) bins (the last bin closed).
  const histCols = columns.map((c, j) => ({ c, j })).filter(({ c, j }) => numeric(c) && typeof profiles[j].min === 'number' && typeof profiles[j].max === 'number');
  const setHistogram = (j: number, result: unknown) => {
    const p = profiles[j];
    const lo = p.min as number;
    const hi = p.max as number;
    if (!(hi > lo)) {
      p.histogram = [{ x0: lo, x1: lo + 1, count: Number(result) }];
      return;
    }
    const width = (hi - lo) / bins;
    const entries = (result as { key: number | string; value: number | string | bigint }[] | null) ?? [];
    const counts = new Array(bins).fill(0);
    // Buckets come back in boundary order, the overflow ("Infinity") bucket last.
    const keys = entries.map((e) => Number(e.key));
    entries.forEach((e, i) => {
      const b = Number.isFinite(keys[i]) ? Math.min(bins - 1, Math.round((keys[i] - lo) / width) - 1) : bins - 1;
      counts[Math.max(0, b)] += Number(e.value);
    });
    p.histogram = counts.map((count, b) => ({ x0: lo + b * width, x1: b === bins - 1 ? hi : lo + (b + 1) * width, count }));
  };
  // A footer range that is not the column's true range (a FLOAT's rounded statistics): scan again.
  const late = histCols.filter(({ j }) => {
    const e = early.get(j);
    if (!e || e.lo !== profiles[j].min || e.hi !== profiles[j].max) return true;
    setHistogram(j, stats[e.at]);
    return false;
  });
  if (histCols.length && rows) {
    // Large tables: quantiles of a sample of about SAMPLE_ROWS rows, chosen by a hash of the row id
    // (the same rows every time, spread over the whole file). Rank error about 0.3%: enough for a
    // preview, far cheaper than exact quantiles over every row. (Not DuckDB's reservoir_quantile:
    // on a column sorted in file order its median came out at the 13th percentile.) A WHERE, not
    // FILTER clauses: DuckDB evaluates a FILTER per aggregate, over every row. Columns with few
    // values (mostly missing) would leave too few in the sample: theirs are exact, with the histograms.
    const sampled = exact ? [] : histCols.filter(({ j }) => profiles[j].count > EXACT_LIMIT);
    const exactQuantiles = exact ? [] : histCols.filter(({ j }) => profiles[j].count <= EXACT_LIMIT);
    const quantileOf = (c: ColumnSchema) => `quantile_cont(CAST(${ident(c.name)} AS DOUBLE), ${QUANTILE_LIST})`;
    const setQuantiles = (j: number, list: unknown) => {
      const qs = (list as unknown[] | null) ?? [];
      profiles[j].quantiles = Object.fromEntries(QUANTILE_NAMES.map((name, i) => [name, num(qs[i])]));
    };
    if (sampled.length) {
      const inSample = hasRowId ? `hash(${ident(ROW_ID)}) < ${hashBelow(SAMPLE_ROWS / rows)}` : `random() < ${SAMPLE_ROWS / rows}`;
      const qs = (await con.runAndReadAll(`SELECT ${sampled.map(({ c }) => quantileOf(c)).join(', ')} FROM ${from} WHERE ${inSample}`)).getRowsJS()[0];
      sampled.forEach(({ j }, k) => setQuantiles(j, qs[k]));
    }
    if (late.length || exactQuantiles.length) {
      const aggsH = late.map(({ c, j }) => {
        const lo = profiles[j].min as number;
        const hi = profiles[j].max as number;
        // (A column holding NaN has max NaN and gets no histogram, so no NaN reaches here.)
        return hi > lo ? histogramAgg(c, lo, hi, bins) : `count(${ident(c.name)})`;
      });
      const res = (await con.runAndReadAll(`SELECT ${[...aggsH, ...exactQuantiles.map(({ c }) => quantileOf(c))].join(', ')} FROM ${from}`)).getRowsJson()[0] as unknown[];
      exactQuantiles.forEach(({ j }, k) => setQuantiles(j, res[late.length + k]));
      late.forEach(({ j }, k) => setHistogram(j, res[k]));
    }
  }

  // 3. Top values of non-numeric columns (and of numeric columns with few distinct values), in one
  //    scan: GROUP BY GROUPING SETS, one set per column. Columns with very many distinct values
  //    (ids, free text) get no top values. On large tables the same groups give the exact distinct
  //    count of every column whose estimate is low (where an estimate is least accurate).
  const grouped = (c: ColumnSchema, p: ColumnProfile) =>
    numeric(c) ? p.distinct <= topN || (!exact && p.distinct < EXACT_DISTINCT_BELOW) : p.distinct <= TOP_MAX_DISTINCT;
  const topCols = columns.map((c, j) => ({ c, j })).filter(({ c, j }) => grouped(c, profiles[j]));
  // Under a small memory cap one column per query: DuckDB spills a plain GROUP BY, but ran out of
  // memory on the grouping sets of seven columns (a 16 MB cap, 420,000 rows).
  const perQuery = duckdbMemoryLimit() < SMALL_MEMORY ? 1 : 60;
  for (let start = 0; start < topCols.length && rows; start += perQuery) {
    const batch = topCols.slice(start, start + perQuery);
    const g = batch.map((_, i) => `g${i}`);
    // Grouped on the stored values; only the few rows that come back are cast to text.
    const inner = `SELECT ${batch.map(({ c }, i) => `${ident(c.name)} AS g${i}`).join(', ')} FROM ${from}`;
    const groups = `SELECT GROUPING(${g.join(', ')}) AS gid, ${g.join(', ')}, count(*) AS n FROM (${inner}) GROUP BY GROUPING SETS (${g.map((x) => `(${x})`).join(', ')})`;
    const ranked = `SELECT *, row_number() OVER (PARTITION BY gid ORDER BY n DESC) AS rk, count(*) OVER (PARTITION BY gid) AS groups FROM (${groups})`;
    const res = (await con.runAndReadAll(`SELECT gid, ${g.map((x) => `CAST(${x} AS VARCHAR)`).join(', ')}, n, groups FROM (${ranked}) WHERE rk <= ${topN + 1}`)).getRowsJS();
    const all = (1n << BigInt(batch.length)) - 1n;
    const seen = new Set<number>();
    for (const r of res) {
      // GROUPING() sets a bit for every column NOT grouped; the one clear bit names the set.
      const gid = BigInt(r[0] as number | bigint);
      const i = batch.length - 1 - Math.round(Math.log2(Number(all ^ gid)));
      const value = r[1 + i];
      const p = profiles[batch[i].j];
      if (!seen.has(i)) {
        seen.add(i);
        // Every value is a group, and so is "missing" when there is one.
        p.distinct = Number(r[r.length - 1]) - (p.missing > 0 ? 1 : 0);
      }
      (p.top ??= []).push({ value: value === null ? null : topValue(String(value), p.type), count: Number(r[r.length - 2]) });
    }
  }
  for (const [j, p] of profiles.entries()) {
    if (!p.top) continue;
    if (p.distinct > (numeric(columns[j]) ? topN : TOP_MAX_DISTINCT)) {
      delete p.top;
      continue;
    }
    p.top.sort((a, b) => b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : String(a.value).localeCompare(String(b.value))));
    p.top = p.top.slice(0, topN);
  }
  return profiles;
}

const numeric = (c: ColumnSchema) => c.type === 'number' || c.type === 'integer';
/** Whole numbers and floating point, as stored (not DECIMAL): min and max need no cast. */
const storedNumber = (c: ColumnSchema) => c.type === 'integer' || /^(DOUBLE|FLOAT|REAL)$/.test(c.dbType.toUpperCase());

/** histogram() of a column over `bins` equal bins from lo to hi (lo < hi), as [x0, x1) bins. */
function histogramAgg(c: ColumnSchema, lo: number, hi: number, bins: number): string {
  const width = (hi - lo) / bins;
  const bounds = Array.from({ length: bins - 1 }, (_, b) => nextDown(lo + (b + 1) * width));
  return `histogram(CAST(${ident(c.name)} AS DOUBLE), [${bounds.map((b) => b.toPrecision(17)).join(', ')}]::DOUBLE[])`;
}

/** A UBIGINT literal: hashes below it are a `fraction` of all 64-bit hashes. */
function hashBelow(fraction: number): string {
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
function distinctEstimates(columns: ColumnSchema[], which: number[], from: string): string {
  return which.map((j) => `SELECT ${j} AS j, count(DISTINCT ${ident(columns[j].name)}) * ${DISTINCT_SAMPLE} AS n FROM ${from} WHERE hash(${ident(columns[j].name)}) < ${hashBelow(1 / DISTINCT_SAMPLE)}`).join(' UNION ALL ');
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

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
}

function topValue(v: string, type: ColumnProfile['type']): string | number | boolean {
  if (type === 'boolean') return v === 'true';
  if (type === 'integer' || type === 'number') return Number(v);
  return v;
}

/** A page plus the profile, as the Preview tab asks for them. */
export async function previewOf(t: TableRef, offset: number, limit: number, withProfile: boolean, orderBy?: { column: string; descending?: boolean }): Promise<TablePage> {
  const [page, profile] = await Promise.all([pageOf(t, offset, limit, orderBy), withProfile ? profileOf(t) : Promise.resolve(undefined)]);
  return profile ? { ...page, profile } : page;
}
