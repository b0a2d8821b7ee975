/**
 * Parquet and JSON sources. Every source returns a new table: ROW_IDs 0..n-1 in file order and an
 * empty recipe. CSV lives in csv.ts, Excel in excel.ts, PostgreSQL in postgres.ts.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { FlowlineError, type RunContext, type TableRef } from '../spec/index.ts';
import type { KnownTable } from '../spec/known-columns.ts';
import { literal, withConnection } from './engine.ts';
import { duckdbMessage } from './errors.ts';
import { checkFile, checkTextFile, resolveDataPath } from './files.ts';
import { columnSchemas, writeTable } from './tables.ts';

async function noRowsCheck(ctx: RunContext, t: TableRef, shown: string): Promise<TableRef> {
  if (t.rowCount > 0) return t;
  await rm(t.path, { force: true });
  throw new FlowlineError({ code: 'NO_ROWS', nodeId: ctx.nodeId, file: shown, message: `"${shown}" has no data rows.`, hint: 'Choose a file with rows in it.' });
}

/** Load a Parquet file (or a glob of them, e.g. "data/*.parquet"). */
export async function loadParquet(ctx: RunContext, path: string, port = 'table'): Promise<TableRef> {
  const abs = resolveDataPath(ctx, path);
  if (!/[*?[]/.test(path)) await checkFile(ctx, abs, path);
  let table: TableRef;
  try {
    table = await writeTable(ctx, `SELECT * FROM read_parquet(${literal(abs)})`, { port, newRowIds: true });
  } catch (e) {
    const msg = duckdbMessage(e).split('\n')[0];
    if (/No files found/i.test(msg)) {
      throw new FlowlineError({ code: 'FILE_NOT_FOUND', nodeId: ctx.nodeId, file: path, message: `No file matches "${path}".`, hint: 'Check the path; a relative path is read from the folder the pipeline file is in.' });
    }
    throw new FlowlineError({ code: 'BAD_DATA', nodeId: ctx.nodeId, file: path, message: `"${path}" is not a readable Parquet file: ${msg}`, hint: 'Check that the file is Parquet (not CSV or Excel renamed) and was written completely.' });
  }
  return noRowsCheck(ctx, table, path);
}

export type JsonFormat = 'auto' | 'array' | 'lines';

const jsonSource = (abs: string, format: JsonFormat) => `read_json(${literal(abs)}${format === 'array' ? `, format='array'` : format === 'lines' ? `, format='newline_delimited'` : ''})`;

/** The columns Load JSON will produce, from DuckDB's schema inference (no rows are written). */
export async function describeJson(abs: string, format: JsonFormat = 'auto'): Promise<KnownTable> {
  return { columns: await withConnection((con) => columnSchemas(con, `SELECT * FROM ${jsonSource(abs, format)}`)) };
}

/** Load JSON: an array of objects, or one object per line (NDJSON). Nested objects stay as structs. */
export async function loadJson(ctx: RunContext, path: string, format: JsonFormat = 'auto', port = 'table'): Promise<TableRef> {
  const abs = resolveDataPath(ctx, path);
  await checkTextFile(ctx, abs, path, 'JSON');
  let table: TableRef;
  try {
    table = await writeTable(ctx, `SELECT * FROM ${jsonSource(abs, format)}`, { port, newRowIds: true });
  } catch (e) {
    const msg = duckdbMessage(e).split('\n')[0];
    const line = await locateJsonError(abs);
    throw new FlowlineError({
      code: 'BAD_DATA',
      nodeId: ctx.nodeId,
      file: path,
      line: line?.line,
      message: line ? `Line ${line.line} of "${path}" is not valid JSON: ${line.reason}` : `"${path}" could not be read as JSON: ${msg.replace(/^Malformed JSON in file "[^"]*", /, '')}`,
      hint: 'Each record must be a JSON object: either all in one [ ... ] array, or one object per line.',
    });
  }
  return noRowsCheck(ctx, table, path);
}

/** Find the first bad line of a JSON or NDJSON file with JS's strict parser (files up to 64 MB). */
export async function locateJsonError(abs: string): Promise<{ line: number; reason: string } | null> {
  if ((await stat(abs)).size > 64 << 20) return null;
  const text = (await readFile(abs, 'utf8')).replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) {
    try {
      JSON.parse(text);
      return null;
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      if (!m) return null;
      const pos = Number(m[1]);
      return { line: text.slice(0, pos).split('\n').length, reason: shortReason(e) };
    }
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) continue;
    try {
      JSON.parse(l);
    } catch (e) {
      return { line: i + 1, reason: shortReason(e) };
    }
  }
  return null;
}

function shortReason(e: unknown): string {
  return (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '');
}
