/**
 * The embedded DuckDB engine: one instance per process (and per worker thread, since each thread
 * loads its own copy of this module), created on first use. Every caller gets its own connection
 * (`withConnection` closes it for you): a DuckDB connection runs one query at a time, and the
 * executor runs several nodes at once.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { FlowlineError } from '../spec/errors.ts';

let instance: Promise<DuckDBInstance> | null = null;

const SPILL_PREFIX = 'flowline-duckdb-';

/** The spill folder of one DuckDB instance: one per process and thread (file names would clash). */
export function spillFolder(pid = process.pid, thread = threadId): string {
  return join(tmpdir(), `${SPILL_PREFIX}${pid}-${thread}`);
}

/**
 * Remove spill folders: this process's (every thread's) at exit, and at start those of processes
 * that ended without cleaning up (killed, crashed). DuckDB makes its folder only when it spills.
 */
export function removeSpillFolders(which: 'ours' | 'orphans'): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^flowline-duckdb-(\d+)-\d+$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (which === 'ours' ? pid !== process.pid : pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    } catch {
      // In use by another process after all, or not ours to remove: leave it.
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A terminated worker thread runs no exit handler, so the main thread removes every thread's folder.
if (isMainThread) process.once('exit', () => removeSpillFolders('ours'));
else process.once('exit', () => rmSync(spillFolder(), { recursive: true, force: true }));

function createInstance(): Promise<DuckDBInstance> {
  const spill = spillFolder();
  if (isMainThread) removeSpillFolders('orphans');
  return DuckDBInstance.create(':memory:', {
    // Larger-than-memory tables spill here instead of failing.
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
  if (signal?.aborted) throw cancelled();
  const con = await connection();
  // interrupt() stops the query running now; a cancel that lands between two queries (or before
  // the first) would stop nothing, so keep interrupting until fn gives up.
  let again: ReturnType<typeof setInterval> | undefined;
  const onAbort = () => {
    con.interrupt();
    again ??= setInterval(() => con.interrupt(), INTERRUPT_EVERY_MS);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw cancelled();
    return await fn(con);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    clearInterval(again);
    con.closeSync();
  }
}

const INTERRUPT_EVERY_MS = 20;

const cancelled = () => new FlowlineError({ code: 'CANCELLED', message: 'Run cancelled.' });

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
