/**
 * The embedded DuckDB engine: one instance per process (and per worker thread, since each thread
 * loads its own copy of this module), created on first use. Every caller gets its own connection
 * (`withConnection` closes it for you): a DuckDB connection runs one query at a time, and the
 * executor runs several nodes at once.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { FlowlineError } from '../spec/errors.ts';
import { parseBytes } from './bytes.ts';
import { spillRoot } from './spill-root.ts';

let instance: Promise<DuckDBInstance> | null = null;

const SPILL_PREFIX = 'flowline-duckdb-';

/** The spill folder of one DuckDB instance: one per process and thread (file names would clash). */
export function spillFolder(pid = process.pid, thread = threadId, root = spillRoot()): string {
  return join(root, `${SPILL_PREFIX}${pid}-${thread}`);
}

/**
 * Remove spill folders: this process's (every thread's) at exit, and at start those of processes
 * that ended without cleaning up (killed, crashed). DuckDB makes its folder only when it spills.
 */
function removeSpillFolders(which: 'ours' | 'orphans', root = spillRoot()): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^flowline-duckdb-(\d+)-\d+$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (which === 'ours' ? pid !== process.pid : pid === process.pid || alive(pid)) continue;
    try {
      rmSync(join(root, name), { recursive: true, force: true });
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

// A terminated worker thread runs no exit handler, so the main thread removes every thread's
// folder (in the spill root as it is at exit, and in the system temp folder used before it was set).
if (isMainThread) {
  process.once('exit', () => {
    removeSpillFolders('ours');
    if (spillRoot() !== tmpdir()) removeSpillFolders('ours', tmpdir());
  });
} else process.once('exit', () => rmSync(spillFolder(), { recursive: true, force: true }));

/** The machine's memory, or the process's cgroup limit where that is lower. */
export function machineMemory(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  // Without a cgroup limit Node reports 0 or a huge sentinel (2^64).
  return constrained > 0 && constrained < 2 ** 62 ? Math.min(totalmem(), constrained) : totalmem();
}

/** A memory cap below which the data layer takes its leaner paths (smaller buffers and row groups, narrower queries). */
export const SMALL_MEMORY = 256 * 1024 ** 2;

/** Share of the machine's memory one DuckDB instance may use by default (see duckdbMemoryLimit). */
export const DEFAULT_MEMORY_SHARE = 0.25;
const MIN_MEMORY_LIMIT = 256 * 1024 ** 2;
/** The least memory DuckDB is given, as a cap or as its buffer pool (the past-memory tests run at it). */
const MIN_DUCKDB_MEMORY = 16 * 1024 ** 2;

/**
 * Memory one DuckDB instance may use, spilling to disk past it (its buffer pool is 70% of it:
 * duckdbBufferPool): FLOWLINE_DUCKDB_MEMORY ("2GB", "40%" of the machine), else a quarter of the
 * machine's memory, at least 256 MB. DuckDB's own default (80%) is per instance, and the process
 * and each worker thread has one: three of them could ask for 240% of the machine and be killed
 * instead of spilling.
 */
export function duckdbMemoryLimit(setting = process.env.FLOWLINE_DUCKDB_MEMORY): number {
  const text = setting?.trim() ?? '';
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  if (pct && Number(pct[1]) > 0 && Number(pct[1]) <= 100) return Math.max(MIN_MEMORY_LIMIT, Math.floor((machineMemory() * Number(pct[1])) / 100));
  const bytes = parseBytes(text);
  if (bytes !== null && bytes > 0) return Math.max(MIN_DUCKDB_MEMORY, Math.floor(bytes));
  if (text) {
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `FLOWLINE_DUCKDB_MEMORY is "${setting}": give a size such as 2GB or 512MB, or a share of the machine's memory such as 40%.` });
  }
  return Math.max(MIN_MEMORY_LIMIT, Math.floor(machineMemory() * DEFAULT_MEMORY_SHARE));
}

/** Share of the memory cap DuckDB's buffer pool gets (see duckdbBufferPool). */
const BUFFER_POOL_SHARE = 0.7;

/**
 * DuckDB's buffer pool inside a memory cap: 70% of it, at least 16 MB. DuckDB's memory_limit
 * bounds its buffer manager only: the CSV reader, hash tables being built and the vectors of a
 * result allocate beside it, and DuckDB's own advice against running out of memory is a limit
 * well below the memory one means to use. With the pool at the whole 1 GB cap, a 16M-row load →
 * profile → filter → aggregate peaked at 1.2–1.33 GB (bench/scale.ts); at 80%, 1.06–1.19 GB; at
 * 70%, 0.99–1.03 GB, in the same time.
 */
export function duckdbBufferPool(cap = duckdbMemoryLimit()): number {
  return Math.max(MIN_DUCKDB_MEMORY, Math.floor(cap * BUFFER_POOL_SHARE));
}

/** Memory each DuckDB thread gets at least: fewer threads under a smaller cap. */
const MEMORY_PER_THREAD = 32 * 1024 ** 2;

function createInstance(): Promise<DuckDBInstance> {
  const spill = spillFolder();
  const limit = duckdbMemoryLimit();
  if (isMainThread) removeSpillFolders('orphans');
  return DuckDBInstance.create(':memory:', {
    // Larger-than-memory tables spill here instead of failing.
    temp_directory: spill,
    memory_limit: `${Math.floor(duckdbBufferPool(limit) / 1024 ** 2)}MiB`,
    // Every thread holds its own buffers (a CSV buffer, a row group being written): under a small
    // cap two threads ran out where one spilled and finished (a 16 MB cap, a 50 MB CSV).
    threads: String(Math.max(1, Math.min(availableParallelism(), Math.floor(limit / MEMORY_PER_THREAD)))),
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
