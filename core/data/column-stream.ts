/**
 * Tables larger than memory through JS, a bounded chunk at a time (Predict on millions of rows):
 * `streamColumns` reads columns in chunks of a fixed number of rows, in the query's row order, and
 * `writeColumnsStreamed` appends JS-computed columns chunk by chunk and writes them beside a base
 * table, as `writeColumns` does with whole columns. Memory is a few chunks, never the row count:
 * the appended rows wait in Parquet files on disk.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FlowlineError, ROW_ID, type RunContext, type TableRef } from '../spec/index.ts';
import { ident, literal, withConnection } from './engine.ts';
import { appendColumns, numericSelect, readStrings, vectorItems, writeJoined, type ColumnsRead, type WriteColumnsOptions } from './columns.ts';
import { canShare, sharedFloat64, sharedInt32 } from './shared-arrays.ts';
import { columnSchemas, copyToParquet, tempName, type ColumnData } from './table-files.ts';

export interface StreamColumnsOptions {
  /** Rows per chunk handed to `onChunk` (the last one may be shorter). */
  chunkRows: number;
  signal?: AbortSignal;
  /**
   * Reuse the numeric columns' and ROW_IDs' arrays, in a ring of this many sets on shared memory:
   * chunk k's arrays are filled again for chunk k + reuse, which is read once onChunk for chunk
   * k + reuse − 1 has resolved. A caller that is done with a chunk when the next chunk's onChunk
   * resolves passes 2 (read one chunk ahead). Without it (or without shared memory) every chunk
   * has arrays of its own.
   */
  reuse?: number;
}

/**
 * Read `names` (and ROW_ID) from the FROM-able fragment `fromSql` in chunks of `chunkRows` rows, in
 * its scan order (a Parquet file's own order), typed as readColumns types them (numbers, booleans,
 * dates → Float64Array with NaN for missing; text → strings). Each chunk is awaited before the
 * next is read. Returns the number of rows read.
 */
export async function streamColumns(fromSql: string, names: string[], opts: StreamColumnsOptions, onChunk: (chunk: ColumnsRead) => Promise<void>): Promise<number> {
  const size = Math.max(1, Math.floor(opts.chunkRows));
  return withConnection(async (con) => {
    const schema = await columnSchemas(con, `SELECT * FROM ${fromSql}`);
    const byName = new Map(schema.map((c) => [c.name, c]));
    const selects = [`CAST(${ident(ROW_ID)} AS INTEGER)`];
    const numeric = names.map((name) => {
      const c = byName.get(name);
      if (!c || name === ROW_ID) throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: name, message: `Column "${name}" is not in the table.`, hint: 'Check the column list.' });
      const num = numericSelect(c, false);
      selects.push(num ?? `CAST(${ident(name)} AS VARCHAR)`);
      return num !== null;
    });
    const result = await con.stream(`SELECT ${selects.join(', ')} FROM ${fromSql}`);
    const caches = names.map(() => new Map<number, Map<number, Map<number, string>>>());
    const ring = opts.reuse && opts.reuse > 0 && canShare() ? Math.floor(opts.reuse) : 0;
    const sets: { ids: Int32Array; nums: (Float64Array | null)[] }[] = [];
    let emitted = 0;
    const arrays = () => {
      if (!ring) return { ids: new Int32Array(size), nums: numeric.map((n) => (n ? new Float64Array(size) : null)) };
      const slot = emitted % ring;
      sets[slot] ??= { ids: sharedInt32(size), nums: numeric.map((n) => (n ? sharedFloat64(size) : null)) };
      return sets[slot];
    };
    // Text goes into arrays of the chunk's length, written by index: pushing 8M strings a chunk at a
    // time took 4× as long (a streamed Predict's thread, 4M rows × 2 text columns).
    const fresh = () => ({ ...arrays(), strs: numeric.map((n): (string | null)[] | null => (n ? null : new Array<string | null>(size))) });
    let buf = fresh();
    let n = 0;
    let total = 0;
    const emit = async () => {
      const columns: Record<string, ColumnData> = {};
      // A short last chunk: a view when the arrays are the ring's (they are not given away), else a copy of its own size.
      const cut = <T extends Float64Array | Int32Array>(a: T): T => (n === size ? a : ring ? (a.subarray(0, n) as T) : (a.slice(0, n) as T));
      names.forEach((name, j) => {
        const strs = buf.strs[j];
        if (strs) strs.length = n;
        columns[name] = strs ?? cut(buf.nums[j]!);
      });
      const chunk = { rowIds: cut(buf.ids), columns };
      total += n;
      emitted++;
      buf = fresh();
      n = 0;
      await onChunk(chunk);
    };
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      // The chunk decoded whole, then copied into the buffer piece by piece (it may straddle two).
      const idVec = chunk.getColumnVector(0);
      const ids = vectorItems(idVec, Int32Array) ?? Int32Array.from({ length: m }, (_, i) => idVec.getItem(i) as number);
      // Text straight into the buffer when the whole chunk fits (DuckDB's 2,048-row chunks always
      // do in a buffer of a multiple of that); those columns are null below, already copied.
      const fits = n + m <= size;
      const cols = names.map((_, j): Float64Array | (string | null)[] | null => {
        const vec = chunk.getColumnVector(j + 1);
        if (numeric[j]) return vectorItems(vec, Float64Array) ?? Float64Array.from({ length: m }, (_, i) => (vec.getItem(i) as number | null) ?? NaN);
        if (fits) {
          readStrings(vec, m, buf.strs[j]!, caches[j], n);
          return null;
        }
        const out = new Array<string | null>(m);
        readStrings(vec, m, out, caches[j], 0);
        return out;
      });
      for (let at = 0; at < m; ) {
        const take = Math.min(m - at, size - n);
        buf.ids.set(ids.subarray(at, at + take), n);
        cols.forEach((c, j) => {
          if (c === null) return;
          if (c instanceof Float64Array) buf.nums[j]!.set(c.subarray(at, at + take), n);
          else {
            const strs = buf.strs[j]!;
            for (let i = 0; i < take; i++) strs[n + i] = c[at + i];
          }
        });
        n += take;
        at += take;
        if (n === size) await emit();
      }
    }
    if (n > 0) await emit();
    return total;
  }, opts.signal);
}

/** Rows of base tables writeColumnsStreamed has written since the process started (tests: each row once). */
export const columnStreamStats = { baseRowsWritten: 0 };

/**
 * A new table = `base` plus the columns `produce` appends chunk by chunk in base's FILE order (the
 * order `relation(base)` scans it): what `writeColumns` writes, without holding a whole column.
 * The first chunk names the columns and types them (Float64Array → DOUBLE, text → VARCHAR); every
 * later chunk has the same. Appending fewer or more rows than base has is an INTERNAL error.
 *
 * Each chunk goes to a Parquet part of its own beside the output (removed at the end), and the
 * output is base POSITIONAL JOIN the parts, written once whatever the size: both sides are bare
 * Parquet scans, which DuckDB plans as a positional scan (POSITIONAL_SCAN) reading the two in
 * step, a chunk of each at a time, not as a join that first holds its right side. (Joining each
 * chunk to its rows and copying the parts into one file, which tables past a quarter of the cap
 * used to do, wrote every row twice: Predict on 16M rows under a 1 GB cap took 193 s, 122 s of
 * CPU and 813 MB at its peak that way, against 118 s, 78 s and 567 MB for this one join.) A test
 * pins the plan.
 */
export async function writeColumnsStreamed(
  ctx: RunContext,
  base: TableRef,
  produce: (append: (values: Record<string, ColumnData>) => Promise<void>) => Promise<void>,
  opts: WriteColumnsOptions = {},
): Promise<TableRef> {
  const path = join(ctx.outDir, `${opts.port ?? 'table'}.parquet`);
  const fail = (message: string) => new FlowlineError({ code: 'INTERNAL', nodeId: ctx.nodeId, message: `writeColumnsStreamed: ${message}` });
  const parts: string[] = [];
  return withConnection(async (con) => {
    let names: string[] | null = null;
    let appended = 0;
    const internal = () => names!.map((_, j) => `c${j}`);
    try {
      await produce(async (values) => {
        if (!names) {
          names = Object.keys(values);
          if (!names.length) throw fail('a chunk has no columns.');
        }
        const m = values[names[0]]?.length ?? 0;
        if (Object.keys(values).length !== names.length || names.some((n) => values[n]?.length !== m)) throw fail(`a chunk's columns differ from the first chunk's (${names.join(', ')}) or in length.`);
        if (m === 0) return;
        const stage = tempName('jss');
        await appendColumns(con, stage, names.map((n, j) => ({ name: internal()[j], data: values[n] })));
        const part = `${path}.${String(parts.length).padStart(6, '0')}.${stage}.part.parquet`;
        parts.push(part);
        await copyToParquet(con, `SELECT * FROM ${stage}`, part, { columns: names.length });
        await con.run(`DROP TABLE ${stage}`);
        appended += m;
      });
      if (appended !== base.rowCount) throw fail(`${appended} rows appended but the table has ${base.rowCount}.`);
      if (!names || !parts.length) return await writeJoined(con, base, '', [], [], path, opts);
      const out = await writeJoined(con, base, partsRelation(parts), names, internal(), path, opts);
      columnStreamStats.baseRowsWritten += out.rowCount;
      return out;
    } finally {
      for (const part of parts) rmSync(part, { force: true });
    }
  }, ctx.signal);
}

/** The appended columns' parts as one FROM-able scan, in order (a bare scan: see writeColumnsStreamed). */
export function partsRelation(parts: string[]): string {
  return `read_parquet([${parts.map(literal).join(', ')}])`;
}
