/**
 * Checks every file source makes before handing a file to a reader, so the user gets "file not
 * found" or "this is not a text file" instead of a parser's complaint.
 */
import { open, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { FlowlineError, type RunContext } from '../spec/index.ts';

/** Resolve a data path the way pipeline files mean it: relative to the pipeline's folder. */
export function resolveDataPath(ctx: Pick<RunContext, 'pipelineDir'>, path: string): string {
  return isAbsolute(path) ? path : resolve(ctx.pipelineDir, path);
}

/** Throws FILE_NOT_FOUND (naming the path as the user wrote it) or FILE_EMPTY; returns the file size. */
export async function checkFile(ctx: Pick<RunContext, 'nodeId'>, abs: string, shown: string): Promise<number> {
  let size: number;
  try {
    const s = await stat(abs);
    if (s.isDirectory()) {
      throw new FlowlineError({ code: 'FILE_NOT_FOUND', nodeId: ctx.nodeId, file: shown, message: `"${shown}" is a folder, not a file.`, hint: 'Choose a data file inside it.' });
    }
    size = s.size;
  } catch (e) {
    if (e instanceof FlowlineError) throw e;
    throw new FlowlineError({
      code: 'FILE_NOT_FOUND',
      nodeId: ctx.nodeId,
      file: shown,
      message: `File not found: "${shown}" (looked at ${abs}).`,
      hint: 'Check the path; a relative path is read from the folder the pipeline file is in.',
    });
  }
  if (size === 0) {
    throw new FlowlineError({ code: 'FILE_EMPTY', nodeId: ctx.nodeId, file: shown, message: `"${shown}" is empty (0 bytes).`, hint: 'Choose a file that has data in it.' });
  }
  return size;
}

/** The first `n` bytes of a file. */
export async function headBytes(abs: string, n: number): Promise<Buffer> {
  const fh = await open(abs, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Text-file checks: empty or whitespace-only → FILE_EMPTY; NUL bytes in the first 8 KB →
 * FILE_NOT_TEXT (a binary file with a text extension). UTF-16 files (which have NULs) are let
 * through when they start with a byte-order mark. Returns the first 64 KB for dialect sniffing.
 */
export async function checkTextFile(ctx: Pick<RunContext, 'nodeId'>, abs: string, shown: string, kind = 'text'): Promise<string> {
  await checkFile(ctx, abs, shown);
  const head = await headBytes(abs, 65536);
  const bom16 = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  if (!bom16 && head.subarray(0, 8192).includes(0)) {
    throw new FlowlineError({
      code: 'FILE_NOT_TEXT',
      nodeId: ctx.nodeId,
      file: shown,
      message: `"${shown}" is not a ${kind} file: it contains binary data.`,
      hint: 'It may be a spreadsheet, Parquet or archive file with the wrong extension; use the matching Load node.',
    });
  }
  const text = head.toString('utf8');
  if (text.trim() === '' && head.length < 65536) {
    throw new FlowlineError({ code: 'FILE_EMPTY', nodeId: ctx.nodeId, file: shown, message: `"${shown}" has no data: it holds only blank lines.`, hint: 'Choose a file that has data in it.' });
  }
  return text;
}
