/**
 * What a tracked run records (docs/lifecycle.md, "Run tracking"): enough to say later what was
 * run, on which data, with which settings, and what came out — and to compare two runs. Plain
 * JSON types shared by the hosts (core/host/runs writes them) and the studio (through api.ts).
 */
import type { NodeStatus, RunSummary } from './run-events.ts';

export const RUN_FORMAT = 'flowline-run/1';

/** `failed`: the process running it ended (killed, crashed) before the run finished. */
export type RunRecordStatus = 'running' | RunSummary['status'] | 'failed';

export interface RecordedNode {
  id: string;
  type: string;
  /** The node type's version: a new version of a node may compute differently. */
  version: number;
  /** Params after --set overrides and defaults (what the node ran with). */
  params: Record<string, unknown>;
  status: NodeStatus | 'pending';
  durationMs?: number;
  error?: { code: string; message: string };
}

export interface RecordedDataFile {
  /** As the pipeline names it (relative to the pipeline's folder, or absolute). */
  path: string;
  /** sha256 of the content, "missing", or "unreadable: why". */
  hash: string;
  size: number;
  /** The nodes that read it. */
  nodes: string[];
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  id: string;
  status: RunRecordStatus;
  /** Which host ran it: 'cli', 'studio' (the studio's service), or another composition root. */
  host: string;
  pid: number;
  hostname: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  appVersion: string;
  pipeline: {
    name: string;
    /** The pipeline file, or undefined for unsaved work. */
    path?: string;
    /** sha256 of the pipeline as run (canonical JSON): equal hashes = the same pipeline. */
    hash: string;
    /** The copy of the pipeline kept in the run's folder. */
    copy: string;
  };
  /** The pipeline seed (every node without its own seed param uses it). */
  seed: number;
  /** The --set overrides and --to target of the run, as given. */
  set: string[];
  to?: string;
  nodes: RecordedNode[];
  data: RecordedDataFile[];
  /** Metrics per Evaluate-like node. */
  metrics: Record<string, Record<string, number>>;
  artifacts: { nodeId: string; kind: string; path: string }[];
  /** Why the run did not finish, for `failed` (and the run-level error of `error`). */
  failure?: string;
}


/** `flowline runs compare A B`: what changed from A to B. */
export interface ParamChange {
  nodeId: string;
  /** Dotted path inside the node's params ("" for a whole node added or removed). */
  param: string;
  before: unknown;
  after: unknown;
}

export interface RunComparison {
  a: string;
  b: string;
  samePipeline: boolean;
  appVersion?: { before: string; after: string };
  seed?: { before: number; after: number };
  params: ParamChange[];
  nodes: { nodeId: string; change: 'added' | 'removed' | 'version' | 'type'; before?: string; after?: string }[];
  data: { path: string; change: 'added' | 'removed' | 'changed'; before?: string; after?: string }[];
  metrics: { nodeId: string; metric: string; before: number | null; after: number | null; delta: number | null }[];
}
