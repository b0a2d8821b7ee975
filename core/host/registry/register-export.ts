/**
 * Exports into the registry: an ONNX file or a serving bundle becomes a version carrying the
 * lineage of the run that made it (run id, pipeline hash, data fingerprints, metrics). Every
 * export path comes through here — a pipeline's Export ONNX / Export Docker nodes when the run
 * ends (run-session.ts), and `flowline export onnx|docker`.
 */
import { createHash } from 'node:crypto';
import { copyFile, cp, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ExportedModelInfo } from '../../export/onnx/model-info.ts';
import type { ModelVersion } from '../../spec/model-registry.ts';
import type { RunRecord } from '../runs/run-record.ts';
import { RunStore } from '../runs/run-store.ts';
import { MODEL_INFO_FILE, ModelRegistry, VERSION_PIPELINE } from './model-registry.ts';

/** Where a model came from: the run that exported it. */
export interface ExportLineage {
  runId: string | null;
  pipeline: { name: string; path: string | null; hash: string | null };
  data: ModelVersion['lineage']['data'];
  metrics: ModelVersion['lineage']['metrics'];
  /** The pipeline file as it was run (the run's copy), kept with the version. */
  pipelineCopy: string | null;
}

export function lineageOfRun(record: RunRecord): ExportLineage {
  return {
    runId: record.id,
    pipeline: { name: record.pipeline.name, path: record.pipeline.path ?? null, hash: record.pipeline.hash },
    data: record.data,
    metrics: record.metrics,
    pipelineCopy: record.pipeline.copy,
  };
}

/** The registry beside a run log (`.flowline/runs` → `.flowline/models`). */
export const registryBesideRuns = (runsDir: string) => new ModelRegistry(join(dirname(runsDir), 'models'));

/**
 * Register an export made from a recorded run (flowline export docker, the studio's Export
 * dialog): that run is its lineage. Never throws — a registry that cannot be written loses the
 * version, not the export.
 */
export async function registerAfterRun(runsDir: string, runId: string, kind: 'onnx' | 'docker-bundle', path: string): Promise<ModelVersion | null> {
  try {
    const record = await new RunStore(runsDir).get(runId);
    const registry = registryBesideRuns(runsDir);
    return (await (kind === 'onnx' ? registerOnnx : registerBundle)(registry, path, lineageOfRun(record))).version;
  } catch {
    return null;
  }
}

/** Register every model a finished run exported (its onnx and docker-bundle artifacts). */
export async function registerRunExports(registry: ModelRegistry, record: RunRecord): Promise<ModelVersion[]> {
  const out: ModelVersion[] = [];
  for (const a of record.artifacts) {
    if (a.kind === 'onnx') out.push((await registerOnnx(registry, a.path, lineageOfRun(record))).version);
    if (a.kind === 'docker-bundle') out.push((await registerBundle(registry, a.path, lineageOfRun(record))).version);
  }
  return out;
}

export async function registerOnnx(registry: ModelRegistry, path: string, lineage: ExportLineage): Promise<{ version: ModelVersion; created: boolean }> {
  const bytes = await readFile(path);
  // score.ts loads onnxruntime: only when there is a model to read.
  const { readModelInfo } = await import('../../export/onnx/score.ts');
  const info = readModelInfo(bytes, basename(path));
  return registry.register(sha256(bytes), async (folder) => {
    await copyFile(path, join(folder, 'model.onnx'));
    return fieldsOf('onnx', path, 'model.onnx', info, lineage, folder);
  });
}

interface BundleManifest {
  models: { name: string; file: string; onnx?: ExportedModelInfo }[];
}

/** A serving bundle: the version is its champion (and the bundle, challenger included, is kept whole). */
export async function registerBundle(registry: ModelRegistry, dir: string, lineage: ExportLineage): Promise<{ version: ModelVersion; created: boolean }> {
  const manifest = JSON.parse(await readFile(join(dir, 'flowline-model.json'), 'utf8')) as BundleManifest;
  const files = await Promise.all(manifest.models.map((m) => readFile(join(dir, m.file))));
  const champion = manifest.models[0];
  const info = champion.onnx ?? (await import('../../export/onnx/score.ts')).readModelInfo(files[0], champion.file);
  const hash = createHash('sha256');
  for (const f of files) hash.update(f);
  return registry.register(hash.digest('hex'), async (folder) => {
    await cp(dir, join(folder, 'bundle'), { recursive: true, filter: (src) => !src.split(/[\\/]/).includes('node_modules') });
    return fieldsOf('docker-bundle', dir, join('bundle', champion.file), info, lineage, folder);
  });
}

async function fieldsOf(kind: ModelVersion['kind'], exportedTo: string, file: string, info: ExportedModelInfo, lineage: ExportLineage, folder: string): Promise<Omit<ModelVersion, 'format' | 'id' | 'number' | 'registeredAt' | 'sha256'>> {
  await writeFile(join(folder, MODEL_INFO_FILE), `${JSON.stringify(info)}\n`);
  if (lineage.pipelineCopy) await copyFile(lineage.pipelineCopy, join(folder, VERSION_PIPELINE)).catch(() => {});
  // The file's own metrics (its Evaluate node) under the run's, so a model exported outside a recorded run still has them.
  const metrics = { ...(info.metrics ? { [info.metrics.nodeId]: info.metrics.values } : {}), ...lineage.metrics };
  return {
    kind,
    exportedTo,
    file,
    model: { task: info.task, learner: info.learner.kind, trainNode: info.trainedOn.nodeId, targetColumn: info.targetColumn, inputs: info.inputs.map((i) => i.column), features: info.features },
    lineage: {
      runId: lineage.runId,
      pipeline: { ...lineage.pipeline, hash: lineage.pipeline.hash ?? info.pipelineHash },
      data: lineage.data,
      metrics,
      trainedOn: info.trainedOn,
      flowlineVersion: info.flowlineVersion,
    },
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
