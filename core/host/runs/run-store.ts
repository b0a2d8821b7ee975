/**
 * The run log of a project: `.flowline/runs/<run id>/` beside the pipeline file (the state folder
 * for unsaved work), one folder per run holding `run.json` and `pipeline.flow.json`.
 *
 * Crash safety: every write of run.json goes to a temporary file renamed into place, so a reader
 * sees the previous state or the next, never half of one; each run writes only its own folder, so
 * a run killed mid-way cannot damage an earlier one. A record still marked `running` whose process
 * is gone (same machine, pid no longer alive) is rewritten as `failed` the next time the log is
 * opened — by the next run or by `flowline runs`.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { FlowlineError } from '../../spec/errors.ts';
import { processAlive, writeFileAtomic } from '../pipeline-file.ts';
import { RUN_FORMAT, type RunRecord } from './run-record.ts';

export const RUN_FILE = 'run.json';
export const PIPELINE_COPY = 'pipeline.flow.json';

/** The runs folder of a pipeline: beside its cache folder (`.flowline/cache` → `.flowline/runs`). */
export const runsDirFor = (cacheDir: string) => join(dirname(cacheDir), 'runs');

export class RunStore {
  constructor(readonly dir: string) {}

  folderOf(id: string): string {
    return join(this.dir, id);
  }

  async write(record: RunRecord): Promise<void> {
    await writeFileAtomic(join(this.folderOf(record.id), RUN_FILE), `${JSON.stringify(record, null, 2)}\n`);
  }

  private async read(id: string): Promise<RunRecord | null> {
    try {
      const record = JSON.parse(await readFile(join(this.folderOf(id), RUN_FILE), 'utf8')) as RunRecord;
      return record.format === RUN_FORMAT ? record : null;
    } catch {
      return null;
    }
  }

  /**
   * Every readable run, oldest first. Runs left `running` by a process that no longer exists are
   * recorded as failed first (see the top of this file).
   */
  async list(): Promise<RunRecord[]> {
    let ids: string[];
    try {
      ids = (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      return [];
    }
    const records: RunRecord[] = [];
    for (const id of ids) {
      const record = await this.read(id);
      if (!record) continue;
      records.push(await this.settleAbandoned(record));
    }
    return records.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  }

  private async settleAbandoned(record: RunRecord): Promise<RunRecord> {
    if (record.status !== 'running' || record.hostname !== hostname() || processAlive(record.pid)) return record;
    const settled: RunRecord = {
      ...record,
      status: 'failed',
      failure: `The process running it (pid ${record.pid}) ended before the run finished: it was killed or crashed.`,
      nodes: record.nodes.map((n) => (n.status === 'running' || n.status === 'pending' || n.status === 'queued' ? { ...n, status: 'cancelled' } : n)),
    };
    await this.write(settled).catch(() => {});
    return settled;
  }

  /** A run by its id, a unique prefix of it, `latest`, or `latest~N` (N runs before the latest). */
  async get(ref: string): Promise<RunRecord> {
    const runs = await this.list();
    const back = /^latest(?:~(\d+))?$/.exec(ref);
    const found = back ? runs[runs.length - 1 - Number(back[1] ?? 0)] : undefined;
    if (found) return found;
    const matches = runs.filter((r) => r.id === ref || r.id.startsWith(ref));
    if (matches.length === 1) return matches[0];
    const exact = matches.find((r) => r.id === ref);
    if (exact) return exact;
    throw new FlowlineError({
      code: 'UNKNOWN_RUN',
      message: matches.length > 1 ? `"${ref}" matches ${matches.length} runs; give more of the id.` : `There is no run "${ref}" in ${this.dir}.`,
      hint: runs.length ? `\`flowline runs\` lists them (latest: ${runs[runs.length - 1].id}).` : 'Run the pipeline first: runs are recorded beside it.',
    });
  }

  pipelineCopy(record: RunRecord): string | null {
    const path = join(this.folderOf(record.id), PIPELINE_COPY);
    return existsSync(path) ? path : null;
  }
}
