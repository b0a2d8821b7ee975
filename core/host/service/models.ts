/**
 * The studio's Models view over the host API: the registry beside the pipeline, and its promote
 * and rollback. These are the CLI's own functions (core/host/registry/promotion.ts) on the same
 * folder `flowline models --in PIPELINE` uses, so the view, the CLI and the audit log agree; the
 * only file written is the registry's audit.jsonl, as the CLI writes it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_CARD, cardPathsBeside } from '../../export/card/model-card.ts';
import { refusalLines } from '../../export/gates.ts';
import { FlowlineError } from '../../spec/errors.ts';
import type { ListedVersion } from '../../spec/model-registry.ts';
import type { FlowlineApi, ModelRegistryView, ModelStageResult } from '../api.ts';
import type { ModelRegistry } from '../registry/model-registry.ts';
import { promote, rollback } from '../registry/promotion.ts';

/**
 * Where the export wrote its model card: beside the .onnx file, or inside the bundle. Derived from
 * the registry's record, never from a path the window sends.
 */
export function cardFileOf(version: Pick<ListedVersion, 'kind' | 'exportedTo'>): string {
  return version.kind === 'docker-bundle' ? join(version.exportedTo, BUNDLE_CARD.html) : cardPathsBeside(version.exportedTo).html;
}

export async function registryView(registry: ModelRegistry): Promise<ModelRegistryView> {
  const [versions, audit] = await Promise.all([registry.list(), registry.audit()]);
  return {
    dir: registry.dir,
    versions: versions.map((v) => {
      const card = cardFileOf(v);
      return { ...v, card: existsSync(card) ? card : null };
    }),
    audit,
  };
}

export async function promoteVersion(registry: ModelRegistry, ref: string, reason: string): Promise<ModelStageResult> {
  const outcome = await promote(registry, ref, reason);
  if (!outcome.promoted) return { ok: false, action: 'promote', version: outcome.version, gates: outcome.gates.results, refusal: refusalLines(outcome.gates.results) };
  return { ok: true, action: 'promote', version: outcome.version, archived: outcome.archived, gates: outcome.gates.results };
}

export async function rollbackVersion(registry: ModelRegistry, reason: string): Promise<ModelStageResult> {
  const done = await rollback(registry, reason);
  return { ok: true, action: 'rollback', version: done.restored, archived: done.archived, gates: [] };
}

/** `checkReadable` throws for a place the studio's file API may not read (service/places.ts). */
export async function modelCardOf(registry: ModelRegistry, ref: string, checkReadable: (abs: string) => void = () => {}): Promise<{ file: string; html: string }> {
  const version = await registry.get(ref);
  const file = cardFileOf(version);
  // A registry folder can come with a pipeline from elsewhere: its version.json says where the export went.
  checkReadable(file);
  try {
    return { file, html: await readFile(file, 'utf8') };
  } catch {
    throw new FlowlineError({ code: 'FILE_NOT_FOUND', file, message: `The model card of ${version.id} is no longer at ${file}.`, hint: 'Export the model again to write its card.' });
  }
}

/** The contract's registry methods over the registry of a pipeline path (the service decides which folder). */
export function registryMethods(registryOf: (path?: string) => ModelRegistry, checkReadable: (abs: string) => void): Pick<FlowlineApi, 'listModels' | 'promoteModel' | 'rollbackModel' | 'modelCard'> {
  return {
    listModels: async (path) => registryView(registryOf(path)),
    promoteModel: async (path, version, reason) => promoteVersion(registryOf(path), version, reason),
    rollbackModel: async (path, reason) => rollbackVersion(registryOf(path), reason),
    modelCard: async (path, version) => modelCardOf(registryOf(path), version, checkReadable),
  };
}
