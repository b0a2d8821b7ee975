/** Writing a report file: atomic (a temporary file beside it, renamed over it when complete). */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FlowlineError } from '../spec/errors.ts';

export async function writeReportFile(path: string, html: string, nodeId?: string): Promise<void> {
  const tmp = `${path}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(tmp, html, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => {});
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR' ? 'a file or folder is in the way' : (e as Error).message;
    throw new FlowlineError({ code: 'BAD_DATA', nodeId, file: path, message: `Could not write the report "${path}": ${reason}.`, hint: 'Choose a folder you can write to.' });
  }
}
