/**
 * What a report shows, gathered from a finished run (flowline run --report) or from the values
 * wired into a Report node. Sources are profiled here (a Profile Table node already in the
 * pipeline is used instead when it profiles the same table).
 */
import { profileMetrics } from '../data/profile-report.ts';
import { profileOf } from '../data/profile.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { RunSummary } from '../spec/run-events.ts';
import type { RunRecord } from '../spec/run-log.ts';
import type { PortValue, TableRef } from '../spec/values.ts';
import type { ReportInput } from './render-report.ts';
import { edgeKey, routeHolds, splitEndpoint } from '../schema/pipeline.ts';

/** The values one node produced, as the report sorts them. */
export interface NodeValues {
  nodeId: string;
  /** 'train (Train Model)'. */
  label: string;
  /** A source (Load CSV...): its table is profiled. */
  isSource: boolean;
  values: PortValue[];
}

/** The report's sections from node outputs, in the order given; profiles computed for sources. */
export async function sectionsOf(nodes: NodeValues[]): Promise<Pick<ReportInput, 'sources' | 'results' | 'explanations' | 'exports'>> {
  const out: Pick<ReportInput, 'sources' | 'results' | 'explanations' | 'exports'> = { sources: [], results: [], explanations: [], exports: [] };
  // Tables a Profile node already summarised (it passes its table through): not profiled twice.
  const profiled = new Map<string, NodeValues>();
  for (const n of nodes) {
    const metrics = n.values.find((v) => v.kind === 'metrics' && v.scope === 'profile');
    const table = n.values.find((v): v is TableRef => v.kind === 'table');
    if (metrics && table) profiled.set(table.path, n);
  }
  const done = new Set<string>();
  for (const n of nodes) {
    for (const v of n.values) {
      if (v.kind === 'table' && n.isSource && !profiled.has(v.path) && !done.has(v.path)) {
        done.add(v.path);
        out.sources.push({ nodeId: n.nodeId, label: n.label, profile: profileMetrics(v, await profileOf(v)) });
      } else if (v.kind === 'metrics' && v.scope === 'profile') {
        out.sources.push({ nodeId: n.nodeId, label: `Profile at ${n.label}`, profile: v });
      } else if (v.kind === 'metrics') {
        out.results.push({ nodeId: n.nodeId, label: n.label, value: v });
      } else if (v.kind === 'explanation') {
        out.explanations.push({ nodeId: n.nodeId, label: n.label, value: v });
      } else if (v.kind === 'artifact') {
        out.exports.push({ nodeId: n.nodeId, label: n.label, path: v.path, format: v.format, verification: v.verification });
      }
    }
  }
  return out;
}

export interface FinishedRun {
  pipeline: Pipeline;
  specs: readonly AnyNodeSpec[];
  summary: RunSummary;
  /** The run log's record of it (pipeline hash, params, data fingerprints), when it was recorded. */
  record?: RunRecord | null;
  flowlineVersion: string;
  /** Leave the report out of its own "files written" (the Report node's file). */
  exclude?: string[];
}

/** Everything a report of a whole run shows. */
export async function reportOfRun(run: FinishedRun): Promise<ReportInput> {
  const { pipeline, summary, record } = run;
  const specOf = new Map(run.specs.map((s) => [s.type, s]));
  const typeOf = new Map(pipeline.nodes.map((n) => [n.id, n.type]));
  const label = (id: string) => {
    const title = specOf.get(typeOf.get(id) ?? '')?.title;
    return title ? `${id} (${title})` : id;
  };
  const byId = new Map(summary.nodes.map((n) => [n.id, n]));
  // Pipeline order (the file's), so sections read as the pipeline does.
  const nodes: NodeValues[] = pipeline.nodes.flatMap((n) => {
    const result = byId.get(n.id);
    if (!result?.outputs) return [];
    const values = Object.values(result.outputs).filter((v) => !(v.kind === 'artifact' && run.exclude?.includes(v.path)));
    return [{ nodeId: n.id, label: label(n.id), isSource: specOf.get(n.type)?.category === 'Sources', values }];
  });
  const positions = pipeline.layout?.positions ?? {};
  return {
    title: pipeline.name,
    description: pipeline.description,
    flowlineVersion: run.flowlineVersion,
    generatedAt: new Date().toISOString(),
    run: {
      id: summary.runId,
      status: summary.status,
      startedAt: summary.startedAt,
      durationMs: summary.durationMs,
      set: record?.set,
      nodes: summary.nodes.map((n) => ({ id: n.id, type: n.type, status: n.status, durationMs: n.durationMs, error: n.error?.message })),
    },
    pipelineHash: record?.pipeline.hash,
    seed: record?.seed ?? pipeline.seed,
    diagram: {
      nodes: pipeline.nodes.map((n) => ({ id: n.id, title: specOf.get(n.type)?.title ?? n.type, category: specOf.get(n.type)?.category ?? '', x: positions[n.id]?.x, y: positions[n.id]?.y, status: byId.get(n.id)?.status })),
      edges: pipeline.edges.map((e) => {
        const [from, to] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
        // Tidy's lane, as the studio draws it, while both nodes stand where Tidy put them. A lane
        // without a bend joins neighbouring columns, where the ordinary curve meets no card either.
        const route = pipeline.layout?.routes?.[edgeKey(e)];
        return { from, to, ...(route && route.points.length > 2 && routeHolds(route, positions[from], positions[to]) ? { lane: route.points } : {}) };
      }),
      notes: (pipeline.layout?.notes ?? []).map((n) => ({ text: n.text, x: n.x, y: n.y, width: n.width })),
    },
    ...(await sectionsOf(nodes)),
    params: record ? record.nodes.map((n) => ({ nodeId: n.id, type: n.type, params: n.params })) : pipeline.nodes.map((n) => ({ nodeId: n.id, type: n.type, params: n.params ?? {} })),
    data: record?.data ?? [],
  };
}
