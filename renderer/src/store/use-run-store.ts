/**
 * Run progress and results of the open pipeline, apart from the document so a training run never
 * redraws the canvas. Host events are queued and applied once per animation frame; each node card
 * reads only its own entry.
 *
 * Everything here belongs to one document: opening another one resets it, and events of runs this
 * document did not start (an earlier document's run still winding down, another window) are
 * dropped, so one pipeline's statuses, errors and log never show on the next.
 */
import { create } from 'zustand';
import type { NodeStatus, RunEvent, RunSummary } from '../../../core/host/api.ts';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import type { ErrorInfo } from '../../../core/spec/errors.ts';
import type { PortValue } from '../../../core/spec/values.ts';
import { signatures, type Signature } from '../lib/signature.ts';
import type { Catalog } from '../lib/graph.ts';
import { recallProvenance, rememberProvenance } from './provenance.ts';

export interface NodeRunState {
  status: NodeStatus;
  fraction?: number;
  message?: string;
  durationMs?: number;
  error?: ErrorInfo;
  reason?: string;
  /** What the node warned about a result it still produced (a fit that did not converge). */
  warnings?: string[];
}

export interface LogLine {
  time: number;
  runId: string;
  nodeId: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** Where a node's shown outputs came from. */
export interface Provenance {
  runId: string;
  /** ISO time the run started. */
  startedAt: string;
  /** The node's signature when that run started; absent for results of runs this studio did not start. */
  signature?: Signature;
}

interface RunState {
  nodes: Record<string, NodeRunState>;
  /** Latest outputs per node (from run summaries). */
  outputs: Record<string, Record<string, PortValue>>;
  provenance: Record<string, Provenance>;
  /** The run whose (merged) results previews read from. */
  resultsRunId: string | null;
  logs: LogLine[];
  /** Error lines among `logs` (the Log tab's badge), counted as they arrive. */
  logErrors: number;
  runs: RunSummary[];
  currentRunId: string | null;
  /** Bumped whenever outputs change (previews refetch). */
  outputsVersion: number;
  apply(events: RunEvent[]): void;
  /** Show a pipeline's last results as it opens (only nodes it has, of the same type). */
  loadSummary(summary: RunSummary | null, pipeline: Pipeline): void;
  reset(): void;
}

const LOG_LIMIT = 2000;
const RUNS_LIMIT = 50;

/** Runs started by the open document, with the signatures of its nodes as sent. */
const ownRuns = new Map<string, Map<string, Signature>>();
/** Events that arrived before the host's answer told us their run id is ours. */
let early: RunEvent[] = [];
const EARLY_LIMIT = 1000;

export const useRunStore = create<RunState>()((set) => ({
  nodes: {},
  outputs: {},
  provenance: {},
  resultsRunId: null,
  logs: [],
  logErrors: 0,
  runs: [],
  currentRunId: null,
  outputsVersion: 0,
  apply: (events) =>
    set((s) => {
      const nodes = { ...s.nodes };
      let { outputs, provenance, logs, runs, currentRunId, outputsVersion, resultsRunId } = s;
      const log = (e: { runId: string; nodeId: string }, level: LogLine['level'], message: string) => {
        if (logs === s.logs) logs = [...s.logs];
        logs.push({ time: Date.now(), runId: e.runId, nodeId: e.nodeId, level, message });
      };
      for (const e of events) {
        switch (e.type) {
          case 'run:start':
            currentRunId = e.runId;
            for (const id of e.nodes) nodes[id] = { status: 'queued' };
            break;
          case 'node:start':
            nodes[e.nodeId] = { status: 'running', fraction: 0, reason: e.reason };
            break;
          case 'node:progress':
            nodes[e.nodeId] = { ...nodes[e.nodeId], status: 'running', fraction: e.fraction, message: e.message };
            break;
          case 'node:log':
            log(e, 'info', e.message);
            break;
          case 'node:cached':
            nodes[e.nodeId] = { status: 'cached', durationMs: e.durationMs, warnings: e.warnings };
            for (const w of e.warnings ?? []) log(e, 'warning', w);
            break;
          case 'node:done':
            nodes[e.nodeId] = { status: 'done', durationMs: e.durationMs, reason: nodes[e.nodeId]?.reason, warnings: e.warnings };
            for (const w of e.warnings ?? []) log(e, 'warning', w);
            break;
          case 'node:error':
            if (e.nodeId) nodes[e.nodeId] = { status: 'error', error: e.error };
            log(e, 'error', e.error.hint ? `${e.error.message} — ${e.error.hint}` : e.error.message);
            break;
          case 'run:end': {
            if (currentRunId === e.runId) currentRunId = null;
            outputs = { ...outputs };
            provenance = { ...provenance };
            const sent = ownRuns.get(e.runId);
            for (const n of e.summary.nodes) {
              nodes[n.id] = { status: n.status, durationMs: n.durationMs, error: n.error, reason: n.reason, warnings: n.warnings };
              // A node that failed or was skipped keeps its earlier outputs (as the host does), and
              // their provenance says which run they are from.
              if (!n.outputs) continue;
              outputs[n.id] = n.outputs;
              provenance[n.id] = { runId: e.runId, startedAt: e.summary.startedAt, signature: sent?.get(n.id) };
            }
            rememberProvenance(e.runId, provenance);
            resultsRunId = e.runId;
            outputsVersion++;
            runs = [e.summary, ...runs.filter((r) => r.runId !== e.summary.runId)].slice(0, RUNS_LIMIT);
            break;
          }
        }
      }
      if (logs.length > LOG_LIMIT) logs = logs.slice(-LOG_LIMIT);
      const logErrors = logs === s.logs ? s.logErrors : logs.filter((l) => l.level === 'error').length;
      return { nodes, outputs, provenance, resultsRunId, logs, logErrors, runs, currentRunId, outputsVersion };
    }),
  loadSummary: (summary, pipeline) =>
    set((s) => {
      const nodes: RunState['nodes'] = {};
      const outputs: RunState['outputs'] = {};
      const provenance: RunState['provenance'] = {};
      if (summary) {
        const types = new Map(pipeline.nodes.map((n) => [n.id, n.type]));
        const known = recallProvenance(summary.runId);
        for (const n of summary.nodes) {
          if (types.get(n.id) !== n.type) continue;
          nodes[n.id] = { status: n.status, durationMs: n.durationMs, error: n.error, reason: n.reason, warnings: n.warnings };
          if (!n.outputs) continue;
          outputs[n.id] = n.outputs;
          provenance[n.id] = known?.[n.id] ?? { runId: summary.runId, startedAt: summary.startedAt };
        }
      }
      return {
        nodes, outputs, provenance, resultsRunId: summary?.runId ?? null,
        runs: summary ? [summary] : [], outputsVersion: s.outputsVersion + 1,
      };
    }),
  reset: () =>
    set((s) => {
      ownRuns.clear();
      early = [];
      return { nodes: {}, outputs: {}, provenance: {}, resultsRunId: null, logs: [], logErrors: 0, runs: [], currentRunId: null, outputsVersion: s.outputsVersion + 1 };
    }),
}));

/**
 * The host accepted a run of the open document: from now on its events count. Events that came
 * before this answer were held back and are applied now, in order.
 */
export function adoptRun(runId: string, pipeline: Pipeline, catalog: Catalog): void {
  ownRuns.set(runId, signatures(pipeline, catalog));
  const mine = early.filter((e) => e.runId === runId);
  early = early.filter((e) => e.runId !== runId);
  useRunStore.setState({ currentRunId: runId });
  if (mine.length) useRunStore.getState().apply(mine);
}

/** Keep the events of this document's runs; hold back those of runs not (yet) known to be ours. */
function sortEvents(batch: RunEvent[]): RunEvent[] {
  const mine: RunEvent[] = [];
  for (const e of batch) {
    if (ownRuns.has(e.runId)) mine.push(e);
    else if (early.push(e) > EARLY_LIMIT) early.splice(0, early.length - EARLY_LIMIT);
  }
  return mine;
}

/** Feed host events into the store, at most once per animation frame. */
export function connectRunEvents(subscribe: (listener: (e: RunEvent) => void) => () => void): () => void {
  let queue: RunEvent[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    const batch = sortEvents(queue);
    queue = [];
    if (batch.length) useRunStore.getState().apply(batch);
  };
  const unsubscribe = subscribe((e) => {
    queue.push(e);
    // rAF stalls in background tabs; a timer keeps the store current there.
    if (!frame) frame = document.hidden ? (setTimeout(flush, 50) as unknown as number) : requestAnimationFrame(flush);
  });
  return () => {
    unsubscribe();
    if (frame) cancelAnimationFrame(frame);
  };
}
