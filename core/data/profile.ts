/**
 * What the Preview tab shows: a page of rows and a profile of every column (type, missing, distinct,
 * min/max/mean/std, quantiles, top values, histogram). Everything returned is JSON-safe: bigints
 * become numbers (or strings past 2^53), dates ISO strings. NaN and +/-Infinity in floating-point
 * columns are counted apart (`nan`, `infinite`); the statistics describe the finite values.
 *
 * The statistics come from DuckDB's parallel aggregates: they are for display, not for models,
 * so their last digits may differ between runs. Large tables (over EXACT_LIMIT rows) get
 * quantiles and histograms from a sample of rows (`histogramSample` says so; the counts are scaled
 * to the column's) and estimated distinct counts for columns with many distinct values (columns
 * with few, and columns the table file stores with small dictionaries, are counted exactly).
 * `exact: true` computes every statistic over every row, whatever the size. The SQL of each pass
 * is in profile-plan.ts; turning results into a profile, in profile-results.ts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { ColumnProfile, TablePage } from '../spec/table-page.ts';
import { FlowlineError, ROW_ID, type ColumnSchema, type TableRef } from '../spec/index.ts';
import { duckdbMemoryLimit, ident, SMALL_MEMORY, withConnection } from './engine.ts';
import { columnSchemas, relation } from './tables.ts';
import { dictionaryColumnsSql, distinctEstimates, EXACT_DISTINCT_BELOW, finiteValue, hashBelow, histogramAgg, numeric, quantileAgg, rangeAgg, SAMPLE_ROWS, topValuesSql } from './profile-plan.ts';
import { histogramOfBuckets, histogramOfValues, num, numberOfText, numbersOfValues, quantilesOf, quantilesOfValues, scaledHistogram, topValue } from './profile-results.ts';

/** Above this many rows, quantiles and histograms come from a sample and large distinct counts are estimated (unless `exact`). */
export const EXACT_LIMIT = 200_000;
export const HISTOGRAM_BINS = 20;
export const TOP_VALUES = 10;
/** Text columns with more distinct values than this (ids, free text) get no top-values list. */
export const TOP_MAX_DISTINCT = 100_000;

/** A JS value from DuckDB made JSON-safe. */
export function jsonSafe(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= -Number.MAX_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v.toString();
  // NaN is a value, not a missing one: spelt out, as the infinities are (JSON has none of them).
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
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
  /** Every statistic over every row, however large the table: quantiles, distinct counts and histograms (slower past EXACT_LIMIT rows). */
  exact?: boolean;
}

/**
 * Profile of every visible column. Table files never change once written, so the result is kept
 * next to the file (`<table>.profile-<bins>-<top>[-exact].json`) and the next preview reads it back.
 */
export async function profileOf(t: TableRef | { path: string }, opts: ProfileOptions = {}): Promise<ColumnProfile[]> {
  const saved = `${t.path}.profile-${opts.bins ?? HISTOGRAM_BINS}-${opts.top ?? TOP_VALUES}${opts.exact ? '-exact' : ''}.json`;
  try {
    const [p, f] = await Promise.all([stat(saved), stat(t.path)]);
    if (p.mtimeMs >= f.mtimeMs) return JSON.parse(await readFile(saved, 'utf8')) as ColumnProfile[];
  } catch {
    // not saved yet (or unreadable): compute it
  }
  const profile = await withConnection((con) => profileOn(con, relation(t), opts, t.path));
  const tmp = `${saved}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(profile))
    .then(() => rename(tmp, saved))
    .catch(() => rm(tmp, { force: true }).catch(() => {}));
  return profile;
}

/**
 * Profile of every column (ROW_ID excluded) of any FROM-fragment, on a connection you hold.
 * `parquet`: the one Parquet file `from` reads, if it does; its footer says which columns have few
 * values per row group.
 *
 * Floating-point columns may hold NaN and +/-Infinity: those are counted apart (`nan`, `infinite`)
 * and every statistic describes the finite values, so one such value never turns a column's mean
 * into NaN (nor makes DuckDB's stddev_samp fail, as it did).
 */
export async function profileOn(con: DuckDBConnection, from: string, opts: ProfileOptions = {}, parquet?: string): Promise<ColumnProfile[]> {
  const bins = opts.bins ?? HISTOGRAM_BINS;
  const topN = opts.top ?? TOP_VALUES;
  const schema = await columnSchemas(con, `SELECT * FROM ${from}`);
  const columns = schema.filter((c) => c.name !== ROW_ID);
  if (!columns.length) return [];
  const hasRowId = schema.length > columns.length;

  // 0. The row count and each numeric, date and timestamp column's min and max. Over a Parquet
  //    file DuckDB answers these from the statistics its writer kept, without reading a row (a
  //    few ms for 1M x 20), so every histogram's range is known before the first pass and the
  //    histograms join it. A column holding NaN or an infinity shows here as max NaN (NaN sorts
  //    above every number) or an infinite bound: its finite range comes from the first pass.
  const ranged = columns.filter((c) => numeric(c) || c.type === 'date' || c.type === 'timestamp');
  const head = (await con.runAndReadAll(`SELECT count(*)${ranged.map((c) => `, ${rangeAgg(c, 'min')}, ${rangeAgg(c, 'max')}`).join('')} FROM ${from}`)).getRowsJS()[0];
  const rows = Number(head[0]);
  const range = new Map(ranged.map((c, k) => [c.name, { lo: head[1 + 2 * k], hi: head[2 + 2 * k] }]));
  const exact = opts.exact === true || rows <= EXACT_LIMIT;

  // 1. Large tables estimate distinct counts (distinctEstimates), except of columns the Parquet
  //    file stores with small dictionaries: those have few values, which the top-values groups
  //    count exactly. Booleans are counted exactly in the pass over every row.
  const dictionary = new Set<string>();
  if (!exact && parquet) {
    // Only a shortcut: a footer that cannot be read leaves every column to the estimates.
    const names = await con.runAndReadAll(dictionaryColumnsSql(parquet)).then((r) => r.getRowsJS().map(([name]) => String(name)), () => []);
    for (const name of names) dictionary.add(name);
  }
  const estimated = exact ? [] : columns.flatMap((c, j) => (c.type === 'boolean' || dictionary.has(c.name) ? [] : [j]));
  const distinctOf = new Map<number, unknown>();
  if (estimated.length && rows) {
    for (const [j, n] of (await con.runAndReadAll(distinctEstimates(columns, estimated, from))).getRowsJS()) distinctOf.set(Number(j), n);
  }

  // 2. Large tables: the top-values groups (step 5) before the pass over every row. A numeric
  //    column with few values (every group came back) takes all its numbers from its groups, so
  //    that pass skips it.
  const fromGroups = new Set<number>();
  let groups = new Map<number, ColumnGroups>();
  if (!exact && rows) {
    const few = (c: ColumnSchema, j: number) => dictionary.has(c.name) || c.type === 'boolean' || Number(distinctOf.get(j)) < (numeric(c) ? EXACT_DISTINCT_BELOW : TOP_MAX_DISTINCT + 1);
    groups = await valueGroups(con, from, columns.flatMap((c, j) => (few(c, j) ? [{ c, j, every: numeric(c) }] : [])), topN);
    for (const [j, g] of groups) if (numeric(columns[j]) && g.complete) fromGroups.add(j);
  }

  // 3. One pass for counts, distinct counts (when exact), moments, histograms and quantiles of
  //    every other column. Large tables: quantiles and histograms of a sample of about
  //    SAMPLE_ROWS rows, chosen by a hash of the row id (the same rows every time, spread over the
  //    whole file). Rank error about 0.3%: enough for a preview, far cheaper than exact quantiles
  //    over every row. (Not DuckDB's reservoir_quantile: on a column sorted in file order its
  //    median came out at the 13th percentile.) The sample rides along in this pass: each quantile
  //    and histogram aggregate sees NULL outside it (a FILTER clause would select rows per
  //    aggregate; a pass of its own would read every column again). Both aggregates take the same
  //    expression, which DuckDB computes once.
  const aggs: string[] = [];
  const slot = (sql: string) => aggs.push(sql) - 1;
  const inSample = hasRowId ? `hash(${ident(ROW_ID)}) < ${hashBelow(SAMPLE_ROWS / rows)}` : `random() < ${SAMPLE_ROWS / rows}`;
  interface Slots { count: number; distinct?: number; min?: number; max?: number; mean?: number; std?: number; quantiles?: number; sampled?: number; nan?: number; infinite?: number; histogram?: number }
  const slots: (Slots | null)[] = columns.map((c, j) => {
    if (fromGroups.has(j)) return null;
    const q = ident(c.name);
    const s: Slots = { count: slot(`count(${q})`) };
    if (exact || c.type === 'boolean') s.distinct = slot(`count(DISTINCT ${q})`);
    if (numeric(c)) {
      const v = finiteValue(c, range.get(c.name)!);
      if (v.nonFinite) {
        s.nan = slot(`count_if(isnan(${q}))`);
        s.infinite = slot(`count_if(isinf(${q}))`);
        s.min = slot(`min(${v.sql})`);
        s.max = slot(`max(${v.sql})`);
      }
      s.mean = slot(`avg(${v.sql})`);
      s.std = slot(`stddev_samp(${v.sql})`);
      const sampledValue = `CASE WHEN ${SAMPLED} THEN ${v.sql} END`;
      if (exact) s.quantiles = slot(quantileAgg(v.sql));
      else s.sampled = slot(quantileAgg(sampledValue));
      const { lo, hi } = v;
      if (!v.nonFinite && lo !== null && hi !== null) s.histogram = hi > lo ? slot(`map_entries(${histogramAgg(exact ? v.sql : sampledValue, lo, hi, bins)})`) : s.count;
    } else if (c.type === 'boolean') {
      s.mean = slot(`avg(CAST(${q} AS DOUBLE))`);
    } else if (c.type !== 'date' && c.type !== 'timestamp') {
      s.min = slot(`min(length(CAST(${q} AS VARCHAR)))`);
      s.max = slot(`max(length(CAST(${q} AS VARCHAR)))`);
    }
    return s;
  });
  const sampling = slots.some((s) => s?.sampled !== undefined);
  const stats = aggs.length ? (await con.runAndReadAll(`SELECT ${aggs.join(', ')} FROM ${sampling ? `(SELECT *, ${inSample} AS ${SAMPLED} FROM ${from})` : from}`)).getRowsJS()[0] : [];
  const at = (k: number | undefined) => (k === undefined ? null : stats[k]);
  const profiles: ColumnProfile[] = columns.map((c, j) => {
    const s = slots[j];
    if (!s) return profileOfGroups(c, rows, range.get(c.name)!, groups.get(j)!, bins);
    const count = Number(stats[s.count]);
    const missing = rows - count;
    const p: ColumnProfile = {
      name: c.name,
      type: c.type,
      dbType: c.dbType,
      count,
      missing,
      missingPct: rows ? (100 * missing) / rows : 0,
      // An estimate can overshoot on a column with few values; never report more than there are.
      distinct: Math.min(count, Number(s.distinct === undefined ? distinctOf.get(j) : stats[s.distinct])),
    };
    if (s.nan !== undefined) p.nan = Number(stats[s.nan]);
    if (s.infinite !== undefined) p.infinite = Number(stats[s.infinite]);
    if (numeric(c)) {
      const r = range.get(c.name)!;
      p.min = s.min === undefined ? num(r.lo) : num(at(s.min));
      p.max = s.max === undefined ? num(r.hi) : num(at(s.max));
      p.mean = num(at(s.mean));
      p.std = num(at(s.std));
      p.quantiles = quantilesOf(at(s.quantiles));
    } else if (c.type === 'boolean') {
      p.mean = num(at(s.mean));
    } else if (c.type === 'date' || c.type === 'timestamp') {
      const r = range.get(c.name)!;
      p.min = r.lo === null ? null : String(r.lo).replace(' ', 'T');
      p.max = r.hi === null ? null : String(r.hi).replace(' ', 'T');
    } else {
      p.min = num(at(s.min));
      p.max = num(at(s.max));
    }
    return p;
  });

  // 4. Histograms of numeric columns: DuckDB's histogram(x, boundaries) aggregate, in the first
  //    pass. It puts x == boundary in the lower bucket; nudging each boundary down by one ulp
  //    gives numpy's [x0, x1) bins (the last bin closed). Over every row it is about half of that
  //    pass's CPU time (ingest bench: 11 numeric columns of 1M rows, 370-410 of 760-890 ms CPU),
  //    and every exact alternative measured was dearer: arithmetic bins grouped (a GROUP BY per
  //    column; GROUPING SETS of all, 1.8x the CPU), histogram() of integer bin ids (1.3-1.7x;
  //    the binning arithmetic itself costs about 12 ns a value, the counting is what is dear),
  //    count_if per bin, binning in JavaScript, and a JavaScript function seeing the values as the
  //    load's COPY writes them (+0.8 s CPU, about this whole pass). Merging passes is dearer too:
  //    the distinct estimates as aggregates of this pass (1.7x the two apart), the value groups
  //    as histogram() (2.7x). Nor was it faster to read the table file's PLAIN pages in
  //    JavaScript while DuckDB ran the other passes (585-755 against 548-600 ms: on 2 cores that
  //    work competes with DuckDB's threads). So large tables take the histogram of the quantile
  //    sample, which costs next to nothing, scaled to the column's count (scaledHistogram): a bin
  //    holding 1% of the values is off by about 5%, and the first and last bins, which hold the
  //    min and the max, never show empty. `exact: true` counts every row.
  const setHistogram = (j: number, result: unknown, sampled: boolean): boolean => {
    const p = profiles[j];
    const h = histogramOfBuckets(result, p.min as number, p.max as number, bins, (p.nan ?? 0) + (p.infinite ?? 0));
    if (!sampled) {
      p.histogram = h;
      return true;
    }
    const n = h.reduce((a, b) => a + b.count, 0);
    if (!n) return false;
    p.histogram = scaledHistogram(h, p.count - (p.nan ?? 0) - (p.infinite ?? 0));
    p.histogramSample = n;
    return true;
  };
  const histCols = columns.map((c, j) => ({ c, j })).filter(({ c, j }) => numeric(c) && !fromGroups.has(j) && typeof profiles[j].min === 'number' && typeof profiles[j].max === 'number');
  // Columns with few values (mostly missing) would leave too few in the sample: their quantiles
  // and histograms are exact, in a second pass. So are the histograms of columns holding NaN or
  // an infinity, which learn their finite range in the first pass. (Columns with few distinct
  // values have exact numbers from their groups already.)
  const isThin = (j: number) => !exact && profiles[j].count <= EXACT_LIMIT;
  const thin = histCols.filter(({ j }) => isThin(j));
  const late = histCols.filter(({ j }) => {
    const k = slots[j]!.histogram;
    if (k === undefined) return true;
    const sampled = !exact && k !== slots[j]!.count;
    return (sampled && isThin(j)) || !setHistogram(j, stats[k], sampled);
  });
  if (histCols.length && rows) {
    const valueOf = (c: ColumnSchema) => finiteValue(c, range.get(c.name)!).sql;
    const setQuantiles = (j: number, list: unknown) => (profiles[j].quantiles = quantilesOf(list));
    if (!exact) for (const { j } of histCols) if (profiles[j].count > EXACT_LIMIT) setQuantiles(j, stats[slots[j]!.sampled!]);
    if (late.length || thin.length) {
      const aggsH = late.map(({ c, j }) => {
        const lo = profiles[j].min as number;
        const hi = profiles[j].max as number;
        return hi > lo ? histogramAgg(valueOf(c), lo, hi, bins) : `count(${ident(c.name)})`;
      });
      const res = (await con.runAndReadAll(`SELECT ${[...aggsH, ...thin.map(({ c }) => quantileAgg(valueOf(c)))].join(', ')} FROM ${from}`)).getRowsJson()[0] as unknown[];
      thin.forEach(({ j }, k) => setQuantiles(j, res[late.length + k]));
      late.forEach(({ j }, k) => setHistogram(j, res[k], false));
    }
  }

  // 5. Top values of non-numeric columns (and of numeric columns with few distinct values).
  //    Columns with very many distinct values (ids, free text) get no top values. On large tables
  //    the groups (step 2) give the exact distinct count of every column whose estimate is low
  //    (where an estimate is least accurate) or that has a small dictionary.
  if (exact && rows) {
    const grouped = (c: ColumnSchema, p: ColumnProfile) => (numeric(c) ? p.distinct <= topN : p.distinct <= TOP_MAX_DISTINCT);
    groups = await valueGroups(con, from, columns.flatMap((c, j) => (grouped(c, profiles[j]) ? [{ c, j, every: false }] : [])), topN);
  }
  for (const [j, g] of groups) {
    const p = profiles[j];
    // Every value is a group, and so is "missing" when there is one.
    p.distinct = g.groups - (p.missing > 0 ? 1 : 0);
    const top = g.values.filter((v) => v.rank <= topN + 1).map((v) => ({ value: v.value === null ? null : topValue(v.value, p.type), count: v.n }));
    if (p.distinct > (numeric(columns[j]) ? topN : TOP_MAX_DISTINCT) || !top.length) continue;
    top.sort((a, b) => b.count - a.count || (a.value === null ? 1 : b.value === null ? -1 : String(a.value).localeCompare(String(b.value))));
    p.top = top.slice(0, topN);
  }
  return profiles;
}

/** The flag of the sampled rows, beside a table's columns in the pass over every row. */
const SAMPLED = ident(`${ROW_ID}_in_sample`);

/** The value groups of one column: how many there are ("missing" included) and those that came back. */
interface ColumnGroups {
  groups: number;
  /** Each value as text (null: missing), its rows and its rank by rows. */
  values: { value: string | null; n: number; rank: number }[];
  /** Every group came back. */
  complete: boolean;
}

/**
 * Top values of several columns in one scan (topValuesSql), in batches. `every`: return every
 * group of that column while it has at most EXACT_DISTINCT_BELOW of them.
 */
async function valueGroups(con: DuckDBConnection, from: string, cols: { c: ColumnSchema; j: number; every: boolean }[], topN: number): Promise<Map<number, ColumnGroups>> {
  // Under a small memory cap one column per query: DuckDB spills a plain GROUP BY, but ran out of
  // memory on the grouping sets of seven columns (a 16 MB cap, 420,000 rows).
  const perQuery = duckdbMemoryLimit() < SMALL_MEMORY ? 1 : 60;
  const out = new Map<number, ColumnGroups>();
  for (let start = 0; start < cols.length; start += perQuery) {
    const batch = cols.slice(start, start + perQuery);
    const all = (1n << BigInt(batch.length)) - 1n;
    const sql = topValuesSql(batch.map(({ c, every }) => ({ column: c, everyGroup: every })), from, topN + 1, EXACT_DISTINCT_BELOW);
    for (const r of (await con.runAndReadAll(sql)).getRowsJS()) {
      const gid = BigInt(r[0] as number | bigint);
      const i = batch.length - 1 - Math.round(Math.log2(Number(all ^ gid)));
      const value = r[1 + i];
      const g = out.get(batch[i].j) ?? out.set(batch[i].j, { groups: Number(r[r.length - 2]), values: [], complete: false }).get(batch[i].j)!;
      g.values.push({ value: value === null ? null : String(value), n: Number(r[r.length - 3]), rank: Number(r[r.length - 1]) });
    }
  }
  for (const g of out.values()) g.complete = g.values.length === g.groups;
  return out;
}

/** A numeric column's profile from all its value groups (the pass over every row skipped it). */
function profileOfGroups(c: ColumnSchema, rows: number, r: { lo: unknown; hi: unknown }, g: ColumnGroups, bins: number): ColumnProfile {
  const m = numbersOfValues(g.values.flatMap((v) => (v.value === null ? [] : [[numberOfText(v.value), v.n] as [number, number]])));
  const p: ColumnProfile = { name: c.name, type: c.type, dbType: c.dbType, count: m.count, missing: rows - m.count, missingPct: rows ? (100 * (rows - m.count)) / rows : 0, distinct: 0 };
  if (finiteValue(c, r).nonFinite) {
    p.nan = m.nan;
    p.infinite = m.infinite;
    p.min = m.min;
    p.max = m.max;
  } else {
    p.min = num(r.lo);
    p.max = num(r.hi);
  }
  p.mean = m.mean;
  p.std = m.std;
  p.quantiles = quantilesOfValues(m.finite);
  if (typeof p.min === 'number' && typeof p.max === 'number') p.histogram = histogramOfValues(m.finite, p.min, p.max, bins);
  return p;
}
