/**
 * The pipeline's gates checked with the rest of it (compile): a metric gate must name a node that
 * produces metrics. Whether the metric itself exists is known only after a run (a learner's task
 * decides which metrics Evaluate gives), so an unknown metric fails the gate, by name, at promotion.
 */
import type { Pipeline } from '../schema/pipeline.ts';
import { gateName } from '../schema/gates.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { ErrorInfo } from '../spec/errors.ts';

export function gateIssues(pipeline: Pipeline, specOf: (nodeId: string) => AnyNodeSpec | undefined): ErrorInfo[] {
  const issues: ErrorInfo[] = [];
  const ids = new Set(pipeline.nodes.map((n) => n.id));
  const withMetrics = pipeline.nodes.filter((n) => Object.values(specOf(n.id)?.outputs ?? {}).some((o) => o.type === 'metrics')).map((n) => n.id);
  (pipeline.gates ?? []).forEach((gate, i) => {
    if (gate.kind !== 'metric') return;
    const nodeId = gate.metric.slice(0, gate.metric.indexOf('.'));
    const spec = specOf(nodeId);
    if (!ids.has(nodeId)) {
      issues.push({ code: 'UNKNOWN_NODE', path: ['gates', i, 'metric'], message: `Gate "${gateName(gate)}" reads node "${nodeId}", which the pipeline does not have.`, hint: withMetrics.length ? `Nodes with metrics: ${withMetrics.join(', ')}.` : 'Add an Evaluate node and name it in the gate.' });
    } else if (spec && !Object.values(spec.outputs).some((o) => o.type === 'metrics')) {
      issues.push({ code: 'INVALID_PARAM', nodeId, path: ['gates', i, 'metric'], message: `Gate "${gateName(gate)}" reads node "${nodeId}" (${spec.title}), which produces no metrics.`, hint: withMetrics.length ? `Nodes with metrics: ${withMetrics.join(', ')}.` : 'Name an Evaluate node in the gate.' });
    }
  });
  return issues;
}
