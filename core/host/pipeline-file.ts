/**
 * Pipeline files on disk: read (migrating older versions, refusing newer ones without touching
 * the file) and write atomically (temp file in the same folder, then rename), so a crash or a
 * full disk never leaves a half-written pipeline behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parsePipeline, serializePipeline, type Pipeline } from '../schema/index.ts';
import { FlowlineError } from '../spec/errors.ts';

export interface PipelineFile {
  path: string;
  pipeline: Pipeline;
  /** Exact text on disk. */
  text: string;
}

/** Read and parse a pipeline file. Errors are FlowlineErrors naming the file. */
export async function readPipelineFile(path: string): Promise<PipelineFile> {
  const abs = resolve(path);
  let text: string;
  try {
    // A device or a pipe (/dev/zero) would be read for ever: only a regular file is a pipeline file.
    const info = await stat(abs);
    if (!info.isFile() && !info.isDirectory()) {
      throw new FlowlineError({ code: 'NOT_A_FILE', message: `${abs} is not a regular file.`, file: abs, hint: 'Pick a *.flow.json file.' });
    }
    text = await readFile(abs, 'utf8');
  } catch (e) {
    if (e instanceof FlowlineError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new FlowlineError({ code: 'FILE_NOT_FOUND', message: `There is no pipeline file at ${abs}.`, file: abs, hint: 'Check the path, or pick the file again.' });
    }
    throw new FlowlineError({
      code: 'PIPELINE_UNREADABLE',
      message: `The pipeline file ${abs} could not be read (${code ?? (e as Error).message}).`,
      file: abs,
      hint: code === 'EISDIR' ? 'Pick a *.flow.json file, not a folder.' : 'Check that the file exists and that you may read it.',
    });
  }
  return { path: abs, pipeline: parsePipeline(text, abs), text };
}

/** The temp file a save writes first: hidden, beside the target, named with the saving process's id. */
export function atomicTempPath(abs: string, pid = process.pid): string {
  return join(dirname(abs), `.${basename(abs)}.${pid}-${randomBytes(6).toString('hex')}.tmp`);
}
const ATOMIC_TEMP = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/;

/**
 * Remove the temp files of saves that were interrupted (the process that wrote them is gone: a
 * crash, a kill, a power cut) from `dir`. A live process's temp file is left alone: it may be
 * about to be renamed. Returns the names removed.
 */
export async function removeInterruptedSaves(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = ATOMIC_TEMP.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    await rm(join(dir, name), { force: true }).catch(() => undefined);
    removed.push(name);
  }
  return removed;
}

/** Is a process with this id running (on this machine)? */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but someone else's.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Write text to path atomically: a temp file beside it, flushed, then renamed over it. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const abs = resolve(path);
  await mkdir(dirname(abs), { recursive: true });
  const temp = atomicTempPath(abs);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, abs);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Windows refuses a rename over a file another process (an indexer, an antivirus) holds for a moment. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 4 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES') || process.platform !== 'win32') throw e;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

/** Serialize (stable key order) and write atomically. Returns the exact text written. */
export async function writePipelineFile(path: string, pipeline: Pipeline): Promise<PipelineFile> {
  const abs = resolve(path);
  let text: string;
  try {
    text = serializePipeline(pipeline);
  } catch (e) {
    throw new FlowlineError({
      code: 'PIPELINE_INVALID',
      message: `The pipeline was not saved because it does not match the file format: ${(e as Error).message}`,
      file: abs,
    });
  }
  try {
    await writeFileAtomic(abs, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FlowlineError({
      code: 'PIPELINE_UNREADABLE',
      message: `The pipeline could not be saved to ${abs} (${code ?? (e as Error).message}). The file on disk was left as it was.`,
      file: abs,
      hint: 'Check that the folder exists and that you may write to it, or save under another name.',
    });
  }
  return { path: abs, pipeline: parsePipeline(text, abs), text };
}

/** Write JSON state (recent files, trust store, autosave) atomically. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Read JSON state; missing or corrupt files give the fallback (state is a convenience, never fatal). */
export async function readJsonOr<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}
