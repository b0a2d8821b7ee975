import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

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

export async function fingerprintFile(path: string, memo: Map<string, string> = processMemo): Promise<FileFingerprint> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return { path, hash: 'missing', size: -1 };
  }
  if (info.isDirectory()) return { path, hash: `dir:${info.mtimeMs}`, size: 0 };
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

/** Cheap "has this output file changed since we wrote it" check for artifacts. */
export async function statFingerprint(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    return `${info.size}:${Math.round(info.mtimeMs)}`;
  } catch {
    return null;
  }
}
