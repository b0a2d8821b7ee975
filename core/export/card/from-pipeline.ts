/**
 * The model card's parts for an export made from a pipeline run outside an export node
 * (`flowline export onnx --node TRAIN`): the written fields of an Export node that exports the same
 * model, the Evaluate that scores it and an Explain that explains it, when those ran.
 */
import { splitEndpoint, type Pipeline } from '../../schema/pipeline.ts';
import type { RunInfo } from '../../spec/context.ts';
import type { ExplanationValue, MetricsValue, ModelValue } from '../../spec/values.ts';
import { outputOfKind, scorerOf, type RunSummary } from '../onnx/from-pipeline.ts';
import type { CardText } from '../../spec/model-card.ts';
import type { CardParts } from './model-card.ts';

const EXPORT_TYPES = ['export.onnx', 'export.docker'];

/** Nodes of `types` whose model input comes from `nodeId`. */
function readersOfModel(pipeline: Pipeline, nodeId: string, types: string[]) {
  return pipeline.nodes.filter(
    (n) => types.includes(n.type) && !n.disabled && pipeline.edges.some((e) => splitEndpoint(e.from).node === nodeId && splitEndpoint(e.to).node === n.id && splitEndpoint(e.to).port === 'model'),
  );
}

/** The written fields of the first Export node exporting `nodeId`'s model; empty when there is none. */
function cardTextFor(pipeline: Pipeline, nodeId: string): CardText {
  const params = (readersOfModel(pipeline, nodeId, EXPORT_TYPES)[0]?.params ?? {}) as { intended_use?: unknown; limitations?: unknown };
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { intendedUse: text(params.intended_use), limitations: text(params.limitations) };
}

/** Card parts for `nodeId`'s model from a run's outputs: its scorer's metrics and an explanation, when they ran. */
export function cardPartsFromRun(pipeline: Pipeline, run: RunSummary, nodeId: string, model: ModelValue, artifact: string, info: RunInfo): CardParts {
  const scorer = scorerOf(pipeline, nodeId);
  const metrics = scorer ? outputOfKind<MetricsValue>(run, scorer.nodeId, 'metrics') : undefined;
  const explainer = readersOfModel(pipeline, nodeId, ['ml.explain']).find((n) => outputOfKind(run, n.id, 'explanation'));
  const explanation = explainer ? outputOfKind<ExplanationValue>(run, explainer.id, 'explanation') : undefined;
  return {
    model,
    artifact,
    text: cardTextFor(pipeline, nodeId),
    ...(scorer && metrics ? { metrics: { nodeId: scorer.nodeId, value: metrics } } : {}),
    ...(explainer && explanation ? { explanation: { nodeId: explainer.id, value: explanation } } : {}),
    run: info,
  };
}
