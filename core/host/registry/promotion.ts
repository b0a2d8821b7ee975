/**
 * Stage changes with governance (docs/lifecycle.md, "Model registry"): `promote` checks the
 * pipeline's gates (core/export/gates.ts) and refuses, naming each failed gate with its measured
 * value and bound; `rollback` puts the previous production version back. Each is one audit line
 * saying who, when and why; a refused promotion is recorded too.
 */
import { evaluateGates, gateSubjectOf, type GateResult } from '../../export/gates.ts';
import type { ExportedModelInfo } from '../../export/onnx/model-info.ts';
import { parsePipeline } from '../../schema/serialize.ts';
import type { Gate } from '../../schema/gates.ts';
import { FlowlineError } from '../../spec/errors.ts';
import type { AuditEntry, ListedVersion, StageChange } from '../../spec/model-registry.ts';
import { readPipelineFile } from '../pipeline-file.ts';
import { currentUser, findVersion, MODEL_INFO_FILE, ModelRegistry, productionHistory, VERSION_PIPELINE } from './model-registry.ts';

/** Exit code of a promotion (or production export) refused by a gate (docs/lifecycle.md, `flowline help`). */
export const EXIT_GATE_FAILED = 4;

export interface GateCheck {
  /** Where the gates were read: the pipeline file, or the version's copy of it when the file is gone. */
  source: string | null;
  results: GateResult[];
  passed: boolean;
}

/** The gates in force for a version: those of its pipeline file as it is now (the policy), else of the copy kept with it. */
export async function gatesOf(registry: ModelRegistry, version: Pick<ListedVersion, 'id' | 'lineage'>): Promise<{ gates: Gate[]; source: string | null }> {
  const path = version.lineage.pipeline.path;
  if (path) {
    try {
      return { gates: (await readPipelineFile(path)).pipeline.gates ?? [], source: path };
    } catch {
      // Moved or deleted since: fall back to the copy.
    }
  }
  const copy = await registry.readFile(version.id, VERSION_PIPELINE);
  if (copy === null) return { gates: [], source: null };
  return { gates: parsePipeline(copy).gates ?? [], source: `${registry.folderOf(version.id)}/${VERSION_PIPELINE}` };
}

export async function modelInfoOf(registry: ModelRegistry, id: string): Promise<ExportedModelInfo | null> {
  const text = await registry.readFile(id, MODEL_INFO_FILE);
  return text === null ? null : (JSON.parse(text) as ExportedModelInfo);
}

/**
 * A model's gates against the registry's current production version (the drift gate's baseline).
 * `subject` is a registered version, or a model about to be exported (its info and run metrics).
 */
export async function checkGates(registry: ModelRegistry, gates: readonly Gate[], source: string | null, info: ExportedModelInfo, metrics: Record<string, Record<string, number>>, versions: readonly ListedVersion[], self?: string): Promise<GateCheck> {
  const production = versions.find((v) => v.stage === 'production' && v.id !== self);
  const baseline = production ? { id: production.id, trainingReference: (await modelInfoOf(registry, production.id))?.trainingReference } : null;
  const results = evaluateGates(gates, gateSubjectOf(info, metrics), baseline);
  return { source, results, passed: results.every((r) => r.passed) };
}

/** A registered version's gates, as `promote` checks them. */
export async function checkVersionGates(registry: ModelRegistry, version: ListedVersion, versions: readonly ListedVersion[]): Promise<GateCheck> {
  const { gates, source } = await gatesOf(registry, version);
  const info = await modelInfoOf(registry, version.id);
  if (!info) throw new FlowlineError({ code: 'BAD_DATA', file: registry.folderOf(version.id), message: `Version ${version.id} has no ${MODEL_INFO_FILE}: the registry folder was changed by hand.`, hint: 'Export the model again.' });
  return checkGates(registry, gates, source, info, version.lineage.metrics, versions, version.id);
}

export type PromoteOutcome = { promoted: true; version: string; archived: string | null; gates: GateCheck } | { promoted: false; version: string; gates: GateCheck };

export async function promote(registry: ModelRegistry, ref: string, reason: string, who = currentUser()): Promise<PromoteOutcome> {
  needReason(reason, 'promote');
  return registry.change<PromoteOutcome>(async ({ versions }) => {
    const version = findVersion(versions, ref, registry.dir);
    if (version.stage === 'production') throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `${version.id} is already in production.` });
    const gates = await checkVersionGates(registry, version, versions);
    const at = new Date().toISOString();
    if (!gates.passed) {
      return { entries: [{ at, who, action: 'promote-refused', version: version.id, changes: [], reason, gates: gates.results }], result: { promoted: false, version: version.id, gates } };
    }
    const current = versions.find((v) => v.stage === 'production');
    const changes: StageChange[] = [...(current ? [{ version: current.id, from: 'production' as const, to: 'archived' as const }] : []), { version: version.id, from: version.stage, to: 'production' }];
    return { entries: [{ at, who, action: 'promote', version: version.id, changes, reason, gates: gates.results }], result: { promoted: true, version: version.id, archived: current?.id ?? null, gates } };
  });
}

/** The current production version is archived and the one before it is production again. Gates are not checked: it was production before. */
export async function rollback(registry: ModelRegistry, reason: string, who = currentUser()): Promise<{ restored: string; archived: string }> {
  needReason(reason, 'rollback');
  return registry.change(async ({ versions, audit }) => {
    const current = versions.find((v) => v.stage === 'production');
    if (!current) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'No version is in production: there is nothing to roll back.', hint: '`flowline models promote VERSION --reason ...` puts one in production.' });
    const history = productionHistory(audit);
    const previous = history.length >= 2 ? versions.find((v) => v.id === history[history.length - 2]) : undefined;
    if (!previous) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `${current.id} is the first version in production: there is no previous one to roll back to.`, hint: 'Promote another version instead.' });
    const entry: AuditEntry = {
      at: new Date().toISOString(),
      who,
      action: 'rollback',
      version: previous.id,
      changes: [
        { version: current.id, from: 'production', to: 'archived' },
        { version: previous.id, from: previous.stage, to: 'production' },
      ],
      reason,
    };
    return { entries: [entry], result: { restored: previous.id, archived: current.id } };
  });
}

function needReason(reason: string, action: string): void {
  if (!reason.trim()) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `flowline models ${action} needs --reason: the audit log records why.`, hint: `e.g. flowline models ${action} ${action === 'promote' ? 'v3 ' : ''}--reason "AUC up on the March data"` });
}
