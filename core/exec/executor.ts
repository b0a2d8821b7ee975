import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Plan, PlanNode } from '../compile/compile.ts';
import type { NodeResult, NodeStatus, RunEvent, RunSummary } from '../spec/run-events.ts';
import { FlowlineError, toErrorInfo, type ErrorInfo } from '../spec/errors.ts';
import { paramNames } from '../spec/params.ts';
import { nodeSeed, SEED_PARAM } from '../spec/seed.ts';
import type { RunContext, RunInfo, SavedConnection } from '../spec/context.ts';
import { MODEL_STATE_LAYOUT, type PortValue } from '../spec/values.ts';
import { FingerprintMemo, NodeCache, RunHistory, explainRerun, type Provenance } from './cache.ts';
import { canonicalJson, fingerprintFile, sha256 } from './hash.ts';
import type { TaskRegistry } from './task-registry.ts';
import type { TaskPool } from './task-pool.ts';
import { WorkerPool } from './worker-pool.ts';

export type ExecuteOptions = ExecuteSettings & (
  /** A shared worker pool (the studio keeps one for every run)... */
  | { pool: TaskPool; tasks?: undefined }
  /** ...or the tasks of a private pool, made for this run and closed after it. */
  | { tasks: TaskRegistry; pool?: undefined }
);

export interface ExecuteSettings {
  /** Folder of the content-hash cache. */
  cacheDir: string;
  /** Folder of the pipeline file; relative paths in params resolve against it. */
  pipelineDir: string;
  /** Identifies the pipeline across runs, for "why did this re-run?" (e.g. its absolute path). */
  pipelineKey?: string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  runId?: string;
  /** What nodes may know of the run besides its id (RunContext.run): its record's hash and data files, the gates. */
  run?: Omit<RunInfo, 'id'>;
  /** How many nodes may run at once (independent branches). */
  concurrency?: number;
  /** false: recompute everything (the results still refresh the cache). */
  useCache?: boolean;
  /** Database connections saved in the studio, by name (RunContext.savedConnection). */
  savedConnection?: (name: string) => SavedConnection | undefined;
}

/**
 * The engine part of every cache key: Flowline's version and its models' state layout, not Node's. The CLI runs on the user's
 * Node and the desktop app's service on Electron's, and a pipeline run in one must be found cached
 * by the other (run-session.ts); node results do not depend on the Node version (fixed-order
 * arithmetic, seeded randomness, V8's fdlibm-based Math on every version).
 */
const ENGINE = (() => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `flowline@${pkg.version}+models${MODEL_STATE_LAYOUT}`;
})();

interface Outcome {
  status: NodeStatus;
  key?: string;
  outputs?: Record<string, PortValue>;
}

/**
 * The one executor: the CLI, the studio and the tests all run plans through it. Nodes start as
 * soon as their inputs are ready (independent branches run concurrently); each node's result is
 * looked up in the on-disk cache by a key over type, version, params, seed, upstream keys and the
 * content of every file it reads, so an unchanged node reports `cached` at once.
 */
export async function execute(plan: Plan, options: ExecuteOptions): Promise<RunSummary> {
  const runId = options.runId ?? randomUUID();
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  // Every running query, worker task and code node listens for cancellation on this one signal.
  setMaxListeners(1000, signal);
  const cache = new NodeCache(options.cacheDir);
  const history = new RunHistory(options.cacheDir);
  const pipelineKey = sha256(options.pipelineKey ?? options.pipelineDir).slice(0, 16);
  const previous = await history.read(pipelineKey);
  const fingerprints = await new FingerprintMemo(options.cacheDir).load();
  await cache.sweep();
  const pool: TaskPool = options.pool ?? new WorkerPool(options.tasks);
  const limit = new Semaphore(options.concurrency ?? 4);
  const startedAt = new Date();
  const t0 = performance.now();

  const results = new Map<string, NodeResult>();
  const provenance: Record<string, Provenance> = {};
  const outcomes = new Map<string, Promise<Outcome>>();

  emit({ type: 'run:start', runId, nodes: plan.nodes.map((n) => n.id) });

  const runNode = async (node: PlanNode): Promise<Outcome> => {
    const upstreamIds = [...new Set(Object.values(node.inputs).flat().map((i) => i.node))];
    const ups = await Promise.all(upstreamIds.map((id) => outcomes.get(id)!));
    const upstream = new Map(upstreamIds.map((id, i) => [id, ups[i]]));
    const finish = (status: NodeStatus, extra: Partial<NodeResult> = {}): Outcome => {
      results.set(node.id, { id: node.id, type: node.spec.type, status, durationMs: 0, ...extra });
      return { status, key: extra.outputs ? (extra as { key?: string }).key : undefined, outputs: extra.outputs };
    };

    if (node.disabled) return finish('skipped', { reason: 'node is disabled' });
    const failed = upstreamIds.filter((id) => !['done', 'cached'].includes(upstream.get(id)!.status));
    if (failed.length > 0) return finish(signal.aborted ? 'cancelled' : 'skipped', { reason: `upstream ${failed.join(', ')} did not finish` });
    if (signal.aborted) return finish('cancelled');

    const release = await limit.acquire();
    const nodeStart = performance.now();
    let key: string | undefined;
    let outDir: string | undefined;
    try {
      if (signal.aborted) return finish('cancelled');
      // -- the cache key --
      // The node's own seed param, or the pipeline's seed: never its id, so a rename changes nothing.
      // Only a node that declares a seed is keyed by it: a new pipeline seed leaves Load CSV cached.
      const seed = nodeSeed(node.spec.params, node.params, plan.seed);
      const seeded = paramNames(node.spec.params).includes(SEED_PARAM);
      const upstreamKeys: Record<string, string[]> = {};
      const inputs: Record<string, unknown> = {};
      for (const [port, list] of Object.entries(node.inputs)) {
        upstreamKeys[port] = list.map((i) => `${upstream.get(i.node)!.key}:${i.port}`);
        const values = list.map((i) => upstream.get(i.node)!.outputs![i.port]);
        inputs[port] = node.spec.inputs[port]?.multiple ? values : values[0];
      }
      const files: Record<string, string> = {};
      for (const rel of safeReads(node)) {
        const abs = isAbsolute(rel) ? rel : resolve(options.pipelineDir, rel);
        files[abs] = (await fingerprintFile(abs, fingerprints.map, /[/\\]$/.test(rel))).hash;
      }
      const identity = { nodeId: node.id, type: node.spec.type, version: node.spec.version, params: node.params, seed: seeded ? seed : undefined, upstream: upstreamKeys, files, engine: ENGINE };
      // The id is part of the key: outputs carry it (recipe steps name their node, a model the node
      // that trained it, SQL reads its inputs by their node ids), so a renamed node runs again. Its
      // numbers do not change: randomness comes from its seed, never from its id.
      key = sha256(canonicalJson(identity));
      const cacheable = !node.spec.volatile && options.useCache !== false;

      // -- cached? --
      if (cacheable) {
        const hit = await cache.load(key);
        if (hit) {
          const durationMs = performance.now() - nodeStart;
          provenance[node.id] = hit.provenance;
          const warnings = hit.provenance.warnings?.length ? { warnings: hit.provenance.warnings } : {};
          emit({ type: 'node:cached', runId, nodeId: node.id, durationMs, ...warnings });
          results.set(node.id, { id: node.id, type: node.spec.type, status: 'cached', durationMs, outputs: hit.outputs, ...warnings });
          return { status: 'cached', key, outputs: hit.outputs };
        }
      }

      // -- run it --
      const reason = node.spec.volatile ? 'reads an external source, never cached' : explainRerun(previous[node.id], { key, ...identity });
      emit({ type: 'node:start', runId, nodeId: node.id, reason });
      outDir = await cache.prepare(key);
      const warned: string[] = [];
      const ctx = makeContext(node, { runId, run: { ...options.run, id: runId }, seed, outDir, pipelineDir: options.pipelineDir, signal, pool, emit, warnings: warned, savedConnection: options.savedConnection });
      let outputs = (await node.spec.run({ inputs: inputs as never, params: node.params as never, ctx })) as Record<string, PortValue>;
      ctx.throwIfCancelled();
      checkOutputs(node, outputs);
      const durationMs = performance.now() - nodeStart;
      const warnings = warned.length ? { warnings: warned } : {};
      const prov: Provenance = { key, ...identity, createdAt: new Date().toISOString(), durationMs, ...warnings };
      if (cacheable) outputs = await cache.commit(key, outDir, outputs, prov);
      provenance[node.id] = prov;
      emit({ type: 'node:done', runId, nodeId: node.id, durationMs, ...warnings });
      results.set(node.id, { id: node.id, type: node.spec.type, status: 'done', durationMs, reason, outputs, ...warnings });
      return { status: 'done', key, outputs };
    } catch (e) {
      if (outDir) await cache.discard(outDir).catch(() => {});
      const durationMs = performance.now() - nodeStart;
      const error = errorFor(node, e);
      const status: NodeStatus = error.code === 'CANCELLED' || signal.aborted ? 'cancelled' : 'error';
      if (status === 'error') emit({ type: 'node:error', runId, nodeId: node.id, error });
      results.set(node.id, { id: node.id, type: node.spec.type, status, durationMs, error: status === 'error' ? error : undefined });
      return { status };
    } finally {
      release();
    }
  };

  for (const node of plan.nodes) outcomes.set(node.id, runNode(node));
  await Promise.all(outcomes.values());
  if (!options.pool) await pool.close();

  await history.write(pipelineKey, { ...previous, ...provenance }).catch(() => {});
  await fingerprints.save().catch(() => {});
  const nodes = plan.nodes.map((n) => results.get(n.id)!);
  const status = signal.aborted ? 'cancelled' : nodes.some((n) => n.status === 'error') ? 'error' : 'done';
  const summary: RunSummary = { runId, status, durationMs: performance.now() - t0, nodes, startedAt: startedAt.toISOString() };
  emit({ type: 'run:end', runId, summary });
  return summary;
}

/** The files a node says it reads (none when its params cannot say). */
export function safeReads(node: PlanNode): string[] {
  try {
    return (node.spec.reads?.(node.params as never) ?? []).filter((p) => typeof p === 'string' && p.length > 0);
  } catch {
    return [];
  }
}

function errorFor(node: PlanNode, e: unknown): ErrorInfo {
  const info = toErrorInfo(e, node.id);
  if (info.code === 'INTERNAL') {
    return { ...info, message: `${node.spec.title} ("${node.id}") failed: ${info.message}`, hint: info.hint ?? 'This looks like a bug in Flowline; the log has details.' };
  }
  return info;
}

function checkOutputs(node: PlanNode, outputs: Record<string, PortValue>): void {
  for (const [port, def] of Object.entries(node.spec.outputs)) {
    const value = outputs?.[port];
    if (!value || value.kind !== def.type) {
      throw new FlowlineError({ code: 'INTERNAL', nodeId: node.id, message: `${node.spec.title} ("${node.id}") did not produce its "${port}" output (${def.type}).` });
    }
  }
}

interface ContextDeps {
  runId: string;
  run: RunInfo;
  seed: number;
  outDir: string;
  pipelineDir: string;
  signal: AbortSignal;
  pool: TaskPool;
  emit: (event: RunEvent) => void;
  /** Where the node's warnings are collected. */
  warnings: string[];
  savedConnection?: (name: string) => SavedConnection | undefined;
}

function makeContext(node: PlanNode, deps: ContextDeps): RunContext {
  const { runId, emit } = deps;
  let lastProgress = 0;
  let lastMessage: string | undefined;
  const progress = (fraction: number, message?: string) => {
    const now = performance.now();
    // At most ~20 events a second per node, but never drop a new message (a tuning trial's line).
    if (now - lastProgress < 50 && fraction < 1 && message === lastMessage) return;
    lastProgress = now;
    lastMessage = message;
    emit({ type: 'node:progress', runId, nodeId: node.id, fraction: Math.max(0, Math.min(1, fraction)), message });
  };
  const log = (message: string) => emit({ type: 'node:log', runId, nodeId: node.id, message });
  return {
    nodeId: node.id,
    pipelineDir: deps.pipelineDir,
    outDir: deps.outDir,
    inputSources: Object.fromEntries(Object.entries(node.inputs).map(([port, list]) => [port, list.map((i) => i.node)])),
    run: deps.run,
    seed: deps.seed,
    signal: deps.signal,
    log,
    warn: (message) => {
      if (!deps.warnings.includes(message)) deps.warnings.push(message);
    },
    progress,
    runInWorker: (task, payload, options) => deps.pool.run(task, payload, { signal: deps.signal, transfer: options?.transfer, onProgress: progress, onLog: log }),
    throwIfCancelled() {
      if (deps.signal.aborted) throw new FlowlineError({ code: 'CANCELLED', nodeId: node.id, message: 'Run cancelled.' });
    },
    ...(deps.savedConnection ? { savedConnection: deps.savedConnection } : {}),
    error: (info) => new FlowlineError({ ...info, nodeId: node.id }),
  };
}

class Semaphore {
  private waiting: (() => void)[] = [];
  private active = 0;
  constructor(private readonly max: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }
}
