/**
 * One fitted model → one ONNX graph: an input per raw column, the recipe steps the estimator
 * needs, the estimator, and the outputs of docs/onnx-export.md. Every step and the estimator are
 * checked before anything is built, and the ones that cannot be expressed are named together,
 * each with what to do instead.
 */
import { FlowlineError } from '../../spec/errors.ts';
import { isNumericType } from '../../ml/frame.ts';
import type { ModelValue, RecipeStep } from '../../spec/values.ts';
import { ColumnSet } from './columns.ts';
import { OnnxGraph, tensor } from './graph.ts';
import { MODEL_INFO_FORMAT, MODEL_INFO_KEY, MODEL_INFO_VERSION, type ExportedInput, type ExportedModelInfo, type ExportedOutput } from './model-info.ts';
import { ESTIMATORS, STEPS, UNEXPORTABLE_STEPS } from './registry.ts';
import type { ExportTarget } from './target.ts';
import type { EstimatorOutputs } from './estimators/types.ts';

export interface ExportProvenance {
  flowlineVersion: string;
  pipelineHash?: string | null;
  metrics?: ExportedModelInfo['metrics'];
}

const OUTPUT_NAMES = new Set(['label', 'probabilities', 'value', 'cluster', 'distances', 'score']);

/** The recipe steps the estimator's features depend on, in order (others are left out of the graph). */
export function neededSteps(model: ModelValue): RecipeStep[] {
  const needed = new Set(model.features);
  const keep: boolean[] = [];
  for (let s = model.recipe.length - 1; s >= 0; s--) {
    const step = model.recipe[s];
    keep[s] = step.outputs.some((o) => needed.has(o));
    if (keep[s]) for (const i of step.inputs) needed.add(i);
  }
  return model.recipe.filter((_, s) => keep[s]);
}

/** Throws one NOT_EXPORTABLE error naming every step (and the learner) that ONNX cannot express. */
export function checkExportable(model: ModelValue): void {
  const problems: { nodeId?: string; text: string; hint: string }[] = [];
  for (const step of neededSteps(model)) {
    if (STEPS[step.kind]) continue;
    const why = UNEXPORTABLE_STEPS[step.kind] ?? {
      what: `a "${step.kind}" step`,
      reason: 'ONNX export does not know this kind of step',
      instead: 'move it before the split as a table step, or remove it',
    };
    problems.push({ nodeId: step.nodeId, text: `node '${step.nodeId}' (${why.what}): ${why.reason}`, hint: `For '${step.nodeId}': ${why.instead}.` });
  }
  if (!ESTIMATORS[model.estimator.kind]) {
    problems.push({ text: `the learner "${model.estimator.kind}" has no ONNX form`, hint: 'Pick another learner on the Train node.' });
  }
  if (problems.length === 0) return;
  throw new FlowlineError({
    code: 'NOT_EXPORTABLE',
    nodeId: problems[0].nodeId,
    message: `This model cannot be exported to ONNX: ${problems.map((p) => p.text).join('; ')}. No file was written.`,
    hint: problems.map((p) => p.hint).join(' '),
  });
}

/** Graph input names: the column names, unless one collides with an output name. */
function inputNames(model: ModelValue): ExportedInput[] {
  const taken = new Set(OUTPUT_NAMES);
  return model.inputColumns.map((c) => {
    let name = c.name;
    while (taken.has(name)) name = `${name}_input`;
    taken.add(name);
    const numeric = isNumericType(c.type);
    return { name, column: c.name, type: numeric ? 'double' : 'string', columnType: c.type, missing: numeric ? 'NaN' : '' };
  });
}

function outputSpecs(model: ModelValue): ExportedOutput[] {
  const k = model.classes?.length ?? 0;
  switch (model.task) {
    case 'binary':
    case 'multiclass':
      return [
        { name: 'label', type: typeof model.classes![0] === 'number' ? 'double' : 'string', shape: ['N'], description: 'Predicted class (the first class with the highest probability).' },
        { name: 'probabilities', type: 'double', shape: ['N', k], description: `Probability of each class, in the order of "classes".` },
      ];
    case 'regression':
      return [{ name: 'value', type: 'double', shape: ['N'], description: 'Predicted value.' }];
    case 'clustering':
      return [
        { name: 'cluster', type: 'int64', shape: ['N'], description: 'Index of the nearest cluster centre (0-based).' },
        { name: 'distances', type: 'double', shape: ['N', clusterCount(model)], description: 'Euclidean distance to every cluster centre, after the recipe.' },
      ];
    case 'anomaly':
      return [{ name: 'score', type: 'double', shape: ['N'], description: 'Anomaly score in (0, 1]: higher is more anomalous; above anomalyThreshold is an anomaly.' }];
  }
}

function clusterCount(model: ModelValue): number {
  return (model.estimator.state as { nClusters: number }).nClusters;
}

export interface BuiltModel {
  bytes: Uint8Array;
  info: ExportedModelInfo;
  /** Operators used that may round differently from JavaScript's Math. */
  inexact: string[];
  nodes: number;
}

export function buildOnnx(model: ModelValue, target: ExportTarget, provenance: ExportProvenance): BuiltModel {
  checkExportable(model);
  const g = new OnnxGraph(target);
  const inputs = inputNames(model);
  const cols = new ColumnSet();
  for (const input of inputs) cols.set(input.column, { tensor: g.input(input.name, input.type, ['N', 1]), kind: input.type });

  const steps = neededSteps(model);
  for (const step of steps) {
    try {
      STEPS[step.kind](g, cols, step);
    } catch (e) {
      if (e instanceof FlowlineError && !e.nodeId) e.nodeId = step.nodeId;
      throw e;
    }
  }
  const columns = model.features.map((f) => cols.double(f, 'the learner', model.trainedOn.nodeId));
  let matrix: string | null = null;
  const input = { columns, matrix: () => (matrix ??= g.concat(columns, 1)) };
  const out = ESTIMATORS[model.estimator.kind](g, input, model);

  const specs = outputSpecs(model);
  wireOutputs(g, model, out, specs);

  const info: ExportedModelInfo = {
    format: MODEL_INFO_FORMAT,
    formatVersion: MODEL_INFO_VERSION,
    target: target.name,
    opset: target.opset,
    mlOpset: target.mlOpset,
    task: model.task,
    targetColumn: model.target,
    ...(model.classes ? { classes: model.classes } : {}),
    inputs,
    outputs: specs,
    ...(model.task === 'anomaly' ? { anomalyThreshold: (model.estimator.state as { threshold: number }).threshold } : {}),
    learner: { kind: model.estimator.kind, params: model.estimator.params },
    steps: steps.map((s) => ({ nodeId: s.nodeId, kind: s.kind })),
    features: model.features,
    flowlineVersion: provenance.flowlineVersion,
    pipelineHash: provenance.pipelineHash ?? null,
    trainedOn: { nodeId: model.trainedOn.nodeId, rows: model.trainedOn.rows, dataFingerprint: model.trainedOn.dataFingerprint ?? null },
    ...(model.reference ? { trainingReference: model.reference } : {}),
    metrics: provenance.metrics ?? null,
    exportedAt: new Date().toISOString(),
  };
  const metadata: Record<string, string> = {
    [MODEL_INFO_KEY]: JSON.stringify(info),
    'flowline.version': info.flowlineVersion,
    'flowline.task': info.task,
    'flowline.target': info.target,
  };
  if (info.pipelineHash) metadata['flowline.pipeline_hash'] = info.pipelineHash;
  if (info.trainedOn.dataFingerprint) metadata['flowline.data_fingerprint'] = info.trainedOn.dataFingerprint;
  const bytes = g.encode({
    producerVersion: provenance.flowlineVersion,
    graphName: `flowline_${model.trainedOn.nodeId}`,
    docString: `Flowline model trained by node '${model.trainedOn.nodeId}' (${model.estimator.kind}, ${model.task}). Inputs: one [N, 1] tensor per raw column; see metadata "${MODEL_INFO_KEY}".`,
    metadata,
  });
  return { bytes, info, inexact: [...g.inexact], nodes: g.nodeCount };
}

function wireOutputs(g: OnnxGraph, model: ModelValue, out: EstimatorOutputs, specs: ExportedOutput[]): void {
  const flat = (x: string) => g.reshape(x, [-1]);
  for (const spec of specs) {
    const dims = spec.shape.map((d) => (d === 'N' ? 'N' : d));
    switch (spec.name) {
      case 'label': {
        const classes = model.classes!;
        const labels = typeof classes[0] === 'number' ? tensor.double(classes as number[]) : tensor.string(classes.map(String));
        g.output('label', g.op('Gather', [g.constant(labels, 'classes'), flat(out.labelIndex!)], { axis: { i: 0 } }), spec.type, dims);
        break;
      }
      case 'probabilities':
        g.output('probabilities', out.proba!, 'double', dims);
        break;
      case 'value':
        g.output('value', flat(out.value!), 'double', dims);
        break;
      case 'score':
        g.output('score', flat(out.value!), 'double', dims);
        break;
      case 'cluster':
        g.output('cluster', flat(out.cluster!), 'int64', dims);
        break;
      case 'distances':
        g.output('distances', out.distances!, 'double', dims);
        break;
    }
  }
}
