/**
 * The embedded DuckDB engine: one instance per process (and per worker thread, since each thread
 * loads its own copy of this module), created on first use. Every caller gets its own connection
 * (`withConnection` closes it for you): a DuckDB connection runs one query at a time, and the
 * executor runs several nodes at once.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

let instance: Promise<DuckDBInstance> | null = null;

function createInstance(): Promise<DuckDBInstance> {
  // One folder per instance: a worker thread has its own instance, and spill file names would clash.
  const spill = join(tmpdir(), `flowline-duckdb-${process.pid}-${threadId}`);
  mkdirSync(spill, { recursive: true });
  return DuckDBInstance.create(':memory:', {
    // Larger-than-memory tables spill here instead of failing (DESIGN.md §4).
    temp_directory: spill,
    // Row order is part of a table's meaning here (ROW_ID, previews): never let DuckDB reorder.
    preserve_insertion_order: 'true',
    // No network: never try to auto-install an extension from extensions.duckdb.org.
    autoinstall_known_extensions: 'false',
  });
}

/** The process-wide DuckDB instance (lazily created). */
export function database(): Promise<DuckDBInstance> {
  if (!instance) {
    instance = createInstance();
    instance.catch(() => {
      instance = null;
    });
  }
  return instance;
}

/** A new connection to the shared instance. Close it with `closeSync()` when done, or use withConnection. */
export async function connection(): Promise<DuckDBConnection> {
  return (await database()).connect();
}

/**
 * Run `fn` with a connection of its own, closed afterwards (temp tables vanish with it). With a
 * `signal` (a node's ctx.signal), cancelling the run interrupts the running query.
 */
export async function withConnection<T>(fn: (con: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const con = await connection();
  const onAbort = () => con.interrupt();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(con);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    con.closeSync();
  }
}

/** Quote an identifier (column or table name) for SQL: ident('my col') → "my col". */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A SQL literal for a JS value: strings quoted, null → NULL, NaN → 'NaN'::DOUBLE, dates → TIMESTAMP. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return "'" + value.replace(/'/g, "''") + "'";
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return "'NaN'::DOUBLE";
    if (!Number.isFinite(value)) return value > 0 ? "'Infinity'::DOUBLE" : "'-Infinity'::DOUBLE";
    return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : `${value}::DOUBLE`;
  }
  if (value instanceof Date) return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')}'`;
  if (Array.isArray(value)) return '[' + value.map(literal).join(', ') + ']';
  throw new Error(`cannot write ${typeof value} as a SQL literal`);
}

/** A comma-separated list of quoted identifiers. */
export function identList(names: readonly string[]): string {
  return names.map(ident).join(', ');
}
