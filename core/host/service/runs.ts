/**
 * Runs in the background, one at a time per pipeline path. A second run request for the same
 * path CANCELS the one in flight and starts once it has wound down (the latest edit wins; queueing
 * would make the user wait for a result they no longer want). Runs of different paths proceed side
 * by side. Each node's latest good result survives a failed or cancelled run (see mergeRuns).
 */
import { randomBytes } from 'node:crypto';
import { FlowlineError, toErrorInfo } from '../../spec/errors.ts';
import type { NodeResult, RunEvent, RunSummary } from '../api.ts';

/** What the executor gives the service: a run that reports events and ends with a summary. */
export type StartRun = (args: { runId: string; signal: AbortSignal; onEvent: (event: RunEvent) => void }) => Promise<RunSummary>;

interface ActiveRun {
  runId: string;
  key: string;
  controller: AbortController;
  done: Promise<void>;
}

const KEEP_RUNS = 20;

export const newRunId = () => `run-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

export class RunManager {
  private readonly active = new Map<string, ActiveRun>();
  private readonly byRunId = new Map<string, RunSummary>();
  /** Latest merged summary per pipeline key, most recently finished last. */
  private readonly latest = new Map<string, RunSummary>();
  /** Runs in flight by id, for finished(). */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly emit: (event: RunEvent) => void) {}

  /** Start a run for `key` (a pipeline path, or a fixed key for unsaved work). Returns at once. */
  start(key: string, ids: { plan: string[]; pipeline: string[] }, startRun: StartRun): { runId: string } {
    const runId = newRunId();
    const previous = this.active.get(key);
    previous?.controller.abort();
    const controller = new AbortController();
    const entry: ActiveRun = { runId, key, controller, done: Promise.resolve() };
    entry.done = (async () => {
      await previous?.done;
      await this.execute(entry, ids, startRun);
    })().finally(() => {
      if (this.active.get(key) === entry) this.active.delete(key);
    });
    this.active.set(key, entry);
    this.pending.set(runId, entry.done);
    void entry.done.finally(() => this.pending.delete(runId));
    return { runId };
  }

  /** The merged summary once run `runId` has ended (null if it is unknown or no longer kept). */
  async finished(runId: string): Promise<RunSummary | null> {
    await this.pending.get(runId);
    return this.byRunId.get(runId) ?? null;
  }

  private async execute(entry: ActiveRun, ids: { plan: string[]; pipeline: string[] }, startRun: StartRun): Promise<void> {
    const { runId, key, controller } = entry;
    const nodeIds = ids.plan;
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    let sawStart = false;
    let summary: RunSummary;
    if (controller.signal.aborted) {
      summary = { runId, status: 'cancelled', durationMs: 0, nodes: [], startedAt };
    } else {
      try {
        summary = await startRun({
          runId,
          signal: controller.signal,
          onEvent: (event) => {
            // The service owns the run id; run:end is sent below, once lastRun is up to date.
            if (event.type === 'run:end') return;
            if (event.type === 'run:start') sawStart = true;
            this.emit({ ...event, runId });
          },
        });
        summary = { ...summary, runId };
      } catch (e) {
        const error = toErrorInfo(e);
        const status = controller.signal.aborted || error.code === 'CANCELLED' ? 'cancelled' : 'error';
        if (!sawStart) this.emit({ type: 'run:start', runId, nodes: nodeIds });
        sawStart = true;
        // A run-level failure (not pinned to a node) is reported with an empty nodeId.
        if (status === 'error') this.emit({ type: 'node:error', runId, nodeId: error.nodeId ?? '', error });
        summary = { runId, status, durationMs: Date.now() - started, nodes: [], startedAt };
      }
    }
    if (!sawStart) this.emit({ type: 'run:start', runId, nodes: nodeIds });
    const merged = mergeRuns(this.latest.get(key), summary, ids.pipeline);
    this.latest.delete(key);
    this.latest.set(key, merged);
    this.byRunId.set(runId, merged);
    while (this.byRunId.size > KEEP_RUNS) this.byRunId.delete(this.byRunId.keys().next().value!);
    this.emit({ type: 'run:end', runId, summary });
  }

  cancel(runId: string): void {
    for (const run of this.active.values()) if (run.runId === runId) run.controller.abort();
  }

  lastRun(key: string): RunSummary | null {
    return this.latest.get(key) ?? null;
  }

  /** The run a preview reads from: that run, or the latest finished run that has this node. */
  findResult(nodeId: string, runId?: string): { summary: RunSummary; node: NodeResult } | null {
    if (runId) {
      const summary = this.byRunId.get(runId);
      if (!summary) {
        throw new FlowlineError({ code: 'UNKNOWN_NODE', message: `There is no run "${runId}" (only the last ${KEEP_RUNS} runs are kept).`, hint: 'Run the pipeline again.' });
      }
      const node = summary.nodes.find((n) => n.id === nodeId);
      return node ? { summary, node } : null;
    }
    for (const summary of [...this.latest.values()].reverse()) {
      const node = summary.nodes.find((n) => n.id === nodeId && n.outputs);
      if (node) return { summary, node };
    }
    return null;
  }

  isRunning(key: string): boolean {
    return this.active.has(key);
  }

  /** Cancel everything and wait for the runs to wind down. */
  async dispose(): Promise<void> {
    const runs = [...this.active.values()];
    for (const r of runs) r.controller.abort();
    await Promise.allSettled(runs.map((r) => r.done));
  }
}

/**
 * The studio must not lose results: after a failed or cancelled run, nodes that did not finish
 * keep their previous result (an errored node shows its error but keeps the previous outputs for
 * preview). Nodes that are no longer in the pipeline are dropped.
 */
export function mergeRuns(previous: RunSummary | undefined, next: RunSummary, currentNodeIds: string[]): RunSummary {
  if (!previous) return next;
  const present = new Set(currentNodeIds);
  const old = new Map(previous.nodes.map((n) => [n.id, n]));
  const nodes: NodeResult[] = next.nodes.map((n) => {
    if (n.status === 'done' || n.status === 'cached') return n;
    const before = old.get(n.id);
    if (!before?.outputs) return n;
    return n.status === 'error' ? { ...n, outputs: before.outputs } : before;
  });
  const seen = new Set(nodes.map((n) => n.id));
  for (const n of previous.nodes) if (!seen.has(n.id) && present.has(n.id)) nodes.push(n);
  return { ...next, nodes };
}
