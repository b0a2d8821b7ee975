/**
 * Assembling a model card (core/spec/model-card.ts) from what an export node has: the model, its
 * connected Evaluate metrics and explanation, the run (RunContext.run) and the pipeline's gates,
 * checked here with evaluateGates. Rendered by core/report/model-card.ts.
 */
import { evaluateGates, type Gate } from '../gates.ts';
import { explanationSummary } from '../../spec/explanation.ts';
import type { CategoryReference, NumericReference } from '../../spec/drift.ts';
import type { RunContext, RunInfo } from '../../spec/context.ts';
import type { CardText, ModelCard, ReferenceLine } from '../../spec/model-card.ts';
import type { ExplanationValue, MetricsValue, ModelValue } from '../../spec/values.ts';
import { FLOWLINE_VERSION } from '../version.ts';

export interface CardParts {
  model: ModelValue;
  artifact: string;
  text: CardText;
  /** The connected Evaluate metrics and the node they came from. */
  metrics?: { nodeId: string; value: MetricsValue };
  explanation?: { nodeId: string; value: ExplanationValue };
  run?: RunInfo;
  exportedAt?: string;
}

const short = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(4))) : v.toExponential(3));

function referenceLine(ref: NumericReference | CategoryReference): ReferenceLine {
  const missingRate = ref.count ? ref.missing / ref.count : 0;
  if (ref.kind === 'number') {
    return { column: ref.column, kind: 'number', missingRate, summary: ref.count > ref.missing ? `mean ${short(ref.mean)}, std ${short(ref.std)}, range ${short(ref.min)} … ${short(ref.max)}` : 'no values' };
  }
  const total = Object.values(ref.counts).reduce((s, c) => s + c, 0);
  const ranked = Object.entries(ref.counts).sort((a, b) => b[1] - a[1]);
  const top = ranked.slice(0, 5).map(([v, c]) => `${v} ${((c / total) * 100).toFixed(1)}%`);
  return { column: ref.column, kind: 'category', missingRate, summary: `${top.join(', ')}${ranked.length > 5 ? ', …' : ''} (${ranked.length} value${ranked.length === 1 ? '' : 's'})` };
}

/** The card of one exported model. Gates are checked here, against no production model (the registry compares with one at promotion). */
export function modelCard(p: CardParts): ModelCard {
  const { model } = p;
  const gates = (p.run?.gates ?? []) as Gate[];
  const metrics = p.metrics ? { nodeId: p.metrics.nodeId, scope: p.metrics.value.scope, values: p.metrics.value.values } : null;
  const subject = {
    metrics: metrics ? { [metrics.nodeId]: metrics.values } : {},
    columns: [...new Set([...model.inputColumns.map((c) => c.name), ...model.features])],
    trainingReference: model.reference,
  };
  const detail = p.explanation?.value.detail;
  return {
    title: `${model.estimator.kind.replace(/_/g, ' ')} ${model.target ? `predicting “${model.target}”` : `(${model.task})`}`,
    artifact: p.artifact,
    exportedAt: p.exportedAt ?? new Date().toISOString(),
    flowlineVersion: FLOWLINE_VERSION,
    text: p.text,
    model: {
      task: model.task,
      target: model.target,
      learner: model.estimator.kind,
      params: model.estimator.params,
      ...(model.classes ? { classes: model.classes.map(String) } : {}),
      inputs: model.inputColumns.map((c) => ({ name: c.name, type: c.type })),
      features: model.features.length,
      steps: model.recipe.map((s) => ({ nodeId: s.nodeId, kind: s.kind })),
    },
    lineage: {
      runId: p.run?.id ?? null,
      pipelineHash: p.run?.pipelineHash ?? null,
      trainNode: model.trainedOn.nodeId,
      trainingRows: model.trainedOn.rows,
      trainingFingerprint: model.trainedOn.dataFingerprint ?? null,
      sources: p.run?.data ?? [],
    },
    metrics,
    groups: p.metrics?.value.tables.find((t) => t.id === 'group_metrics') ?? null,
    explanation: detail ? { nodeId: p.explanation!.nodeId, ...explanationSummary(detail) } : null,
    gates: gates.length ? evaluateGates(gates, subject, null) : null,
    reference: model.reference ? { rows: model.reference.rows, columns: model.reference.columns.map(referenceLine), prediction: model.reference.prediction ? referenceLine(model.reference.prediction) : null } : null,
  };
}

/** The card's parts an export node has: its inputs, the nodes they came from, the run. */
export function cardPartsOf(ctx: RunContext, inputs: { model: ModelValue; metrics?: MetricsValue; explanation?: ExplanationValue; card: CardText }, artifact: string): CardParts {
  return {
    model: inputs.model,
    artifact,
    text: inputs.card,
    ...(inputs.metrics ? { metrics: { nodeId: ctx.inputSources?.metrics?.[0] ?? 'metrics', value: inputs.metrics } } : {}),
    ...(inputs.explanation ? { explanation: { nodeId: ctx.inputSources?.explanation?.[0] ?? 'explanation', value: inputs.explanation } } : {}),
    run: ctx.run,
  };
}

/** The card's file names beside an exported file (model.onnx → model.card.md, model.card.html). */
export function cardPathsBeside(file: string): { markdown: string; html: string } {
  const base = file.replace(/\.onnx$/i, '');
  return { markdown: `${base}.card.md`, html: `${base}.card.html` };
}

/** The card's file names inside a serving bundle folder. */
export const BUNDLE_CARD = { markdown: 'model-card.md', html: 'model-card.html' } as const;
