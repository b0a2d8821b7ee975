/**
 * What the studio remembers between sessions, as small JSON files in the state folder:
 * recent files, the trust store (trusted pipeline files, the side effects of files not trusted
 * yet, trusted folders), and autosave slots. Every write is atomic; a missing or corrupt
 * file reads as empty (state is a convenience, never a reason to refuse to start).
 */
import { sha256 } from '../../exec/hash.ts';
import { rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Pipeline } from '../../schema/pipeline.ts';
import type { AutosaveWhere, RecentFile, RecoveredWork } from '../api.ts';
import { readJsonOr, writeJsonAtomic } from '../pipeline-file.ts';

const MAX_RECENT = 20;
/** Side effects remembered as untrusted (a few thousand pipelines' worth). */
const MAX_TAINTED = 20_000;

interface TrustEntry {
  path: string;
  sha256: string;
  trustedAt: string;
}

export class StateStore {
  /** Serialises writes to each state file so concurrent calls cannot lose an update. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {}

  private get recentPath() {
    return join(this.dir, 'recent-files.json');
  }
  private get trustPath() {
    return join(this.dir, 'trusted-pipelines.json');
  }
  private get taintedPath() {
    return join(this.dir, 'untrusted-effects.json');
  }
  private get foldersPath() {
    return join(this.dir, 'trusted-folders.json');
  }
  private autosavePath(key: string) {
    return join(this.dir, 'autosave', `${sha256(key).slice(0, 32)}.json`);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async recentFiles(): Promise<RecentFile[]> {
    const list = await readJsonOr<RecentFile[]>(this.recentPath, []);
    return Array.isArray(list) ? list.filter((r) => r && typeof r.path === 'string') : [];
  }

  addRecent(path: string, name?: string): Promise<void> {
    return this.serial(async () => {
      const abs = resolve(path);
      const list = (await this.recentFiles()).filter((r) => r.path !== abs);
      list.unshift({ path: abs, name: name || basename(abs), openedAt: new Date().toISOString() });
      await writeJsonAtomic(this.recentPath, list.slice(0, MAX_RECENT));
    });
  }

  /** Trusted when this exact content at this exact path was trusted before. */
  async isTrusted(path: string, text: string): Promise<boolean> {
    const abs = resolve(path);
    const hash = sha256(text);
    const entries = await readJsonOr<TrustEntry[]>(this.trustPath, []);
    return Array.isArray(entries) && entries.some((e) => e.path === abs && e.sha256 === hash);
  }

  trust(path: string, text: string): Promise<void> {
    return this.serial(async () => {
      const abs = resolve(path);
      const hash = sha256(text);
      const entries = (await readJsonOr<TrustEntry[]>(this.trustPath, [])).filter((e) => !(e.path === abs && e.sha256 === hash));
      // Keep a few versions per path (undo after save should not ask again), and a bounded file.
      entries.unshift({ path: abs, sha256: hash, trustedAt: new Date().toISOString() });
      const perPath = new Map<string, number>();
      const kept = entries.filter((e) => {
        const n = (perPath.get(e.path) ?? 0) + 1;
        perPath.set(e.path, n);
        return n <= 5;
      });
      await writeJsonAtomic(this.trustPath, kept.slice(0, 2000));
    });
  }

  /** Keys of side effects seen in a file that was not trusted (side-effects.ts): they need trust wherever they appear. */
  async untrustedEffects(): Promise<Set<string>> {
    const list = await readJsonOr<string[]>(this.taintedPath, []);
    return new Set(Array.isArray(list) ? list.filter((k) => typeof k === 'string') : []);
  }

  markUntrusted(keys: readonly string[]): Promise<void> {
    if (!keys.length) return Promise.resolve();
    return this.serial(async () => {
      const now = [...(await this.untrustedEffects())].filter((k) => !keys.includes(k));
      await writeJsonAtomic(this.taintedPath, [...keys, ...now].slice(0, MAX_TAINTED));
    });
  }

  markTrusted(keys: readonly string[]): Promise<void> {
    if (!keys.length) return Promise.resolve();
    return this.serial(async () => {
      const drop = new Set(keys);
      const list = [...(await this.untrustedEffects())];
      if (list.some((k) => drop.has(k))) await writeJsonAtomic(this.taintedPath, list.filter((k) => !drop.has(k)));
    });
  }

  async trustedFolders(): Promise<string[]> {
    const list = await readJsonOr<string[]>(this.foldersPath, []);
    return Array.isArray(list) ? list.filter((d) => typeof d === 'string') : [];
  }

  trustFolder(dir: string): Promise<void> {
    return this.serial(async () => {
      const abs = resolve(dir);
      const list = (await this.trustedFolders()).filter((d) => d !== abs);
      await writeJsonAtomic(this.foldersPath, [abs, ...list].slice(0, 200));
    });
  }

  autosave(key: string, pipeline: Pipeline | null, where: AutosaveWhere = {}): Promise<void> {
    return this.serial(async () => {
      const file = this.autosavePath(key);
      if (pipeline === null) await rm(file, { force: true });
      else await writeJsonAtomic(file, { key, savedAt: new Date().toISOString(), pipeline, path: where.path, origin: where.origin });
    });
  }

  async recoverAutosave(key: string): Promise<Pipeline | null> {
    return (await this.recoverWork(key))?.pipeline ?? null;
  }

  /** The slot as written (the pipeline is not checked here: the service parses it). */
  async recoverWork(key: string): Promise<RecoveredWork | null> {
    const slot = await readJsonOr<Partial<RecoveredWork> & { key?: string } | null>(this.autosavePath(key), null);
    if (!slot || slot.key !== key || !slot.pipeline) return null;
    const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    return { pipeline: slot.pipeline, savedAt: text(slot.savedAt) ?? '', path: text(slot.path), origin: text(slot.origin) };
  }
}
