/**
 * What the Preview tab shows: a page of rows and a profile of every column (type, missing, distinct,
 * min/max/mean/std, quantiles, top values, histogram). Everything returned is JSON-safe: bigints
 * become numbers (or strings past 2^53), dates ISO strings.
 *
 * The statistics come from DuckDB's parallel aggregates: they are for display, not for models
 * (DESIGN.md §4), so their last digits may differ between runs. Large tables use approximate
 * quantiles and distinct counts of numeric columns (EXACT_LIMIT).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { ColumnProfile, TablePage } from '../host/api.ts';
import { FlowlineError, ROW_ID, type ColumnSchema, type TableRef } from '../spec/index.ts';
import { ident, withConnection } from './engine.ts';
import { columnSchemas, relation } from './tables.ts';

/** Above this many rows, quantiles and distinct counts of numeric columns are approximate. */
export const EXACT_LIMIT = 200_000;
export const HISTOGRAM_BINS = 20;
const SAMPLE_ROWS = 16_384;
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
  const profile = await withConnection((con) => profileOn(con, relation(t), opts));
  const tmp = `${saved}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(profile))
    .then(() => rename(tmp, saved))
    .catch(() => rm(tmp, { force: true }).catch(() => {}));
  return profile;
}

/** Profile of every column (ROW_ID excluded) of any FROM-fragment, on a connection you hold. */
export async function profileOn(con: DuckDBConnection, from: string, opts: ProfileOptions = {}): Promise<ColumnProfile[]> {
  const bins = opts.bins ?? HISTOGRAM_BINS;
  const topN = opts.top ?? TOP_VALUES;
  const schema = await columnSchemas(con, `SELECT * FROM ${from}`);
  const columns = schema.filter((c) => c.name !== ROW_ID);
  if (!columns.length) return [];

  // 1. One pass for counts, ranges, moments and quantiles of every column.
  const rows = Number((await con.runAndReadAll(`SELECT count(*) FROM ${from}`)).getRowsJS()[0][0]);
  const exact = rows <= EXACT_LIMIT;
  const aggs: string[] = [];
  const numeric = (c: ColumnSchema) => c.type === 'number' || c.type === 'integer';
  for (const c of columns) {
    const q = ident(c.name);
    aggs.push(`count(${q})`);
    aggs.push(exact || !numeric(c) ? `count(DISTINCT ${q})` : `approx_count_distinct(${q})`);
    if (numeric(c)) {
      const d = `CAST(${q} AS DOUBLE)`;
      aggs.push(`min(${d})`, `max(${d})`, `avg(${d})`, `stddev_samp(${d})`);
      aggs.push(exact ? `quantile_cont(${d}, ${QUANTILE_LIST})` : 'NULL');
    } else if (c.type === 'boolean') {
      aggs.push('NULL', 'NULL', `avg(CAST(${q} AS DOUBLE))`, 'NULL', 'NULL');
    } else if (c.type === 'date' || c.type === 'timestamp') {
      aggs.push(`CAST(min(${q}) AS VARCHAR)`, `CAST(max(${q}) AS VARCHAR)`, 'NULL', 'NULL', 'NULL');
    } else {
      aggs.push(`min(length(CAST(${q} AS VARCHAR)))`, `max(length(CAST(${q} AS VARCHAR)))`, 'NULL', 'NULL', 'NULL');
    }
  }
  const stats = (await con.runAndReadAll(`SELECT ${aggs.join(', ')} FROM ${from}`)).getRowsJS()[0];
  const per = 7;
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
      distinct: Number(s[1]),
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
  //    one scan. It puts x == boundary in the lower bucket; nudging each boundary down by one ulp
  //    gives numpy's [x0, x1) bins (the last bin closed).
  const histCols = columns.map((c, j) => ({ c, j })).filter(({ c, j }) => numeric(c) && typeof profiles[j].min === 'number' && typeof profiles[j].max === 'number');
  if (histCols.length && rows) {
    const aggsH = histCols.map(({ c, j }) => {
      const lo = profiles[j].min as number;
      const hi = profiles[j].max as number;
      if (!(hi > lo)) return `count(${ident(c.name)})`;
      const width = (hi - lo) / bins;
      const bounds = Array.from({ length: bins - 1 }, (_, b) => nextDown(lo + (b + 1) * width));
      // (A column holding NaN has max NaN and gets no histogram, so no NaN reaches here.)
      return `histogram(CAST(${ident(c.name)} AS DOUBLE), [${bounds.map((b) => b.toPrecision(17)).join(', ')}]::DOUBLE[])`;
    });
    // Large tables: quantiles from a reservoir sample taken in the same scan (rank error about
    // 0.4%: enough for a preview, far cheaper than exact quantiles over every row).
    const quantileAggs = exact ? [] : histCols.map(({ c }) => `reservoir_quantile(CAST(${ident(c.name)} AS DOUBLE), ${QUANTILE_LIST}, ${SAMPLE_ROWS})`);
    const res = (await con.runAndReadAll(`SELECT ${[...aggsH, ...quantileAggs].join(', ')} FROM ${from}`)).getRowsJson()[0] as unknown[];
    histCols.forEach(({ j }, k) => {
      const p = profiles[j];
      if (!exact) {
        const qs = (res[histCols.length + k] as unknown[] | null) ?? [];
        p.quantiles = Object.fromEntries(QUANTILE_NAMES.map((name, i) => [name, num(qs[i])]));
      }
      const lo = p.min as number;
      const hi = p.max as number;
      if (!(hi > lo)) {
        p.histogram = [{ x0: lo, x1: lo + 1, count: Number(res[k]) }];
        return;
      }
      const width = (hi - lo) / bins;
      const entries = (res[k] as { key: number | string; value: number | string }[] | null) ?? [];
      const counts = new Array(bins).fill(0);
      // Buckets come back in boundary order, the overflow ("Infinity") bucket last.
      const keys = entries.map((e) => Number(e.key));
      entries.forEach((e, i) => {
        const b = Number.isFinite(keys[i]) ? Math.min(bins - 1, Math.round((keys[i] - lo) / width) - 1) : bins - 1;
        counts[Math.max(0, b)] += Number(e.value);
      });
      p.histogram = counts.map((count, b) => ({ x0: lo + b * width, x1: b === bins - 1 ? hi : lo + (b + 1) * width, count }));
    });
  }

  // 3. Top values of non-numeric columns (and of numeric columns with few distinct values), in one
  //    scan: GROUP BY GROUPING SETS, one set per column. Columns with very many distinct values
  //    (ids, free text) get no top values.
  const topCols = columns.map((c, j) => ({ c, j })).filter(({ c, j }) => (!numeric(c) && profiles[j].distinct <= TOP_MAX_DISTINCT) || (numeric(c) && profiles[j].distinct <= topN));
  for (let start = 0; start < topCols.length && rows; start += 60) {
    const batch = topCols.slice(start, start + 60);
    const g = batch.map((_, i) => `g${i}`);
    const inner = `SELECT ${batch.map(({ c }, i) => `CAST(${ident(c.name)} AS VARCHAR) AS g${i}`).join(', ')} FROM ${from}`;
    const grouped = `SELECT GROUPING(${g.join(', ')}) AS gid, ${g.join(', ')}, count(*) AS n FROM (${inner}) GROUP BY GROUPING SETS (${g.map((x) => `(${x})`).join(', ')})`;
    const res = (await con.runAndReadAll(`SELECT * FROM (${grouped}) QUALIFY row_number() OVER (PARTITION BY gid ORDER BY n DESC) <= ${topN + 1}`)).getRowsJS();
    const all = (1n << BigInt(batch.length)) - 1n;
    for (const r of res) {
      // GROUPING() sets a bit for every column NOT grouped; the one clear bit names the set.
      const gid = BigInt(r[0] as number | bigint);
      const i = batch.length - 1 - Math.round(Math.log2(Number(all ^ gid)));
      const value = r[1 + i];
      const p = profiles[batch[i].j];
      (p.top ??= []).push({ value: value === null ? null : topValue(String(value), p.type), count: Number(r[r.length - 1]) });
    }
  }
  for (const p of profiles) {
    if (!p.top) continue;
    p.top.sort((a, b) => b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : String(a.value).localeCompare(String(b.value))));
    p.top = p.top.slice(0, topN);
  }
  return profiles;
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
