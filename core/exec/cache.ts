import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { PortValue } from '../spec/values.ts';
import { statFingerprint } from './hash.ts';

/**
 * The on-disk content-hash cache. One folder per key:
 *   <cacheDir>/<k2>/<key>/               files the node wrote (tables as Parquet, artifacts...)
 *   <cacheDir>/<k2>/<key>/outputs.bin    the output values (v8 structured clone: typed arrays survive)
 *   <cacheDir>/<k2>/<key>/manifest.json  provenance
 * A node never writes there: it writes into a folder of its own under <cacheDir>/tmp/, and a
 * finished entry is renamed into place whole. So an entry is either complete or absent; two runs
 * of the same pipeline at once (two terminals, the studio and the CLI) each write their own folder
 * and never delete each other's files; when both finish, the second finds the first's entry and
 * uses it. A run that does not cache (--no-cache) writes its own folder too and leaves the entry
 * the next normal run reads alone. Folders left by processes that died are swept on the next run.
 */
export interface Provenance {
  key: string;
  nodeId: string;
  type: string;
  version: number;
  params: Record<string, unknown>;
  /** The seed of a node that declares one (param.seed()); absent for nodes without randomness. */
  seed?: number;
  /** input port → upstream keys. */
  upstream: Record<string, string[]>;
  /** file path → content hash. */
  files: Record<string, string>;
  engine: string;
  createdAt: string;
  durationMs: number;
  /** The node's warnings when it ran (RunContext.warn): a cached result repeats them. */
  warnings?: string[];
}

export class NodeCache {
  constructor(readonly dir: string) {}

  entryDir(key: string): string {
    return join(this.dir, key.slice(0, 2), key);
  }

  /** Outputs of a whole entry, or null if missing, incomplete or pointing at files gone since. */
  async load(key: string): Promise<{ outputs: Record<string, PortValue>; provenance: Provenance } | null> {
    const dir = this.entryDir(key);
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) return null;
    try {
      const provenance = JSON.parse(await readFile(manifestPath, 'utf8')) as Provenance;
      const outputs = deserialize(await readFile(join(dir, 'outputs.bin'))) as Record<string, PortValue>;
      if (!(await this.stillValid(outputs))) return null;
      return { outputs, provenance };
    } catch {
      return null;
    }
  }

  private get tmpDir(): string {
    return join(this.dir, 'tmp');
  }

  /** A new, empty folder of this run's own for a node computing `key` (the node's ctx.outDir). */
  async prepare(key: string): Promise<string> {
    const dir = join(this.tmpDir, `${key.slice(0, 16)}.${process.pid}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Make the node's folder (from prepare) the entry of `key`, and return its outputs as they now
   * are: paths into the folder moved with it. If another run put a valid entry there first, that
   * one is kept and its outputs returned (the same result: the key covers every input), and this
   * run's folder is removed.
   */
  async commit(key: string, workDir: string, outputs: Record<string, PortValue>, provenance: Provenance): Promise<Record<string, PortValue>> {
    const dir = this.entryDir(key);
    const moved = movePaths(outputs, workDir, dir);
    await writeFile(join(workDir, 'outputs.bin'), serialize(moved));
    await writeFile(join(workDir, 'manifest.json'), JSON.stringify(provenance, null, 2));
    await mkdir(dirname(dir), { recursive: true });
    for (let attempt = 0; ; attempt++) {
      try {
        await rename(workDir, dir);
        return moved;
      } catch (e) {
        if (!isTakenError(e) || attempt >= 3) throw e;
      }
      const existing = await this.load(key);
      if (existing) {
        await this.discard(workDir);
        return existing.outputs;
      }
      // An entry that no longer counts (its files were removed, or an older Flowline left it half
      // written): move it aside and take its place.
      const stale = join(this.tmpDir, `${key.slice(0, 16)}.stale-${randomBytes(6).toString('hex')}`);
      await rename(dir, stale).catch(() => undefined);
      await rm(stale, { recursive: true, force: true });
    }
  }

  /** Remove a folder from prepare (a failed or cancelled node). */
  async discard(workDir: string): Promise<void> {
    await rm(workDir, { recursive: true, force: true });
  }

  /** Remove the folders of nodes whose process has ended (a crash, a kill, a --no-cache run). */
  async sweep(): Promise<void> {
    const names = await readdir(this.tmpDir).catch(() => [] as string[]);
    for (const name of names) {
      const pid = /\.(\d+)-[0-9a-f]{12}$/.exec(name)?.[1];
      if (pid && !processAlive(Number(pid))) await rm(join(this.tmpDir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /** Every table file still there, every artifact unchanged since it was written. */
  private async stillValid(outputs: Record<string, PortValue>): Promise<boolean> {
    for (const value of Object.values(outputs)) {
      if (!value || typeof value !== 'object') continue;
      if (value.kind === 'table') {
        if (!existsSync(value.path)) return false;
        if (value.recipe?.base && !existsSync(value.recipe.base.path)) return false;
      } else if (value.kind === 'artifact') {
        const now = await statFingerprint(value.path);
        if (now === null || (value.fingerprint && now !== value.fingerprint)) return false;
      }
    }
    return true;
  }
}

/** rename() onto a folder that is already there: ENOTEMPTY / EEXIST (POSIX), EPERM (Windows). */
function isTakenError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'EPERM';
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/**
 * A copy of `value` with every string that names something inside `from` naming the same thing
 * inside `to` (table paths, artifact paths, SQL that reads them). `from` holds random hex, so no
 * other string can contain it by chance.
 */
export function movePaths<T>(value: T, from: string, to: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(from) ? v.split(from).join(to) : v;
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(value) as T;
}

/** Where "why did this re-run?" looks: the provenance of each node's last run, per pipeline. */
export class RunHistory {
  constructor(readonly dir: string) {}

  private file(pipelineKey: string): string {
    return join(this.dir, 'history', `${pipelineKey}.json`);
  }

  async read(pipelineKey: string): Promise<Record<string, Provenance>> {
    try {
      return JSON.parse(await readFile(this.file(pipelineKey), 'utf8')) as Record<string, Provenance>;
    } catch {
      return {};
    }
  }

  async write(pipelineKey: string, entries: Record<string, Provenance>): Promise<void> {
    const path = this.file(pipelineKey);
    await mkdir(join(this.dir, 'history'), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(entries, null, 1));
    await rename(tmp, path);
  }
}

/** Plain words for what differs between the last run of a node and now. */
export function explainRerun(previous: Provenance | undefined, next: Omit<Provenance, 'createdAt' | 'durationMs'>): string {
  if (!previous) return 'first run';
  const reasons: string[] = [];
  if (previous.type !== next.type || previous.version !== next.version) reasons.push('node type or version changed');
  const changed = new Set<string>();
  for (const k of new Set([...Object.keys(previous.params), ...Object.keys(next.params)])) {
    if (JSON.stringify(previous.params[k]) !== JSON.stringify(next.params[k])) changed.add(k);
  }
  if (changed.size) reasons.push(`params changed: ${[...changed].join(', ')}`);
  if (previous.seed !== next.seed) reasons.push('seed changed');
  for (const port of new Set([...Object.keys(previous.upstream), ...Object.keys(next.upstream)])) {
    if (JSON.stringify(previous.upstream[port]) !== JSON.stringify(next.upstream[port])) reasons.push(`input "${port}" changed`);
  }
  for (const f of new Set([...Object.keys(previous.files), ...Object.keys(next.files)])) {
    if (previous.files[f] !== next.files[f]) reasons.push(`file changed: ${f}`);
  }
  if (previous.engine !== next.engine) reasons.push('Flowline version changed');
  if (reasons.length === 0) reasons.push(previous.key === next.key ? 'cached result was removed or its files changed' : 'cache key changed');
  return reasons.join('; ');
}

/** Content hashes of source files by (path, size, mtime), kept between runs (one CLI run = one process). */
export class FingerprintMemo {
  readonly map = new Map<string, string>();
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'fingerprints.json');
  }

  async load(): Promise<this> {
    try {
      for (const [k, v] of Object.entries(JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>)) this.map.set(k, v);
    } catch {
      // none yet
    }
    return this;
  }

  async save(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp-${process.pid}`;
    // Keep the newest 2000 entries: enough for any project, bounded for a long-lived cache.
    await writeFile(tmp, JSON.stringify(Object.fromEntries([...this.map].slice(-2000))));
    await rename(tmp, this.path);
  }
}
