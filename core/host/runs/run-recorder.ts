/**
 * Records one run as it happens (run-store.ts keeps the log): the record is written before the
 * first node starts — status `running`, pipeline copy, params, seed, data fingerprints — updated as
 * each node ends, and closed with the run's status, metrics and artifacts. Recording never fails a
 * run: a runs folder that cannot be written loses the record, not the results.
 */
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { Plan } from '../../compile/index.ts';
import { FingerprintMemo } from '../../exec/cache.ts';
import { safeReads } from '../../exec/executor.ts';
import { canonicalJson, fingerprintFile, sha256 } from '../../exec/hash.ts';
import { FLOWLINE_VERSION } from '../../export/version.ts';
import { serializePipeline, type Pipeline } from '../../schema/index.ts';
import { toErrorInfo } from '../../spec/errors.ts';
import type { RunEvent, RunSummary } from '../../spec/run-events.ts';
import { writeFileAtomic } from '../pipeline-file.ts';
import { outcomesOf, RUN_FORMAT, type RecordedDataFile, type RunRecord } from './run-record.ts';
import { PIPELINE_COPY, RunStore } from './run-store.ts';

export interface RecordRequest {
  runId: string;
  /** 'cli', 'studio'... */
  host: string;
  pipeline: Pipeline;
  path?: string;
  set?: string[];
  to?: string;
  plan: Plan;
  pipelineDir: string;
  cacheDir: string;
  runsDir: string;
}

export class RunRecorder {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: RunStore,
    private record: RunRecord,
    private readonly t0: number,
  ) {}

  /** Settle runs abandoned by dead processes, then write this run's first record. */
  static async begin(request: RecordRequest): Promise<RunRecorder> {
    const store = new RunStore(request.runsDir);
    await store.list();
    const { plan } = request;
    const record: RunRecord = {
      format: RUN_FORMAT,
      id: request.runId,
      status: 'running',
      host: request.host,
      pid: process.pid,
      hostname: hostname(),
      startedAt: new Date().toISOString(),
      appVersion: FLOWLINE_VERSION,
      pipeline: { name: plan.name, path: request.path, hash: pipelineHash(request.pipeline, plan), copy: join(store.folderOf(request.runId), PIPELINE_COPY) },
      seed: plan.seed,
      set: request.set ?? [],
      ...(request.to ? { to: request.to } : {}),
      nodes: plan.nodes.map((n) => ({ id: n.id, type: n.spec.type, version: n.spec.version, params: n.params, status: n.disabled ? 'skipped' : 'pending' })),
      data: await dataFingerprints(plan, request.pipelineDir, request.cacheDir),
      metrics: {},
      artifacts: [],
    };
    const recorder = new RunRecorder(store, record, performance.now());
    await writeFileAtomic(record.pipeline.copy, serializePipeline(request.pipeline));
    await store.write(record);
    return recorder;
  }

  get id(): string {
    return this.record.id;
  }

  /** The record as last written (after finish: the run's outcome, metrics and artifacts). */
  get current(): RunRecord {
    return this.record;
  }

  /** What the run's nodes may cite about it (RunContext.run): its pipeline hash and data files. */
  get lineage(): { pipelineHash: string; data: RecordedDataFile[] } {
    return { pipelineHash: this.record.pipeline.hash, data: this.record.data };
  }

  /** Follow the run's events: each node's status is on disk as soon as it changes. */
  event(event: RunEvent): void {
    if (!('nodeId' in event)) return;
    const status = { 'node:start': 'running', 'node:done': 'done', 'node:cached': 'cached', 'node:error': 'error' }[event.type as string] as RunRecord['nodes'][number]['status'] | undefined;
    if (!status) return;
    this.record = {
      ...this.record,
      nodes: this.record.nodes.map((n) =>
        n.id !== event.nodeId
          ? n
          : {
              ...n,
              status,
              ...('durationMs' in event ? { durationMs: Math.round(event.durationMs) } : {}),
              ...(event.type === 'node:error' ? { error: { code: event.error.code, message: event.error.message } } : {}),
            },
      ),
    };
    this.save();
  }

  async finish(summary: RunSummary): Promise<void> {
    const byId = new Map(summary.nodes.map((n) => [n.id, n]));
    this.close({
      status: summary.status,
      durationMs: Math.round(summary.durationMs),
      nodes: this.record.nodes.map((n) => {
        const r = byId.get(n.id);
        if (!r) return n.status === 'pending' ? { ...n, status: 'skipped' } : n;
        return { ...n, status: r.status, durationMs: Math.round(r.durationMs), ...(r.error ? { error: { code: r.error.code, message: r.error.message } } : {}) };
      }),
      ...outcomesOf(summary),
    });
    await this.writing;
  }

  async fail(e: unknown): Promise<void> {
    const error = toErrorInfo(e);
    this.close({ status: error.code === 'CANCELLED' ? 'cancelled' : 'error', durationMs: Math.round(performance.now() - this.t0), failure: error.message });
    await this.writing;
  }

  private close(fields: Partial<RunRecord>): void {
    this.record = { ...this.record, ...fields, endedAt: new Date().toISOString() };
    this.save();
  }

  private save(): void {
    const snapshot = this.record;
    this.writing = this.writing.then(() => this.store.write(snapshot)).catch(() => {});
  }
}

/**
 * What the run computed, as a hash: the nodes as compiled (current node versions, params after
 * migration, overrides and defaults), the edges and the seed — so a file an older Flowline wrote
 * and the same pipeline migrated in the studio hash equal, and layout or notes change nothing.
 */
function pipelineHash(pipeline: Pipeline, plan: Plan): string {
  const nodes = plan.nodes.map((n) => ({ id: n.id, type: n.spec.type, version: n.spec.version, params: n.params, disabled: n.disabled }));
  return sha256(canonicalJson({ seed: plan.seed, nodes, edges: pipeline.edges }));
}

/**
 * The content hash of every file the plan reads. Uses (and refreshes) the executor's fingerprint
 * memo in the cache folder, so the executor finds these files hashed and reads them only once.
 */
async function dataFingerprints(plan: Plan, pipelineDir: string, cacheDir: string): Promise<RecordedDataFile[]> {
  const memo = await new FingerprintMemo(cacheDir).load();
  const files = new Map<string, RecordedDataFile>();
  for (const node of plan.nodes) {
    if (node.disabled) continue;
    for (const rel of safeReads(node)) {
      const known = files.get(rel);
      if (known) {
        known.nodes.push(node.id);
        continue;
      }
      const abs = isAbsolute(rel) ? rel : resolve(pipelineDir, rel);
      try {
        const { hash, size } = await fingerprintFile(abs, memo.map, /[/\\]$/.test(rel));
        files.set(rel, { path: rel, hash, size, nodes: [node.id] });
      } catch (e) {
        files.set(rel, { path: rel, hash: `unreadable: ${toErrorInfo(e).message}`, size: -1, nodes: [node.id] });
      }
    }
  }
  await memo.save().catch(() => {});
  return [...files.values()];
}
