/**
 * Writing a table to a file the user chose. Atomic: the data goes to a temporary file in the same
 * folder and is renamed over the target only when complete, so a failed or cancelled run never
 * leaves a partial file (and never destroys the previous one).
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FlowlineError, ROW_ID, type ArtifactValue, type RunContext, type TableRef } from '../spec/index.ts';
import { ident, literal, withConnection } from './engine.ts';
import { duckdbMessage } from './errors.ts';
import { resolveDataPath } from './files.ts';
import { fileFingerprint, relation } from './tables.ts';

export interface CsvWriteOptions {
  delimiter?: string;
  header?: boolean;
}

async function writeAtomically(ctx: RunContext, t: TableRef, path: string, format: string, options: string): Promise<ArtifactValue> {
  const abs = resolveDataPath(ctx, path);
  const tmp = `${abs}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(dirname(abs), { recursive: true });
    await withConnection((con) =>
      con.run(`COPY (SELECT * EXCLUDE (${ident(ROW_ID)}) FROM ${relation(t)} ORDER BY ${ident(ROW_ID)}) TO ${literal(tmp)} (${options})`), ctx.signal,
    );
    ctx.throwIfCancelled();
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    if (e instanceof FlowlineError) throw e;
    ctx.throwIfCancelled();
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way of the folder' : duckdbMessage(e).split('\n')[0];
    throw new FlowlineError({ code: 'BAD_DATA', nodeId: ctx.nodeId, file: path, message: `Could not write "${path}": ${reason}.`, hint: 'Choose a folder you can write to.' });
  }
  return { kind: 'artifact', path: abs, format, fingerprint: await fileFingerprint(abs) };
}

/** Write a table as CSV (rows in ROW_ID order, no hidden columns). */
export async function writeCsv(ctx: RunContext, t: TableRef, path: string, o: CsvWriteOptions = {}): Promise<ArtifactValue> {
  const opts = [`FORMAT csv`, `HEADER ${o.header === false ? 'false' : 'true'}`, `DELIMITER ${literal(o.delimiter || ',')}`].join(', ');
  return writeAtomically(ctx, t, path, 'csv', opts);
}

/** Write a table as Parquet (zstd-compressed, rows in ROW_ID order, no hidden columns). */
export async function writeParquet(ctx: RunContext, t: TableRef, path: string): Promise<ArtifactValue> {
  return writeAtomically(ctx, t, path, 'parquet', 'FORMAT parquet, COMPRESSION zstd');
}
