/**
 * Run progress, apart from the document so a training run never redraws the canvas. Host
 * events are queued and applied once per animation frame; each node card reads only its own
 * entry.
 */
import { create } from 'zustand';
import type { NodeStatus, RunEvent, RunSummary } from '../../../core/host/api.ts';
import type { ErrorInfo } from '../../../core/spec/errors.ts';
import type { PortValue } from '../../../core/spec/values.ts';

export interface NodeRunState {
  status: NodeStatus;
  fraction?: number;
  message?: string;
  durationMs?: number;
  error?: ErrorInfo;
  reason?: string;
}

export interface LogLine {
  time: number;
  runId: string;
  nodeId: string;
  level: 'info' | 'error';
  message: string;
}

interface RunState {
  nodes: Record<string, NodeRunState>;
  /** Latest outputs per node (from run summaries). */
  outputs: Record<string, Record<string, PortValue>>;
  logs: LogLine[];
  /** Error lines among `logs` (the Log tab's badge), counted as they arrive. */
  logErrors: number;
  runs: RunSummary[];
  currentRunId: string | null;
  /** Bumped whenever outputs change (previews refetch). */
  outputsVersion: number;
  apply(events: RunEvent[]): void;
  loadSummary(summary: RunSummary | null): void;
  reset(): void;
}

const LOG_LIMIT = 2000;

function summaryState(summary: RunSummary, into: RunState['nodes'], outputs: RunState['outputs']): void {
  for (const n of summary.nodes) {
    into[n.id] = { status: n.status, durationMs: n.durationMs, error: n.error, reason: n.reason };
    if (n.outputs) outputs[n.id] = n.outputs;
  }
}

export const useRunStore = create<RunState>()((set) => ({
  nodes: {},
  outputs: {},
  logs: [],
  logErrors: 0,
  runs: [],
  currentRunId: null,
  outputsVersion: 0,
  apply: (events) =>
    set((s) => {
      const nodes = { ...s.nodes };
      let outputs = s.outputs;
      let logs = s.logs;
      let runs = s.runs;
      let currentRunId = s.currentRunId;
      let outputsVersion = s.outputsVersion;
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
            nodes[e.nodeId] = { status: 'cached', durationMs: e.durationMs };
            break;
          case 'node:done':
            nodes[e.nodeId] = { status: 'done', durationMs: e.durationMs, reason: nodes[e.nodeId]?.reason };
            break;
          case 'node:error':
            nodes[e.nodeId] = { status: 'error', error: e.error };
            log(e, 'error', e.error.hint ? `${e.error.message} — ${e.error.hint}` : e.error.message);
            break;
          case 'run:end': {
            if (currentRunId === e.runId) currentRunId = null;
            outputs = { ...outputs };
            summaryState(e.summary, nodes, outputs);
            outputsVersion++;
            runs = [e.summary, ...runs.filter((r) => r.runId !== e.summary.runId)].slice(0, 50);
            break;
          }
        }
      }
      if (logs.length > LOG_LIMIT) logs = logs.slice(-LOG_LIMIT);
      const logErrors = logs === s.logs ? s.logErrors : logs.filter((l) => l.level === 'error').length;
      return { nodes, outputs, logs, logErrors, runs, currentRunId, outputsVersion };
    }),
  loadSummary: (summary) =>
    set((s) => {
      const nodes: RunState['nodes'] = {};
      const outputs: RunState['outputs'] = {};
      if (summary) summaryState(summary, nodes, outputs);
      return { nodes, outputs, outputsVersion: s.outputsVersion + 1 };
    }),
  reset: () => set((s) => ({ nodes: {}, outputs: {}, currentRunId: null, outputsVersion: s.outputsVersion + 1 })),
}));

/** Feed host events into the store, at most once per animation frame. */
export function connectRunEvents(subscribe: (listener: (e: RunEvent) => void) => () => void): () => void {
  let queue: RunEvent[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    const batch = queue;
    queue = [];
    useRunStore.getState().apply(batch);
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
