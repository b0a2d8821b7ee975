/**
 * The places a user works in, where the studio's file API (open, save, list a folder) may go: the
 * home folder, the folder the studio started in, the system temp folder, the examples, and folders
 * the user trusted. Anything else (/etc, another user's home, a symlink out of these) is refused
 * by name before a byte is read, so a page holding the studio's token cannot browse the machine.
 */
import { realpathSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { FlowlineError } from '../../spec/errors.ts';

/** The path with symlinks resolved as far as it exists (the rest, not yet created, appended). */
export function realPathOf(abs: string): string {
  let head = resolve(abs);
  const tail: string[] = [];
  for (;;) {
    try {
      return resolve(realpathSync.native(head), ...tail);
    } catch {
      const parent = dirname(head);
      if (parent === head) return resolve(abs);
      tail.unshift(head.slice(parent.length).replace(/^[\\/]/, ''));
      head = parent;
    }
  }
}

/** Is `abs` (already real) inside folder `root` (or the folder itself)? */
export function isInside(abs: string, root: string): boolean {
  const rel = relative(root, abs);
  return rel === '' || (!!rel && !rel.startsWith('..') && !isAbsolute(rel));
}

export class UserPlaces {
  private readonly roots: string[];

  constructor(fixed: { cwd: string; templatesDir: string }, private readonly extra: () => readonly string[] = () => []) {
    this.roots = [homedir(), fixed.cwd, tmpdir(), fixed.templatesDir].map((r) => realPathOf(r));
  }

  list(): string[] {
    return [...new Set([...this.roots, ...this.extra().map((r) => realPathOf(r))])];
  }

  /** Throws PATH_NOT_ALLOWED naming the path when it is outside every place. */
  check(abs: string, what: string): void {
    const real = realPathOf(abs);
    if (this.list().some((root) => isInside(real, root))) return;
    throw new FlowlineError({
      code: 'PATH_NOT_ALLOWED',
      message: `${what} ${abs}: Flowline opens and saves files only in your home folder, the folder the studio started in, the temp folder and folders you trusted, and this is outside them.`,
      hint: 'Move the file into your home folder (or start the studio in its folder).',
      file: abs,
    });
  }
}

/** A folder's entries for the file browser (hidden ones left out), folders first, each sorted by name. */
export async function listFolder(abs: string): Promise<{ path: string; entries: { name: string; dir: boolean }[] }> {
  let entries;
  try {
    entries = await readdir(abs, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FlowlineError({
      code: code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'PIPELINE_UNREADABLE',
      message: code === 'ENOENT' ? `There is no folder ${abs}.` : `The folder ${abs} could not be read (${code ?? (e as Error).message}).`,
      file: abs,
    });
  }
  const list = entries
    .filter((e) => !e.name.startsWith('.'))
    .map((e) => ({ name: e.name, dir: e.isDirectory() }))
    .sort((a, b) => (a.dir === b.dir ? a.name.localeCompare(b.name) : a.dir ? -1 : 1));
  return { path: abs, entries: list };
}
