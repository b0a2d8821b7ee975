/**
 * Table files: a table is a Parquet file (visible columns + ROW_ID). Writing one from SQL, reading
 * its schema, and the SQL fragment that reads it. Import from tables.ts, which re-exports this.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowlineError, ROW_ID, type ColumnSchema, type ColumnType, type Recipe, type RunContext, type TableRef } from '../spec/index.ts';
import { statFingerprint } from '../exec/hash.ts';
import { duckdbMemoryLimit, ident, literal, SMALL_MEMORY, withConnection } from './engine.ts';

export type ColumnData = Float64Array | (string | null)[];
export type RowIds = Int32Array | Float64Array | Uint32Array | number[];

/**
 * Files of a table whose ROW_IDs are 0..n-1 in file order (what a source or any other row-creating
 * step writes) store no ROW_ID column: the row's position in the file is its ROW_ID, read back by
 * DuckDB's file_row_number. Writing the ids would take a second pass over the rows (row_number()
 * OVER () serialises the query; numbering a staged copy by position writes every row twice). The
 * name says which kind a file is, so every reader of a path, including a recipe's base, agrees.
 */
export const ROWS_IN_ORDER = '.in-order.parquet';

/** SQL FROM-fragment reading a table's Parquet file (visible columns and ROW_ID); with `rows`, only its file rows [from, to). */
export function relation(t: TableRef | { path: string }, rows?: { from: number; to: number }): string {
  const inOrder = t.path.endsWith(ROWS_IN_ORDER);
  if (!inOrder && !rows) return `read_parquet(${literal(t.path)})`;
  // A range of file rows: DuckDB skips the row groups outside it (a chunk costs the chunk, not the file).
  const range = rows ? ` WHERE file_row_number >= ${rows.from} AND file_row_number < ${rows.to}` : '';
  return `(SELECT ${inOrder ? `file_row_number AS ${ident(ROW_ID)}, ` : ''}* EXCLUDE (file_row_number) FROM read_parquet(${literal(t.path)}, file_row_number=true)${range})`;
}

/** Map a DuckDB type name to our coarse ColumnType. */
export function columnType(dbType: string): ColumnType {
  const t = dbType.toUpperCase();
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC)/.test(t)) return 'number';
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return 'integer';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t.startsWith('ENUM')) return 'string';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

/** Values bound to $1, $2, ... in a SELECT (literals from user text are never spliced into SQL). */
export type SqlParams = (number | string)[];

/** Column schemas of a SELECT (or any FROM-able fragment wrapped in SELECT), ROW_ID included if present. */
export async function columnSchemas(con: DuckDBConnection, selectSql: string, params?: SqlParams): Promise<ColumnSchema[]> {
  const reader = await con.runAndReadAll(`DESCRIBE ${selectSql}`, params);
  return reader.getRowObjectsJS().map((r) => {
    const dbType = String(r.column_type);
    return { name: String(r.column_name), type: columnType(dbType), dbType };
  });
}

/** Visible columns (ROW_ID removed) of a Parquet file. */
export async function fileSchema(path: string, con?: DuckDBConnection): Promise<ColumnSchema[]> {
  const run = (c: DuckDBConnection) => columnSchemas(c, `SELECT * FROM ${relation({ path })}`);
  const all = con ? await run(con) : await withConnection(run);
  return all.filter((c) => c.name !== ROW_ID);
}

export function emptyRecipe(): Recipe {
  return { base: null, steps: [] };
}

let tempCounter = 0;
/** A unique name for temp tables and scratch files. */
export function tempName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${tempCounter++}`;
}

export interface WriteTableOptions {
  /** Output port name; the file is `${ctx.outDir}/${port}.parquet`. Default "table". */
  port?: string;
  /** Recipe of the output (default: a new empty recipe). */
  recipe?: Recipe;
  /** Assign ROW_ID 0..n-1 in result order (sources, union, aggregate, SQL). Otherwise the SELECT must carry ROW_ID through. */
  newRowIds?: boolean;
  /** Values for $1, $2, ... in the SELECT. */
  params?: SqlParams;
}

/**
 * Materialise a SELECT into `${ctx.outDir}/${port}.parquet` (temp file, then rename: a failed run
 * never leaves a partial table) and return its TableRef.
 */
export async function writeTable(ctx: RunContext, selectSql: string, opts: WriteTableOptions = {}): Promise<TableRef> {
  return withConnection((con) => writeTableOn(con, ctx, selectSql, opts), ctx.signal);
}

/** writeTable on a connection you hold (when the SELECT reads temp tables of that connection). */
export async function writeTableOn(con: DuckDBConnection, ctx: RunContext, selectSql: string, opts: WriteTableOptions = {}): Promise<TableRef> {
  const port = opts.port ?? 'table';
  const schema = await columnSchemas(con, selectSql, opts.params);
  const visible = schema.filter((c) => c.name !== ROW_ID);
  const visibleList = visible.map((c) => ', ' + ident(c.name)).join('');
  const done = (path: string, rowCount: number): TableRef => ({ kind: 'table', path, columns: visible, rowCount, recipe: opts.recipe ?? emptyRecipe() });
  if (opts.newRowIds && visible.length && !visible.some((c) => c.name === 'file_row_number')) {
    // New ids in the SELECT's row order, which DuckDB keeps (preserve_insertion_order): the rows
    // are written once and their position in the file is their ROW_ID (see ROWS_IN_ORDER).
    const path = join(ctx.outDir, `${port}${ROWS_IN_ORDER}`);
    return done(path, await copyToParquet(con, `SELECT ${visible.map((c) => ident(c.name)).join(', ')} FROM (${selectSql})`, path, { params: opts.params, columns: visible.length }));
  }
  const path = join(ctx.outDir, `${port}.parquet`);
  let sql: string;
  if (opts.newRowIds) {
    sql = `SELECT (row_number() OVER () - 1)::BIGINT AS ${ident(ROW_ID)}${visibleList} FROM (${selectSql})`;
  } else {
    if (!schema.some((c) => c.name === ROW_ID)) {
      throw new FlowlineError({ code: 'INTERNAL', nodeId: ctx.nodeId, message: `writeTable: the SELECT does not carry the ${ROW_ID} column; pass newRowIds: true for a row-creating step.` });
    }
    sql = `SELECT ${ident(ROW_ID)}${visibleList} FROM (${selectSql})`;
  }
  return done(path, await copyToParquet(con, sql, path, { params: opts.params, columns: visible.length + 1 }));
}

/** Columns above which a table file is written without the 16 KB dictionary cap (see copyToParquet). */
export const WIDE_COLUMNS = 100;

/** COPY a SELECT to a Parquet file atomically; returns the number of rows written. */
export async function copyToParquet(con: DuckDBConnection, selectSql: string, path: string, opts: { params?: SqlParams; columns?: number } = {}): Promise<number> {
  const tmp = `${path}.${tempName('tmp')}`;
  // Cap dictionaries at 16 KB: category columns keep theirs, while columns of distinct
  // numbers stop trying early (about a fifth less CPU for the same file size on the ingest bench).
  // No bloom filters: they only speed up equality filters on huge files, and building them cost
  // about 15% of the write (bench/ingest: 1M x 20 rows, ~1.0 s -> ~0.85 s CPU). No compression:
  // a table file is written once and read by every later step, and bench/table-writer.ts (same
  // run, settings in turns) gave uncompressed against lz4_raw, which these files used before:
  // write 0.78-0.89x, profile 0.86-0.88x, readColumns 0.86-0.88x the CPU, for a file a third
  // larger (90 MB against 68 MB for 1M x 20; the CSV is 121 MB). Snappy and zstd cost more CPU,
  // Parquet v2 encodings and larger row groups slow the reads. Table files are only read by
  // DuckDB here; data.write_parquet exports with its own settings (writers.ts).
  // But that cap costs a fixed ~10 ms per column and row group whatever the rows (a 1,000-column
  // CSV of two rows took 13 s to write): wide tables keep DuckDB's default dictionaries.
  // Under a small memory cap (below 256 MB) the capped dictionaries ran out of memory (DuckDB
  // 1.5, a 16 MB cap) where the default ones spill: keep the default there too.
  try {
    const res = await con.runAndReadAll(`COPY (${selectSql}) TO ${literal(tmp)} (${tableFileOptions(opts.columns)})`, opts.params);
    const rows = res.getRowsJS();
    await rename(tmp, path);
    const n = rows.length ? Number(rows[0][0]) : NaN;
    return Number.isFinite(n) ? n : countRows(con, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The COPY options of a table file of `columns` columns (see copyToParquet for why these). */
export function tableFileOptions(columns = 0): string {
  const small = duckdbMemoryLimit() < SMALL_MEMORY;
  return `FORMAT parquet, COMPRESSION uncompressed${columns > WIDE_COLUMNS || small ? '' : ', DICTIONARY_SIZE_LIMIT 16384'}, WRITE_BLOOM_FILTER false${rowGroupOption(columns)}`;
}

/** DuckDB's rows per row group: the writer holds a whole row group of every column in memory. */
const DEFAULT_ROW_GROUP = 122_880;

/**
 * Under a small memory cap, smaller row groups: a group of 122,880 rows × 20 columns is ~20 MB
 * in memory before it is written, more than a 16 MB cap. Sized so one group (at ~16 bytes a value)
 * takes an eighth of the cap; DuckDB's default wherever that is larger.
 */
function rowGroupOption(columns = 0): string {
  const rows = Math.floor(duckdbMemoryLimit() / 8 / (16 * Math.max(1, columns)));
  return rows >= DEFAULT_ROW_GROUP ? '' : `, ROW_GROUP_SIZE ${Math.max(2048, rows)}`;
}

async function countRows(con: DuckDBConnection, path: string): Promise<number> {
  const r = await con.runAndReadAll(`SELECT count(*) FROM ${relation({ path })}`);
  return Number(r.getRowsJS()[0][0]);
}

// ---------------------------------------------------------------------------------------------
// Columns ↔ JS typed arrays

/** A TableRef for an existing Parquet file with a ROW_ID column (schema and row count read from it). */
export async function tableRefOf(path: string, recipe?: Recipe): Promise<TableRef> {
  return withConnection(async (con) => {
    const columns = await fileSchema(path, con);
    const rowCount = await countRows(con, path);
    return { kind: 'table', path, columns, rowCount, recipe: recipe ?? emptyRecipe() };
  });
}

/** size + mtime of a file, for ArtifactValue.fingerprint. */
export async function fileFingerprint(path: string): Promise<string> {
  // The executor compares this with statFingerprint() to decide whether an artifact changed.
  return (await statFingerprint(path)) ?? 'missing';
}

