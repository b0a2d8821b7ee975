/**
 * The model registry of a project: `.flowline/models/` beside the pipeline (beside `.flowline/runs`),
 * docs/lifecycle.md "Model registry".
 *
 *   v<N>/version.json     the version and its lineage (core/spec/model-registry.ts)
 *   v<N>/model.onnx       the registry's copy of the model (bundle/ for a serving bundle)
 *   v<N>/model-info.json  what the model says about itself (ExportedModelInfo: inputs, training reference)
 *   v<N>/pipeline.flow.json  the pipeline as it was run, when known
 *   audit.jsonl           append-only: one line per registration, stage change or refused promotion
 *
 * Stages are not stored in the versions: they are the replay of the audit log, so a promotion —
 * which moves two versions at once — is one appended line, never two files that a crash could
 * leave disagreeing.
 *
 * Crash safety: a version's files are copied in first and version.json is written last (temp file
 * renamed into place), so a folder without it is a registration that never finished and is not
 * listed. An audit line cut short by a crash has no newline: it is skipped when read, and the next
 * append starts on a fresh line. Writers take a lock file (pid inside; a dead owner's lock is
 * taken over), so two processes promoting at once cannot both decide from the same state.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { FlowlineError } from '../../spec/errors.ts';
import { MODEL_VERSION_FORMAT, type AuditEntry, type ListedVersion, type ModelStage, type ModelVersion } from '../../spec/model-registry.ts';
import { processAlive, writeFileAtomic } from '../pipeline-file.ts';

export const VERSION_FILE = 'version.json';
export const MODEL_INFO_FILE = 'model-info.json';
export const VERSION_PIPELINE = 'pipeline.flow.json';
export const AUDIT_FILE = 'audit.jsonl';
const LOCK_FILE = '.lock';
const LOCK_WAIT_MS = 30_000;

/** Who did it, for the audit log: the OS user. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export class ModelRegistry {
  constructor(readonly dir: string) {}

  folderOf(id: string): string {
    return join(this.dir, id);
  }

  /** Every fully registered version, oldest first. */
  async versions(): Promise<ModelVersion[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory() && /^v\d+$/.test(d.name)).map((d) => d.name);
    } catch {
      return [];
    }
    const out: ModelVersion[] = [];
    for (const name of names) {
      try {
        const v = JSON.parse(await readFile(join(this.dir, name, VERSION_FILE), 'utf8')) as ModelVersion;
        if (v.format === MODEL_VERSION_FORMAT && v.id === name) out.push(v);
      } catch {
        // No version.json (yet): a registration that did not finish.
      }
    }
    return out.sort((a, b) => a.number - b.number);
  }

  /** The audit log's whole lines, oldest first (a line cut short by a crash is skipped). */
  async audit(): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(join(this.dir, AUDIT_FILE), 'utf8');
    } catch {
      return [];
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // Cut short by a crash mid-append.
      }
    }
    return entries;
  }

  /** Every version with its stage, oldest first. */
  async list(): Promise<ListedVersion[]> {
    const [versions, audit] = await Promise.all([this.versions(), this.audit()]);
    const stage = stagesOf(audit);
    return versions.map((v) => ({ ...v, stage: stage.get(v.id) ?? 'candidate' }));
  }

  /** A version by id ("v3" or "3"), `production`, or `latest`. */
  async get(ref: string): Promise<ListedVersion> {
    return findVersion(await this.list(), ref, this.dir);
  }

  async readFile(id: string, file: string): Promise<string | null> {
    try {
      return await readFile(join(this.folderOf(id), file), 'utf8');
    } catch {
      return null;
    }
  }

  /**
   * Register a model: `fill(folder)` copies its files into the new version's folder and returns
   * the version's fields. A model already registered (same ONNX bytes) is returned as it is.
   */
  async register(sha256: string, fill: (folder: string) => Promise<Omit<ModelVersion, 'format' | 'id' | 'number' | 'registeredAt' | 'sha256'>>): Promise<{ version: ModelVersion; created: boolean }> {
    return this.locked(async () => {
      const existing = (await this.versions()).find((v) => v.sha256 === sha256);
      if (existing) return { version: existing, created: false };
      const { id, number, folder } = await this.newFolder();
      const fields = await fill(folder);
      const version: ModelVersion = { format: MODEL_VERSION_FORMAT, id, number, registeredAt: new Date().toISOString(), sha256, ...fields };
      await writeFileAtomic(join(folder, VERSION_FILE), `${JSON.stringify(version, null, 2)}\n`);
      await this.appendUnlocked({ at: version.registeredAt, who: currentUser(), action: 'register', version: id, changes: [{ version: id, from: null, to: 'candidate' }] });
      return { version, created: true };
    });
  }

  /** The next free v<N> folder, made exclusively (a folder left by an unfinished registration is skipped). */
  private async newFolder(): Promise<{ id: string; number: number; folder: string }> {
    await mkdir(this.dir, { recursive: true });
    const taken = (await readdir(this.dir)).map((n) => /^v(\d+)$/.exec(n)?.[1]).filter(Boolean).map(Number);
    for (let number = Math.max(0, ...taken) + 1; ; number++) {
      const folder = this.folderOf(`v${number}`);
      try {
        await mkdir(folder);
        return { id: `v${number}`, number, folder };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
  }

  /** Append audit entries, under the lock: `decide` reads the current state and returns what to write. */
  async change<T>(decide: (state: { versions: ListedVersion[]; audit: AuditEntry[] }) => Promise<{ entries: AuditEntry[]; result: T }>): Promise<T> {
    return this.locked(async () => {
      const [versions, audit] = await Promise.all([this.list(), this.audit()]);
      const { entries, result } = await decide({ versions, audit });
      for (const entry of entries) await this.appendUnlocked(entry);
      return result;
    });
  }

  private async appendUnlocked(entry: AuditEntry): Promise<void> {
    const path = join(this.dir, AUDIT_FILE);
    await mkdir(this.dir, { recursive: true });
    // A line cut short by a crash has no newline: start on a fresh line so ours stays whole.
    let fresh = '';
    if (existsSync(path)) {
      const size = (await stat(path)).size;
      if (size > 0) {
        const handle = await open(path, 'r');
        try {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) fresh = '\n';
        } finally {
          await handle.close();
        }
      }
    }
    const handle = await open(path, 'a');
    try {
      await handle.writeFile(`${fresh}${JSON.stringify(entry)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    const lock = join(this.dir, LOCK_FILE);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(lock, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
        // A lock whose process is gone (killed mid-change) is taken over; a lock being written has no pid yet.
        if (owner && owner !== process.pid && !processAlive(owner)) await unlink(lock).catch(() => {});
        else if (Date.now() > deadline) throw new FlowlineError({ code: 'BAD_ARGUMENTS', file: lock, message: `The model registry is locked by process ${owner || '?'} (another promote, rollback or export).`, hint: `Try again; if no Flowline is running, delete ${lock}.` });
        else await new Promise((r) => setTimeout(r, 25));
      }
    }
    try {
      return await fn();
    } finally {
      await unlink(lock).catch(() => {});
    }
  }
}

/** A version by id ("v3" or "3"), `production`, or `latest`; an unknown one is an error listing what there is. */
export function findVersion(all: readonly ListedVersion[], ref: string, dir: string): ListedVersion {
  const found = ref === 'latest' ? all[all.length - 1] : ref === 'production' ? all.find((v) => v.stage === 'production') : all.find((v) => v.id === ref || v.id === `v${ref}`);
  if (found) return found;
  throw new FlowlineError({
    code: 'BAD_ARGUMENTS',
    message: ref === 'production' ? `No version is in production in ${dir}.` : `There is no model version "${ref}" in ${dir}.`,
    hint: all.length ? `\`flowline models list\` lists them (${all.map((v) => `${v.id} ${v.stage}`).join(', ')}).` : 'Export a model from the pipeline first: every export is registered.',
  });
}

/** The stage of each version after replaying the audit log. */
export function stagesOf(audit: readonly AuditEntry[]): Map<string, ModelStage> {
  const stage = new Map<string, ModelStage>();
  for (const entry of audit) for (const c of entry.changes) stage.set(c.version, c.to);
  return stage;
}

/**
 * The versions that have been production, in order, with rollbacks undone: the last is the
 * current one, the one before it is what `rollback` restores.
 */
export function productionHistory(audit: readonly AuditEntry[]): string[] {
  const history: string[] = [];
  for (const entry of audit) {
    if (entry.action === 'rollback') history.pop();
    else if (entry.changes.some((c) => c.to === 'production')) history.push(entry.changes.find((c) => c.to === 'production')!.version);
  }
  return history;
}
