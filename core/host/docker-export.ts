/**
 * The Docker export from a pipeline file (CLI `flowline export docker`, the studio's Export
 * dialog): run the pipeline up to the Train node (the content-hash cache makes this free when it
 * already ran), take its model, and find rows the model never saw — the other side of the split
 * that fed it — to verify the export and make golden requests from; then export (core/export).
 */
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { compile } from '../compile/index.ts';
import { execute, type TaskRegistry, type WorkerPool } from '../exec/index.ts';
import type { RunSummary } from './api.ts';
import { readPipelineFile } from './pipeline-file.ts';
import { serializePipeline } from '../schema/serialize.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { MetricsValue, ModelValue, TableRef } from '../spec/values.ts';
import { exportDocker, type DockerExportOptions, type DockerExportResult, type DockerModelSource } from '../export/serving/export-docker.ts';
import type { DockerExportRequest } from './api.ts';

export interface TrainedModelSource {
  model: ModelValue;
  /** Rows to verify on and to take golden requests from, and where they come from in words. */
  heldOut: { table: TableRef; source: string; heldOut: boolean };
  /** The Train node's own metrics (on its training rows). */
  trainMetrics?: Record<string, number>;
  pipelinePath: string;
  /** sha256 of the pipeline's canonical JSON. */
  pipelineHash: string;
}

/** Held-out ports, by preference, on the node that fed the Train node's table. */
const HELD_OUT_PORTS = ['test', 'validation'];

export async function trainedModelFromPipeline(file: string, nodeId: string, { nodes, tasks }: { nodes: readonly AnyNodeSpec[]; tasks: TaskRegistry }, options: { cacheDir?: string; signal?: AbortSignal } = {}): Promise<TrainedModelSource> {
  const pf = await readPipelineFile(file);
  const pipeline = pf.pipeline;
  const node = pipeline.nodes.find((n) => n.id === nodeId);
  if (!node) {
    throw new FlowlineError({ code: 'UNKNOWN_NODE', nodeId, message: `There is no node "${nodeId}" in ${pf.path}.`, hint: `Train nodes here: ${pipeline.nodes.filter((n) => n.type === 'ml.train').map((n) => n.id).join(', ') || 'none'}.` });
  }
  const { plan, diagnostics } = compile(pipeline, nodes, { to: nodeId });
  if (!plan) {
    const first = diagnostics.find((d) => d.severity === 'error')!;
    throw new FlowlineError({ code: first.code, nodeId: first.nodeId, hint: first.hint, message: `${pf.path} does not compile: ${first.message}` });
  }
  const pipelineDir = dirname(pf.path);
  const summary: RunSummary = await execute(plan, {
    cacheDir: resolve(options.cacheDir ?? join(pipelineDir, '.flowline', 'cache')),
    pipelineDir,
    pipelineKey: pf.path,
    signal: options.signal,
    useCache: true,
    tasks,
  });
  const result = summary.nodes.find((n) => n.id === nodeId);
  const failed = summary.nodes.find((n) => n.error);
  if (failed?.error) throw new FlowlineError({ ...failed.error, nodeId: failed.id });
  const model = Object.values(result?.outputs ?? {}).find((v) => v.kind === 'model') as ModelValue | undefined;
  if (!model) {
    throw new FlowlineError({ code: 'INVALID_PARAM', nodeId, message: `Node "${nodeId}" (${node.type}) has no trained model to export.`, hint: 'Give the id of a Train Model node (--node train).' });
  }
  const trainMetrics = (Object.values(result?.outputs ?? {}).find((v) => v.kind === 'metrics') as MetricsValue | undefined)?.values;

  // The Train node's table came from `from.port`; a sibling held-out port of the same node is ours.
  const edge = pipeline.edges.find((e) => e.to === `${nodeId}.table`);
  let heldOut: TrainedModelSource['heldOut'] | undefined;
  if (edge) {
    const [fromNode, fromPort] = edge.from.split('.');
    const outputs = summary.nodes.find((n) => n.id === fromNode)?.outputs ?? {};
    for (const port of HELD_OUT_PORTS) {
      const t = outputs[port];
      if (port !== fromPort && t?.kind === 'table' && t.rowCount > 0) {
        heldOut = { table: t, source: `the ${port} rows of node "${fromNode}" (${t.rowCount} rows the model never saw)`, heldOut: true };
        break;
      }
    }
    if (!heldOut) {
      const t = outputs[fromPort];
      if (t?.kind === 'table') heldOut = { table: t, source: `the training rows of node "${nodeId}" (no held-out split upstream)`, heldOut: false };
    }
  }
  if (!heldOut) throw new FlowlineError({ code: 'MISSING_INPUT', nodeId, message: `Cannot find the rows node "${nodeId}" trained on.`, hint: 'Connect a table to the Train node.' });
  return { model, heldOut, trainMetrics, pipelinePath: pf.path, pipelineHash: createHash('sha256').update(serializePipeline(pipeline)).digest('hex') };
}

/** What the CLI asks for beyond the contract's request. */
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
  options: { cacheDir?: string; signal?: AbortSignal; pool?: WorkerPool } = {},
): Promise<DockerExportResult & { sources: DockerModelSource[] }> {
  const source = async (node: string): Promise<DockerModelSource> => {
    const s = await trainedModelFromPipeline(request.path, node, parts, options);
    return { model: s.model, heldOut: s.heldOut, trainMetrics: s.trainMetrics, pipelinePath: s.pipelinePath, pipelineHash: s.pipelineHash, name: `${basename(s.pipelinePath).replace(/\.flow\.json$|\.json$/, '')}-${node}` };
  };
  const champion = await source(request.node);
  const challenger = request.challenger ? await source(request.challenger) : undefined;
  const result = await run({
    out: resolve(request.out),
    champion,
    challenger,
    addToExisting: request.addToExisting,
    routing: { ...(request.routing ? { mode: request.routing } : challenger ? { mode: 'ab' as const } : {}), ...(request.challengerPercent !== undefined ? { challengerPercent: request.challengerPercent } : {}) },
    validation: { ...(request.unknownCategory ? { unknownCategory: request.unknownCategory } : {}), ...(request.extraFields ? { extraFields: request.extraFields } : {}), ...(request.maxRows ? { maxRows: request.maxRows } : {}) },
    target: request.exact ? 'exact' : 'default',
    zip: request.zip,
  });
  return { ...result, sources: challenger ? [champion, challenger] : [champion] };
}
