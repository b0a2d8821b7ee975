/**
 * The Docker export from a pipeline file (CLI `flowline export docker`, the studio's Export
 * dialog): the trained model(s) and held-out rows out of the pipeline (through the run cache), then
 * the export itself (core/export/serving), in-process or in the host's worker pool.
 */
import { basename, resolve } from 'node:path';
import type { TaskRegistry, WorkerPool } from '../exec/index.ts';
import { exportInputs, exportRunTarget, outputOfKind, type ExportInputs } from '../export/onnx/from-pipeline.ts';
import type { Frame } from '../ml/frame.ts';
import { readPipelineFile } from './pipeline-file.ts';
import { registerAfterRun } from './registry/register-export.ts';
import { prepareRun } from './run-session.ts';
import { defaultStateDir } from './service/state-dir.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { MetricsValue, ModelValue } from '../spec/values.ts';
import { exportDocker, type DockerExportOptions, type DockerExportResult, type DockerModelSource } from '../export/serving/export-docker.ts';
import type { DockerExportRequest } from './api.ts';
import { BUNDLE_CARD, modelCard, type CardParts } from '../export/card/model-card.ts';
import { modelCardHtml, modelCardMarkdown } from '../report/index.ts';
import { cardPartsFromRun } from '../export/card/from-pipeline.ts';
import { RunStore } from './runs/run-store.ts';
import { runInfoOf } from './runs/run-record.ts';

export interface TrainedModelSource {
  model: ModelValue;
  /** Raw rows (the model's input columns) to verify on and take golden requests from. */
  rows: Frame;
  rowSource: string;
  /** The Evaluate node's figures for this model, when one scores it. */
  evaluation: ExportInputs['metrics'];
  /** The Train node's own metrics (on its training rows). */
  trainMetrics?: Record<string, number>;
  pipelinePath: string;
  pipelineHash: string;
  /** The recorded run it came out of (the registry's lineage of the export). */
  run: { id: string; runsDir: string };
  /** Its model card's parts, from the run (the bundle's card is the champion's). */
  card: CardParts;
}

/**
 * Run the pipeline as far as exporting `nodeId` needs — its Evaluate node when one scores it, so
 * the held-out rows are that node's — through the run session `flowline run` and the studio use
 * (same cache), then read the model and rows as the ONNX export does (which also refuses, by name,
 * lineages the exported model could not carry).
 */
export async function trainedModelFromPipeline(
  file: string,
  nodeId: string,
  { nodes, tasks }: { nodes: readonly AnyNodeSpec[]; tasks: TaskRegistry },
  options: { cacheDir?: string; signal?: AbortSignal; pool?: WorkerPool; stateDir?: string } = {},
): Promise<TrainedModelSource> {
  const pf = await readPipelineFile(file);
  const pipeline = pf.pipeline;
  const prepared = prepareRun({ pipeline, path: pf.path, to: exportRunTarget(pipeline, nodeId) }, { nodes, stateDir: options.stateDir ?? defaultStateDir(), cwd: process.cwd(), cacheDir: options.cacheDir });
  if (!prepared.plan) {
    const first = prepared.diagnostics.find((d) => d.severity === 'error')!;
    throw new FlowlineError({ code: first.code, nodeId: first.nodeId, hint: first.hint, message: `${pf.path} does not compile: ${first.message}` });
  }
  const summary = await prepared.start({ workers: options.pool ? { pool: options.pool } : { tasks }, signal: options.signal });
  const failed = summary.nodes.find((n) => n.error);
  if (failed?.error) throw new FlowlineError({ ...failed.error, nodeId: failed.id });
  const inputs = await exportInputs(pipeline, summary, nodeId, new Map(nodes.map((n) => [n.type, n])));
  const trainMetrics = outputOfKind<MetricsValue>(summary, nodeId, 'metrics')?.values;
  // A run that could not be recorded still gets a card, without the recorded lineage.
  const record = await new RunStore(prepared.runsDir).get(summary.runId).catch(() => null);
  const card = cardPartsFromRun(pipeline, summary, nodeId, inputs.model, 'model.onnx', record ? runInfoOf(record, pipeline.gates) : { id: summary.runId, gates: pipeline.gates });
  return { model: inputs.model, rows: inputs.rows, rowSource: inputs.rowSource, evaluation: inputs.metrics, trainMetrics, pipelinePath: pf.path, pipelineHash: inputs.pipelineHash, run: { id: summary.runId, runsDir: prepared.runsDir }, card };
}

/** What the CLI asks for: the contract's request, and whether to write the .zip. */
export interface DockerExportCall extends DockerExportRequest {
  zip?: boolean;
}

/**
 * A pipeline file's Train node(s) → a bundle: the models come out of the pipeline (through the
 * run cache), the export itself runs where `run` puts it (a worker pool in the hosts, in-process
 * in the CLI).
 */
export async function dockerBundleFromPipeline(
  request: DockerExportCall,
  parts: { nodes: readonly AnyNodeSpec[]; tasks: TaskRegistry },
  run: (options: DockerExportOptions) => Promise<DockerExportResult> = exportDocker,
  options: { cacheDir?: string; signal?: AbortSignal; pool?: WorkerPool; stateDir?: string } = {},
): Promise<DockerExportResult & { sources: DockerModelSource[] }> {
  const runs = new Map<string, TrainedModelSource['run']>();
  let championCard: CardParts | undefined;
  const source = async (node: string): Promise<DockerModelSource> => {
    const s = await trainedModelFromPipeline(request.path, node, parts, options);
    runs.set(node, s.run);
    championCard ??= s.card;
    return { model: s.model, heldOut: { frame: s.rows, source: s.rowSource }, evaluation: s.evaluation, trainMetrics: s.trainMetrics, pipelinePath: s.pipelinePath, pipelineHash: s.pipelineHash, name: `${basename(s.pipelinePath).replace(/\.flow\.json$|\.json$/, '')}-${node}` };
  };
  const champion = await source(request.node);
  const challenger = request.challenger ? await source(request.challenger) : undefined;
  const out = resolve(request.out);
  // The champion's model card goes inside a new bundle, as the Export Docker node writes it.
  const card = championCard && modelCard({ ...championCard, artifact: `${basename(out)}/model.onnx` });
  const result = await run({
    out,
    ...(request.addToExisting || !card ? {} : { extraFiles: { [BUNDLE_CARD.markdown]: modelCardMarkdown(card), [BUNDLE_CARD.html]: await modelCardHtml(card) } }),
    champion,
    challenger,
    addToExisting: request.addToExisting,
    routing: { ...(request.routing ? { mode: request.routing } : challenger ? { mode: 'ab' as const } : {}), ...(request.challengerPercent !== undefined ? { challengerPercent: request.challengerPercent } : {}) },
    validation: { ...(request.unknownCategory ? { unknownCategory: request.unknownCategory } : {}), ...(request.extraFields ? { extraFields: request.extraFields } : {}), ...(request.maxRows ? { maxRows: request.maxRows } : {}) },
    target: request.exact ? 'exact' : 'default',
    zip: request.zip,
  });
  // A new bundle is a registry version with its champion's run as lineage; a challenger added to an
  // existing bundle is not (the bundle's champion came from another run).
  const championRun = runs.get(request.node)!;
  if (!request.addToExisting) await registerAfterRun(championRun.runsDir, championRun.id, 'docker-bundle', result.dir);
  return { ...result, sources: challenger ? [champion, challenger] : [champion] };
}
