/**
 * The model registry beside a pipeline (docs/lifecycle.md, "Model registry"): every exported model
 * is a version with its lineage, in one of three stages; every stage change is a line of an
 * append-only audit log. Plain JSON types shared by the hosts (core/host/registry writes them).
 */
import type { GateResult } from './gate-result.ts';
import type { RecordedDataFile } from './run-log.ts';

export const MODEL_VERSION_FORMAT = 'flowline-model-version/1';

export type ModelStage = 'candidate' | 'production' | 'archived';

export interface ModelVersion {
  format: typeof MODEL_VERSION_FORMAT;
  /** "v1", "v2"...: numbered in the order registered. */
  id: string;
  number: number;
  registeredAt: string;
  /** An ONNX file, or a serving bundle folder. */
  kind: 'onnx' | 'docker-bundle';
  /** Where the export was written. */
  exportedTo: string;
  /** The registry's own copy of the ONNX model, relative to the version's folder. */
  file: string;
  /** sha256 of that ONNX file: one model, one version (a cached re-export registers nothing new). */
  sha256: string;
  model: { task: string; learner: string; trainNode: string; targetColumn: string | null; inputs: string[]; features: string[] };
  lineage: {
    /** The recorded run that exported it (`flowline runs show ID`), when known. */
    runId: string | null;
    pipeline: { name: string; path: string | null; hash: string | null };
    /** Data fingerprints of that run: every file a node read, by content hash. */
    data: RecordedDataFile[];
    /** Every metric of that run, by node. */
    metrics: Record<string, Record<string, number>>;
    trainedOn: { nodeId: string; rows: number; dataFingerprint: string | null };
    flowlineVersion: string;
  };
}

/** A stage moving: `from` null when the version is registered. */
export interface StageChange {
  version: string;
  from: ModelStage | null;
  to: ModelStage;
}

/** One line of the audit log (audit.jsonl). */
export interface AuditEntry {
  at: string;
  /** The OS user who did it. */
  who: string;
  action: 'register' | 'promote' | 'rollback' | 'promote-refused';
  /** The version acted on. */
  version: string;
  changes: StageChange[];
  reason?: string;
  /** The gates checked (promote, promote-refused). */
  gates?: GateResult[];
}

export interface ListedVersion extends ModelVersion {
  stage: ModelStage;
}
