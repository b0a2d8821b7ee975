/**
 * Columns between DuckDB and JS typed arrays: readColumns (fast chunked reads), writeColumns and
 * writeJsTable (JS-computed columns back into a table via the appender), writeRowSubsets (rows by
 * ROW_ID). Import from tables.ts, which re-exports this.
 */
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { DOUBLE, DuckDBDataChunk, INTEGER, VARCHAR } from '@duckdb/node-api';
import { join } from 'node:path';
import { FlowlineError, ROW_ID, type ColumnSchema, type Recipe, type RunContext, type TableRef } from '../spec/index.ts';
import { ident, withConnection } from './engine.ts';
import { columnSchemas, copyToParquet, fileSchema, relation, tempName, writeTableOn, type ColumnData, type RowIds } from './table-files.ts';

export interface JsColumn {
  name: string;
  /** Numbers (NaN = missing; booleans 0/1; dates and timestamps as epoch ms) or text. */
  data: ColumnData;
  /** Column type in the output table (default: number for Float64Array, string for text). */
  type?: 'number' | 'integer' | 'boolean' | 'date' | 'timestamp' | 'string';
}

/** A new table (new ROW_IDs, empty recipe) from columns built in JS, e.g. rows read from Excel or PostgreSQL. */
export async function writeJsTable(ctx: RunContext, cols: JsColumn[], opts: { port?: string } = {}): Promise<TableRef> {
  return withConnection(async (con) => {
    const table = tempName('jst');
    const internal = cols.map((_, j) => `c${j}`);
    await appendColumns(con, table, cols.map((c, j) => ({ name: internal[j], data: c.data })));
    const select = cols.map((c, j) => {
      const q = internal[j];
      const type = c.type ?? (c.data instanceof Float64Array ? 'number' : 'string');
      const expr =
        type === 'integer' ? `CAST(${q} AS BIGINT)`
        : type === 'boolean' ? `CAST(${q} AS BOOLEAN)`
        : type === 'timestamp' ? `make_timestamp(CAST(${q} * 1000 AS BIGINT))`
        : type === 'date' ? `CAST(make_timestamp(CAST(${q} * 1000 AS BIGINT)) AS DATE)`
        : q;
      return `${expr} AS ${ident(c.name)}`;
    });
    const sql = cols.length ? `SELECT ${select.join(', ')} FROM ${table}` : `SELECT 1 AS "empty" WHERE false`;
    return writeTableOn(con, ctx, sql, { port: opts.port, newRowIds: true });
  });
}

export interface ReadColumnsOptions {
  /** Only these rows (by ROW_ID); the result is still in ascending ROW_ID order. */
  rowIds?: RowIds;
  /** Text columns are parsed as numbers (TRY_CAST; unparsable → NaN) instead of returned as strings. */
  castNumeric?: boolean;
}

export interface ColumnsRead {
  /** ROW_ID of each returned row, ascending. */
  rowIds: Int32Array;
  columns: Record<string, ColumnData>;
}

/** Fast path: the typed array a numeric vector wraps (a private field of @duckdb/node-api's vectors). */
export function vectorItems<T extends Float64Array | Int32Array>(v: DuckDBVector, ctor: { new (n: number): T }): T | null {
  const items = (v as unknown as { items?: unknown }).items;
  return items instanceof (ctor as unknown as typeof Float64Array) ? (items as T) : null;
}

export function numericSelect(c: ColumnSchema, castText: boolean): string | null {
  const q = ident(c.name);
  switch (c.type) {
    case 'number':
    case 'integer':
    case 'boolean':
      return `coalesce(CAST(${q} AS DOUBLE), 'NaN'::DOUBLE)`;
    case 'date':
      return `coalesce(epoch_ms(CAST(${q} AS TIMESTAMP))::DOUBLE, 'NaN'::DOUBLE)`;
    case 'timestamp':
      return `coalesce(epoch_ms(${q})::DOUBLE, 'NaN'::DOUBLE)`;
    default:
      return castText ? `coalesce(TRY_CAST(${q} AS DOUBLE), 'NaN'::DOUBLE)` : null;
  }
}

/**
 * Read columns into typed arrays, rows in ascending ROW_ID order (ties keep file order).
 * Numbers, booleans (0/1), dates and timestamps (epoch ms) → Float64Array with NaN for missing;
 * text and other types → (string | null)[].
 */
export async function readColumns(t: TableRef | { path: string }, names: string[], opts: ReadColumnsOptions = {}): Promise<ColumnsRead> {
  return withConnection(async (con) => {
    const schema = await columnSchemas(con, `SELECT * FROM ${relation(t)}`);
    const byName = new Map(schema.map((c) => [c.name, c]));
    const selects: string[] = [`CAST(${ident(ROW_ID)} AS INTEGER)`];
    const numeric: boolean[] = [];
    for (const name of names) {
      const c = byName.get(name);
      if (!c || name === ROW_ID) {
        throw new FlowlineError({
          code: 'COLUMN_NOT_FOUND',
          column: name,
          message: `Column "${name}" is not in the table.`,
          hint: `Columns are: ${schema.filter((s) => s.name !== ROW_ID).map((s) => s.name).join(', ')}.`,
        });
      }
      const num = numericSelect(c, !!opts.castNumeric);
      numeric.push(num !== null);
      selects.push(num ?? `CAST(${ident(name)} AS VARCHAR)`);
    }
    let where = '';
    if (opts.rowIds) {
      const idTable = tempName('ids');
      await appendColumns(con, idTable, [{ name: 'id', data: Float64Array.from(opts.rowIds as ArrayLike<number>), sqlType: 'INTEGER' }]);
      // The range lets DuckDB skip the row groups outside it (a chunk of a larger table, streamed).
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < opts.rowIds.length; i++) {
        const id = opts.rowIds[i];
        if (id < lo) lo = id;
        if (id > hi) hi = id;
      }
      where = ` WHERE ${opts.rowIds.length ? `${ident(ROW_ID)} BETWEEN ${lo} AND ${hi} AND ` : ''}${ident(ROW_ID)} IN (SELECT id FROM ${idTable})`;
    }
    // Count first (free for a plain Parquet scan) so the output arrays are allocated once.
    const counted = await con.runAndReadAll(`SELECT count(*) FROM ${relation(t)}${where}`);
    let cap = Math.max(1, Number(counted.getRowsJS()[0][0]));
    const result = await con.stream(`SELECT ${selects.join(', ')} FROM ${relation(t)}${where}`);
    let ids = new Int32Array(cap);
    let nums: (Float64Array | null)[] = numeric.map((n) => (n ? new Float64Array(cap) : null));
    const strs: ((string | null)[] | null)[] = numeric.map((n) => (n ? null : []));
    const caches = names.map(() => new Map<number, Map<number, Map<number, string>>>());
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (n + m > cap) {
        while (n + m > cap) cap *= 2;
        const grownIds = new Int32Array(cap);
        grownIds.set(ids.subarray(0, n));
        ids = grownIds;
        nums = nums.map((a) => {
          if (!a) return null;
          const g = new Float64Array(cap);
          g.set(a.subarray(0, n));
          return g;
        });
      }
      const idVec = chunk.getColumnVector(0);
      const idItems = vectorItems(idVec, Int32Array);
      if (idItems) ids.set(idItems.subarray(0, m), n);
      else for (let i = 0; i < m; i++) ids[n + i] = idVec.getItem(i) as number;
      for (let j = 0; j < names.length; j++) {
        const vec = chunk.getColumnVector(j + 1);
        const out = nums[j];
        if (out) {
          const items = vectorItems(vec, Float64Array);
          if (items) out.set(items.subarray(0, m), n);
          else for (let i = 0; i < m; i++) out[n + i] = (vec.getItem(i) as number | null) ?? NaN;
        } else {
          readStrings(vec, m, strs[j]!, caches[j]);
        }
      }
      n += m;
    }
    if (n !== cap) ids = ids.slice(0, n);
    const columns: Record<string, ColumnData> = {};
    names.forEach((name, j) => {
      columns[name] = nums[j] ? (n === cap ? nums[j]! : nums[j]!.slice(0, n)) : strs[j]!;
    });
    const order = sortOrder(ids);
    if (!order) return { rowIds: ids, columns };
    const sortedIds = new Int32Array(n);
    for (let i = 0; i < n; i++) sortedIds[i] = ids[order[i]];
    for (const name of names) columns[name] = permute(columns[name], order);
    return { rowIds: sortedIds, columns };
  });
}

/**
 * A VARCHAR vector's strings into `out` from index `at` (by default appended). Short strings (≤ 12 bytes) sit inline in the vector;
 * we look them up in a cache keyed by their bytes, so a categorical column decodes each distinct
 * value once instead of a TextDecoder call per row. Falls back to getItem when the vector's
 * internals are not what we expect.
 */
export function readStrings(vec: DuckDBVector, m: number, out: (string | null)[], cache: Map<number, Map<number, Map<number, string>>>, at = out.length): void {
  const internals = vec as unknown as { dataView?: unknown; validity?: { data?: BigUint64Array | null } };
  const dv = internals.dataView;
  if (!(dv instanceof DataView) || !internals.validity || !LITTLE_ENDIAN) {
    for (let i = 0; i < m; i++) out[at + i] = vec.getItem(i) as string | null;
    return;
  }
  const bits = internals.validity.data;
  const valid = bits ? new Uint32Array(bits.buffer, bits.byteOffset, bits.length * 2) : null;
  for (let i = 0; i < m; i++) {
    if (valid && ((valid[i >>> 5] >>> (i & 31)) & 1) === 0) {
      out[at + i] = null;
      continue;
    }
    const cell = i * 16;
    const len = dv.getUint32(cell, true);
    if (len > 12) {
      out[at + i] = vec.getItem(i) as string | null;
      continue;
    }
    const k0 = dv.getUint32(cell + 4, true) + len * 4294967296;
    const k1 = dv.getUint32(cell + 8, true);
    const k2 = dv.getUint32(cell + 12, true);
    let c1 = cache.get(k0);
    if (!c1) cache.set(k0, (c1 = new Map()));
    let c2 = c1.get(k1);
    if (!c2) c1.set(k1, (c2 = new Map()));
    let s = c2.get(k2);
    if (s === undefined) {
      s = TEXT.decode(new Uint8Array(dv.buffer, dv.byteOffset + cell + 4, len));
      c2.set(k2, s);
    }
    out[at + i] = s;
  }
}

const TEXT = new TextDecoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Stable ascending order of ids, or null when they are already ascending. */
function sortOrder(ids: Int32Array): Uint32Array | null {
  let sorted = true;
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] < ids[i - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return null;
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Array.prototype.sort is stable; typed-array sort with a comparator is too (ES2019+).
  order.sort((a, b) => ids[a] - ids[b] || a - b);
  return order;
}

function permute(col: ColumnData, order: Uint32Array): ColumnData {
  if (col instanceof Float64Array) {
    const out = new Float64Array(col.length);
    for (let i = 0; i < order.length; i++) out[i] = col[order[i]];
    return out;
  }
  const out = new Array<string | null>(col.length);
  for (let i = 0; i < order.length; i++) out[i] = col[order[i]];
  return out;
}

interface AppendColumn {
  name: string;
  data: ColumnData;
  /** DOUBLE (default for Float64Array), INTEGER, or VARCHAR. */
  sqlType?: 'DOUBLE' | 'INTEGER' | 'VARCHAR';
}

/** Create temp table `table` and fill it from JS columns (NaN and null → NULL) with the appender. */
export async function appendColumns(con: DuckDBConnection, table: string, cols: AppendColumn[]): Promise<void> {
  const types = cols.map((c) => c.sqlType ?? (c.data instanceof Float64Array ? 'DOUBLE' : 'VARCHAR'));
  await con.run(`CREATE TEMP TABLE ${table} (${cols.map((c, j) => `${ident(c.name)} ${types[j]}`).join(', ')})`);
  const n = cols.length ? cols[0].data.length : 0;
  if (n === 0) return;
  const duckTypes = types.map((t) => (t === 'DOUBLE' ? DOUBLE : t === 'INTEGER' ? INTEGER : VARCHAR));
  const appender = await con.createAppender(table, 'main', 'temp');
  const size = 2048;
  try {
    for (let start = 0; start < n; start += size) {
      const m = Math.min(size, n - start);
      const chunk = DuckDBDataChunk.create(duckTypes, m);
      cols.forEach((c, j) => {
        const vec = chunk.getColumnVector(j);
        const data = c.data;
        if (data instanceof Float64Array) {
          const sub = data.subarray(start, start + m);
          if (types[j] === 'DOUBLE') {
            const items = vectorItems(vec, Float64Array);
            if (items) items.set(sub);
            for (let i = 0; i < m; i++) {
              const v = sub[i];
              if (v !== v) vec.setItem(i, null);
              else if (!items) vec.setItem(i, v);
            }
          } else {
            for (let i = 0; i < m; i++) vec.setItem(i, Number.isNaN(sub[i]) ? null : sub[i]);
          }
        } else {
          for (let i = 0; i < m; i++) vec.setItem(i, data[start + i] ?? null);
        }
        vec.flush();
      });
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

export interface WriteColumnsOptions {
  /** Output port name (default "table"). */
  port?: string;
  /** Recipe of the output table (default: the base's recipe). */
  recipe?: Recipe;
  /** Base columns to leave out of the output. */
  drop?: string[];
}

/**
 * A new table = `base` plus columns computed in JS, aligned with `readColumns(base, …)`'s row
 * order (ascending ROW_ID). A column named like a base column replaces it in place; new columns
 * go at the end. Float64Array → DOUBLE (NaN → NULL), string arrays → VARCHAR. ROW_ID is kept.
 */
export async function writeColumns(ctx: RunContext, base: TableRef, columns: Record<string, ColumnData>, opts: WriteColumnsOptions = {}): Promise<TableRef> {
  const names = Object.keys(columns);
  const { rowIds: fileIds } = await readFileOrder(base);
  const n = fileIds.length;
  for (const name of names) {
    if (columns[name].length !== n) {
      throw new FlowlineError({ code: 'INTERNAL', nodeId: ctx.nodeId, column: name, message: `writeColumns: column "${name}" has ${columns[name].length} values but the table has ${n} rows.` });
    }
  }
  // The file may not be in ROW_ID order: put each JS value at its row's file position, then
  // join by position (both sides scan in insertion order).
  const order = sortOrder(fileIds);
  const inFileOrder = (c: ColumnData): ColumnData => {
    if (!order) return c;
    if (c instanceof Float64Array) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[order[i]] = c[i];
      return out;
    }
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) out[order[i]] = c[i];
    return out;
  };
  const path = join(ctx.outDir, `${opts.port ?? 'table'}.parquet`);
  return withConnection(async (con) => {
    const table = tempName('js');
    const internal = names.map((_, j) => `c${j}`);
    if (names.length) await appendColumns(con, table, names.map((name, j) => ({ name: internal[j], data: inFileOrder(columns[name]) })));
    const out = await writeJoined(con, base, table, names, internal, path, opts);
    if (names.length) await con.run(`DROP TABLE IF EXISTS ${table}`);
    return out;
  });
}

/**
 * Write `base` POSITIONAL JOIN `joined` (a table or FROM-able fragment whose columns `internal`,
 * one per name in `names`, hold rows in base's file order) to `path`: same-named base columns
 * replaced in place, new ones at the end.
 */
export async function writeJoined(con: DuckDBConnection, base: TableRef, joined: string, names: string[], internal: string[], path: string, opts: WriteColumnsOptions = {}): Promise<TableRef> {
  const baseCols = (await columnSchemas(con, `SELECT * FROM ${relation(base)}`)).filter((c) => c.name !== ROW_ID);
  // The width sizes the row groups under a small memory cap (copyToParquet).
  const rowCount = await copyToParquet(con, joinedSelect(baseCols, relation(base), joined, names, internal, opts.drop), path, { columns: baseCols.length + names.length + 1 });
  const schema = await fileSchema(path, con);
  return { kind: 'table', path, columns: schema, rowCount, recipe: opts.recipe ?? base.recipe };
}

/** The SELECT writeJoined writes: `baseFrom` (base's visible columns `baseCols`, and ROW_ID) POSITIONAL JOIN `joined`. */
export function joinedSelect(baseCols: ColumnSchema[], baseFrom: string, joined: string, names: string[], internal: string[], dropped: string[] = []): string {
  const drop = new Set(dropped);
  const projected: string[] = [`b.${ident(ROW_ID)}`];
  for (const c of baseCols) {
    if (drop.has(c.name)) continue;
    const j = names.indexOf(c.name);
    projected.push(j >= 0 ? `j.${internal[j]} AS ${ident(c.name)}` : `b.${ident(c.name)}`);
  }
  names.forEach((name, j) => {
    if (!baseCols.some((c) => c.name === name)) projected.push(`j.${internal[j]} AS ${ident(name)}`);
  });
  return `SELECT ${projected.join(', ')} FROM ${baseFrom} b${names.length ? ` POSITIONAL JOIN ${joined} j` : ''}`;
}

/** ROW_ID of every row in file order. */
async function readFileOrder(t: { path: string }): Promise<{ rowIds: Int32Array }> {
  return withConnection(async (con) => {
    const result = await con.stream(`SELECT CAST(${ident(ROW_ID)} AS INTEGER) FROM ${relation(t)}`);
    const parts: Int32Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const v = chunk.getColumnVector(0);
      const items = vectorItems(v, Int32Array);
      const part = items ? items.slice(0, chunk.rowCount) : Int32Array.from({ length: chunk.rowCount }, (_, i) => v.getItem(i) as number);
      parts.push(part);
      total += part.length;
    }
    const rowIds = new Int32Array(total);
    let k = 0;
    for (const p of parts) {
      rowIds.set(p, k);
      k += p.length;
    }
    return { rowIds };
  });
}

/**
 * Row subsets of one table by ROW_ID, each written to its own port (ROW_ID and the recipe kept,
 * rows in ROW_ID order): what sampling and splitting produce.
 */
export async function writeRowSubsets(ctx: RunContext, t: TableRef, parts: Record<string, RowIds>): Promise<Record<string, TableRef>> {
  return withConnection(async (con) => {
    const ports = Object.keys(parts);
    const table = tempName('subsets');
    const total = ports.reduce((n, p) => n + parts[p].length, 0);
    const ids = new Float64Array(total);
    const part = new Float64Array(total);
    let k = 0;
    ports.forEach((p, j) => {
      const list = parts[p];
      for (let i = 0; i < list.length; i++) {
        ids[k] = list[i];
        part[k++] = j;
      }
    });
    await appendColumns(con, table, [
      { name: 'id', data: ids, sqlType: 'INTEGER' },
      { name: 'part', data: part, sqlType: 'INTEGER' },
    ]);
    const out: Record<string, TableRef> = {};
    for (let j = 0; j < ports.length; j++) {
      const sql = `SELECT * FROM ${relation(t)} WHERE ${ident(ROW_ID)} IN (SELECT id FROM ${table} WHERE part = ${j}) ORDER BY ${ident(ROW_ID)}`;
      out[ports[j]] = await writeTableOn(con, ctx, sql, { port: ports[j], recipe: t.recipe });
    }
    return out;
  });
}

