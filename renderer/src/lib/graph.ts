/** Pure helpers over the pipeline graph: ids, ports, connection checks, splicing. */
import type { CatalogNode, CatalogPort } from '../../../core/host/api.ts';
import type { Pipeline, PipelineEdge } from '../../../core/schema/pipeline.ts';
import { edgeKey, splitEndpoint } from '../../../core/schema/pipeline.ts';
import { PORT_NOUN } from './colors.ts';

export type Catalog = Map<string, CatalogNode>;

/** An edge's id on the canvas: its key in layout.routes too. */
export const edgeId: (e: PipelineEdge) => string = edgeKey;

/** A readable unused id from a type: "data.load_csv" → "load_csv", "load_csv_2"... */
export function freshId(pipeline: Pipeline, type: string, taken: Set<string> = new Set()): string {
  const base = (type.split('.').pop() ?? 'node').replace(/[^A-Za-z0-9_-]/g, '_').replace(/^[^A-Za-z_]/, '_');
  const used = new Set([...pipeline.nodes.map((n) => n.id), ...taken]);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function portOf(catalog: Catalog, pipeline: Pipeline, nodeId: string, port: string, side: 'in' | 'out'): CatalogPort | undefined {
  const node = pipeline.nodes.find((n) => n.id === nodeId);
  const spec = node && catalog.get(node.type);
  return (side === 'in' ? spec?.inputs : spec?.outputs)?.find((p) => p.name === port);
}

/** Why an edge may not be drawn, in plain words; null when it may. */
export function connectionProblem(catalog: Catalog, pipeline: Pipeline, from: { node: string; port: string }, to: { node: string; port: string }): string | null {
  if (from.node === to.node) return 'A node cannot feed itself.';
  const out = portOf(catalog, pipeline, from.node, from.port, 'out');
  const inp = portOf(catalog, pipeline, to.node, to.port, 'in');
  if (!out || !inp) return 'That port does not exist.';
  if (out.type !== inp.type) {
    const a = PORT_NOUN[out.type];
    return `${/^[aeiou]/.test(a) ? 'An' : 'A'} ${a} output cannot feed ${/^[aeiou]/.test(PORT_NOUN[inp.type]) ? 'an' : 'a'} ${PORT_NOUN[inp.type]} input.`;
  }
  if (createsCycle(pipeline, from.node, to.node)) return 'That edge would make a loop; pipelines flow one way.';
  const key = `${from.node}.${from.port}`;
  if (pipeline.edges.some((e) => e.from === key && e.to === `${to.node}.${to.port}`)) return 'Those ports are already connected.';
  return null;
}

function createsCycle(p: Pipeline, from: string, to: string): boolean {
  const down = new Map<string, string[]>();
  for (const e of p.edges) {
    const a = splitEndpoint(e.from).node;
    down.set(a, [...(down.get(a) ?? []), splitEndpoint(e.to).node]);
  }
  const stack = [to];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === from) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(down.get(id) ?? []));
  }
  return false;
}

/** Add an edge; a single (non-multiple) input keeps only its newest edge. */
export function withEdge(catalog: Catalog, p: Pipeline, edge: PipelineEdge): Pipeline {
  const to = splitEndpoint(edge.to);
  const inp = portOf(catalog, p, to.node, to.port, 'in');
  const edges = inp?.multiple ? p.edges : p.edges.filter((e) => e.to !== edge.to);
  return { ...p, edges: [...edges, edge] };
}

/** The edge a new connection into `to` would replace: a single input keeps only one edge. */
export function edgeReplacedBy(catalog: Catalog, p: Pipeline, to: { node: string; port: string }): PipelineEdge | undefined {
  const inp = portOf(catalog, p, to.node, to.port, 'in');
  if (!inp || inp.multiple) return undefined;
  return p.edges.find((e) => e.to === `${to.node}.${to.port}`);
}

/**
 * Splice a node into an edge: the edge's source feeds the node's first input of its type, and the
 * node's first output of the target's type feeds the edge's target. Null when the node has no
 * such input or output (a model cannot be spliced into a table edge).
 */
export function spliceIntoEdge(catalog: Catalog, p: Pipeline, edge: PipelineEdge, nodeId: string): Pipeline | null {
  const node = p.nodes.find((n) => n.id === nodeId);
  const spec = node && catalog.get(node.type);
  const from = splitEndpoint(edge.from);
  const to = splitEndpoint(edge.to);
  if (!spec || from.node === nodeId || to.node === nodeId) return null;
  const outType = portOf(catalog, p, from.node, from.port, 'out')?.type;
  const inType = portOf(catalog, p, to.node, to.port, 'in')?.type;
  const input = spec.inputs.find((i) => i.type === outType);
  const output = spec.outputs.find((o) => o.type === inType);
  const at = p.edges.findIndex((e) => e.from === edge.from && e.to === edge.to);
  if (!input || !output || at < 0) return null;
  const edges = [...p.edges];
  edges.splice(at, 1, { from: edge.from, to: `${nodeId}.${input.name}` }, { from: `${nodeId}.${output.name}`, to: edge.to });
  return { ...p, edges };
}
