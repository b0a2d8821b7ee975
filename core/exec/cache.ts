import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { PortValue } from '../spec/values.ts';
import { statFingerprint } from './hash.ts';

/**
 * The on-disk content-hash cache. One folder per key:
 *   <cacheDir>/<key>/            files the node wrote (tables as Parquet, artifacts...)
 *   <cacheDir>/<key>/outputs.bin  the output values (v8 structured clone: typed arrays survive)
 *   <cacheDir>/<key>/manifest.json provenance; written last, so an entry without it is incomplete
 * A cancelled or failed run leaves no manifest and the folder is removed, so the cache stays
 * consistent: an entry either is whole or does not count.
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

  /** An empty folder for a fresh run of this key (anything half-written before is removed). */
  async prepare(key: string): Promise<string> {
    const dir = this.entryDir(key);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async commit(key: string, outputs: Record<string, PortValue>, provenance: Provenance): Promise<void> {
    const dir = this.entryDir(key);
    await writeFile(join(dir, 'outputs.bin'), serialize(outputs));
    const tmp = join(dir, `manifest.json.tmp-${process.pid}`);
    await writeFile(tmp, JSON.stringify(provenance, null, 2));
    await rename(tmp, join(dir, 'manifest.json'));
  }

  async discard(key: string): Promise<void> {
    await rm(this.entryDir(key), { recursive: true, force: true });
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
