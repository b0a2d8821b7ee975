/**
 * What a run reports: each node's result, the run's summary, and the event stream the executor
 * emits while it runs. Shared vocabulary of the executor, the hosts and the studio (which gets it
 * through core/host/api.ts); plain types, so the renderer may use them.
 */
import type { ErrorInfo } from './errors.ts';
import type { PortValue } from './values.ts';

export type NodeStatus = 'idle' | 'queued' | 'running' | 'cached' | 'done' | 'error' | 'skipped' | 'cancelled';

export interface NodeResult {
  id: string;
  type: string;
  status: NodeStatus;
  durationMs: number;
  error?: ErrorInfo;
  /** What the node warned about a result it still produced (RunContext.warn), cached runs included. */
  warnings?: string[];
  /** Why it ran rather than came from the cache ("params changed: max_depth", "new input"...). */
  reason?: string;
  /** Output values, by port. Tables are references; fetch rows with preview(). */
  outputs?: Record<string, PortValue>;
}

export interface RunSummary {
  runId: string;
  status: 'done' | 'error' | 'cancelled';
  durationMs: number;
  nodes: NodeResult[];
  startedAt: string;
}

export type RunEvent =
  | { type: 'run:start'; runId: string; nodes: string[] }
  | { type: 'node:start'; runId: string; nodeId: string; reason?: string }
  | { type: 'node:progress'; runId: string; nodeId: string; fraction: number; message?: string }
  | { type: 'node:log'; runId: string; nodeId: string; message: string }
  | { type: 'node:cached'; runId: string; nodeId: string; durationMs: number; warnings?: string[] }
  | { type: 'node:done'; runId: string; nodeId: string; durationMs: number; warnings?: string[] }
  | { type: 'node:error'; runId: string; nodeId: string; error: ErrorInfo }
  | { type: 'run:end'; runId: string; summary: RunSummary };

export const RUN_EVENT_TYPES = ['run:start', 'node:start', 'node:progress', 'node:log', 'node:cached', 'node:done', 'node:error', 'run:end'] as const;
