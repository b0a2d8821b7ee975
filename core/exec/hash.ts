import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { FlowlineError } from '../spec/errors.ts';

/** JSON with sorted keys, so equal params always hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = (v as Record<string, unknown>)[k];
      return out;
    }
    return v;
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Content fingerprints, memoised on (path, size, mtime) so an unchanged 1 GB file is hashed once:
 * in this process, and across processes through the executor's fingerprints file.
 */
const processMemo = new Map<string, string>();

export interface FileFingerprint {
  path: string;
  /** sha256 of the content, or "missing". */
  hash: string;
  size: number;
}

/**
 * `folder`: the node reads this folder as a whole (a file pattern), so a folder is what should be
 * there. Otherwise only a regular file is fingerprinted: a folder, a device (/dev/zero would hash
 * for ever), a pipe or a socket is refused with NOT_A_FILE before a byte is read.
 */
export async function fingerprintFile(path: string, memo: Map<string, string> = processMemo, folder = false): Promise<FileFingerprint> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return { path, hash: 'missing', size: -1 };
  }
  if (folder && info.isDirectory()) return { path, hash: `dir:${info.mtimeMs}`, size: 0 };
  if (!info.isFile()) {
    throw new FlowlineError({
      code: 'NOT_A_FILE',
      file: path,
      message: `"${path}" is ${kindOf(info)}, not a data file.`,
      hint: folder ? 'The file pattern must start in a folder.' : 'Choose a file; a folder, a device or a pipe cannot be read as a table.',
    });
  }
  const memoKey = `${path}\0${info.size}\0${info.mtimeMs}`;
  const known = memo.get(memoKey);
  if (known) return { path, hash: known, size: info.size };
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('end', resolve)
      .on('error', reject);
  });
  const digest = hash.digest('hex');
  memo.set(memoKey, digest);
  return { path, hash: digest, size: info.size };
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isFIFO()) return 'a pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Cheap "has this output file changed since we wrote it" check for artifacts. */
export async function statFingerprint(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return `${info.size}:${Math.round(info.mtimeMs)}`;
  } catch {
    return null;
  }
}
