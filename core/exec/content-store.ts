/**
 * Blobs addressed by the SHA-256 of what made them, in a folder every machine of a worker queue
 * reaches (NFS, SMB, a mounted volume). Writes are whole or absent (temp file, then rename), so a
 * job retried on another machine, or run twice at once, writes the same bytes under the same name
 * and nobody ever reads half a file.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const HEX = /^[0-9a-f]{64}$/;

export class ContentStore {
  constructor(readonly dir: string) {}

  private path(kind: 'inputs' | 'results', key: string): string {
    if (!HEX.test(key)) throw new Error(`not a content key: ${key.slice(0, 80)}`);
    return join(this.dir, kind, key.slice(0, 2), key);
  }

  async has(kind: 'inputs' | 'results', key: string): Promise<boolean> {
    return stat(this.path(kind, key)).then(
      () => true,
      () => false,
    );
  }

  async get(kind: 'inputs' | 'results', key: string): Promise<Buffer | null> {
    return readFile(this.path(kind, key)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
  }

  async put(kind: 'inputs' | 'results', key: string, bytes: Uint8Array): Promise<void> {
    const path = this.path(kind, key);
    if (await this.has(kind, key)) return;
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }
}
