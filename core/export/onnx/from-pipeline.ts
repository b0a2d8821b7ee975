/**
 * Exporting a model from a pipeline (CLI `flowline export onnx`, the studio's Export button):
 * which node to run first, and, from the run's outputs, the model, the held-out rows to verify on,
 * the Evaluate node's metrics, and the checks only the pipeline can make — a node that starts a new
 * table (Run Code, SQL, union) after feature steps or after the split would leave its work out of
 * the exported model, so it is refused by name.
 */
import { canonicalJson, sha256 } from '../../exec/hash.ts';
import { splitEndpoint, type Pipeline } from '../../schema/pipeline.ts';
import { FlowlineError, type ErrorInfo } from '../../spec/errors.ts';
import type { AnyNodeSpec } from '../../spec/define-node.ts';
import type { MetricsValue, ModelValue, PortValue, TableRef } from '../../spec/values.ts';
import { loadRawFrame } from '../../ml/recipe.ts';
import type { Frame } from '../../ml/frame.ts';
import type { ExportedModelInfo } from './model-info.ts';

type Specs = ReadonlyMap<string, AnyNodeSpec>;

/** What this file reads of a run (a RunSummary of core/host/api.ts has this shape). */
export interface RunSummary {
  nodes: { id: string; status: string; error?: ErrorInfo; outputs?: Record<string, PortValue> }[];
}

/** Node types whose output scores a model on a table: their table input is held-out rows. */
const SCORING_TYPES = ['ml.evaluate', 'ml.predict'];

interface Scorer {
  nodeId: string;
  /** "node.port" feeding its table input. */
  tableFrom: string;
}

/** The first Evaluate (then Predict) node fed by `nodeId`'s model, with the source of its rows. */
export function scorerOf(pipeline: Pipeline, nodeId: string): Scorer | null {
  for (const type of SCORING_TYPES) {
    for (const node of pipeline.nodes.filter((n) => n.type === type && !n.disabled)) {
      const modelIn = pipeline.edges.find((e) => splitEndpoint(e.to).node === node.id && splitEndpoint(e.from).node === nodeId);
      const tableIn = pipeline.edges.find((e) => e.to === `${node.id}.table`);
      if (modelIn && tableIn) return { nodeId: node.id, tableFrom: tableIn.from };
    }
  }
  return null;
}

/** The node a run must reach before exporting `nodeId`'s model: its scorer (which runs it too), or itself. */
export function exportRunTarget(pipeline: Pipeline, nodeId: string): string {
  if (!pipeline.nodes.some((n) => n.id === nodeId)) {
    throw new FlowlineError({ code: 'UNKNOWN_NODE', nodeId, message: `There is no node "${nodeId}" in this pipeline.`, hint: `Nodes: ${pipeline.nodes.map((n) => n.id).join(', ')}.` });
  }
  return scorerOf(pipeline, nodeId)?.nodeId ?? nodeId;
}

function outputOf(summary: RunSummary, endpoint: string): PortValue | undefined {
  const { node, port } = splitEndpoint(endpoint);
  return summary.nodes.find((n) => n.id === node)?.outputs?.[port];
}

/** The first output of `kind` (metrics, explanation…) node `nodeId` produced in a run, if it ran. */
export function outputOfKind<V extends PortValue>(summary: Pick<RunSummary, 'nodes'>, nodeId: string, kind: V['kind']): V | undefined {
  return Object.values(summary.nodes.find((n) => n.id === nodeId)?.outputs ?? {}).find((v) => v.kind === kind) as V | undefined;
}

/** Table-typed inputs of a node, as "node.port" sources. */
function tableSources(pipeline: Pipeline, summary: RunSummary, nodeId: string): string[] {
  return pipeline.edges.filter((e) => splitEndpoint(e.to).node === nodeId && outputOf(summary, e.from)?.kind === 'table').map((e) => e.from);
}

/**
 * Walks the tables that reach `nodeId`. Refused, by name: a node that starts a new table (its
 * output recipe is empty) from a table whose recipe has feature steps — their fitted work would be
 * baked into its rows and missing from the model; and a Run Code / SQL node after the split — it
 * transforms the training rows only, never the rows the exported model will score.
 */
export function checkLineage(pipeline: Pipeline, summary: RunSummary, nodeId: string, specs: Specs): void {
  const typeOf = (id: string) => pipeline.nodes.find((n) => n.id === id)?.type ?? '';
  const titleOf = (id: string) => specs.get(typeOf(id))?.title ?? typeOf(id);
  const upstream = (id: string) => tableSources(pipeline, summary, id).map((from) => ({ from, node: splitEndpoint(from).node }));
  const splitAbove = (id: string): string | null => {
    const stack = [id];
    const visited = new Set<string>();
    while (stack.length) {
      for (const { node } of upstream(stack.pop()!)) {
        if (visited.has(node)) continue;
        visited.add(node);
        if (typeOf(node) === 'data.split') return node;
        stack.push(node);
      }
    }
    return null;
  };
  const refuse = (id: string, why: string, hint: string): never => {
    throw new FlowlineError({ code: 'NOT_EXPORTABLE', nodeId: id, message: `This model cannot be exported to ONNX: node '${id}' (${titleOf(id)}) ${why}. No file was written.`, hint });
  };
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length) {
    for (const { from, node } of upstream(stack.pop()!)) {
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(node);
      const out = outputOf(summary, from) as TableRef;
      const userCode = specs.get(typeOf(node))?.runsUserCode === true;
      for (const { from: inFrom } of upstream(node)) {
        const input = outputOf(summary, inFrom) as TableRef;
        const startsAfresh = out.recipe.base === null && out.recipe.steps.length === 0;
        if (input.recipe.steps.length > 0 && (startsAfresh || userCode)) {
          const steps = [...new Set(input.recipe.steps.map((s) => `'${s.nodeId}'`))].join(', ');
          refuse(
            node,
            `comes after the feature steps ${steps} and starts a new table${userCode ? ' from your own code' : ''}, so their fitted work is baked into its rows: the exported model would leave out ${userCode ? 'the code and ' : ''}those steps`,
            `Move '${node}' before the first feature step (right after loading, as a table step), or drop it.`,
          );
        }
      }
      const split = userCode ? splitAbove(node) : null;
      if (split) {
        refuse(node, `runs your own code after the split '${split}', on the training rows only: the rows the exported model scores would never go through it`, `Move '${node}' before the split '${split}' (as a table step), or drop it.`);
      }
    }
  }
}

export interface ExportInputs {
  model: ModelValue;
  rows: Frame;
  rowSource: string;
  metrics: ExportedModelInfo['metrics'];
  pipelineHash: string;
}

/** The model output of a node (Train, Tune, ...): its first model-typed output. */
export function modelOf(summary: RunSummary, nodeId: string): ModelValue {
  const node = summary.nodes.find((n) => n.id === nodeId);
  const model = Object.values(node?.outputs ?? {}).find((v) => v.kind === 'model') as ModelValue | undefined;
  if (!model) {
    const why = node?.error ? `it failed: ${node.error.message}` : node ? `it has no model output (status ${node.status})` : 'it did not run';
    throw new FlowlineError({ code: 'NOT_EXPORTABLE', nodeId, message: `There is no model to export from node '${nodeId}': ${why}.`, hint: 'Export from a Train Model (or Tune) node that ran without errors.' });
  }
  return model;
}

/** Everything exportOnnx needs, read from a run that reached exportRunTarget(pipeline, nodeId). */
export async function exportInputs(pipeline: Pipeline, summary: RunSummary, nodeId: string, specs: Specs): Promise<ExportInputs> {
  const model = modelOf(summary, nodeId);
  checkLineage(pipeline, summary, nodeId, specs);
  const scorer = scorerOf(pipeline, nodeId);
  const columns = model.inputColumns.map((c) => c.name);
  let rows: Frame;
  let rowSource: string;
  let metrics: ExportedModelInfo['metrics'] = null;
  const held = scorer ? (outputOf(summary, scorer.tableFrom) as TableRef | undefined) : undefined;
  if (scorer && held?.kind === 'table') {
    rows = (await loadRawFrame(held, columns)).frame;
    rowSource = `held-out rows scored by '${scorer.nodeId}' (from '${splitEndpoint(scorer.tableFrom).node}')`;
    const m = outputOfKind<MetricsValue>(summary, scorer.nodeId, 'metrics');
    if (m) metrics = { nodeId: scorer.nodeId, scope: m.scope, values: m.values };
  } else {
    const trainIn = tableSources(pipeline, summary, nodeId)[0];
    const table = trainIn ? (outputOf(summary, trainIn) as TableRef) : undefined;
    if (!table) throw new FlowlineError({ code: 'NO_ROWS', nodeId, message: `Node '${nodeId}' has no table input to verify the export on.`, hint: 'Connect the model to an Evaluate node with held-out rows.' });
    rows = (await loadRawFrame(table, columns)).frame;
    rowSource = `training rows of '${nodeId}' (no Evaluate node scores this model on held-out rows)`;
  }
  return { model, rows, rowSource, metrics, pipelineHash: sha256(canonicalJson({ ...pipeline, layout: undefined })) };
}
