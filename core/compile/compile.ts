import type { Pipeline, PipelineNode } from '../schema/pipeline.ts';
import { splitEndpoint } from '../schema/pipeline.ts';
import type { ErrorInfo } from '../spec/errors.ts';
import type { AnyNodeSpec, InputPort } from '../spec/define-node.ts';
import { parseParams } from '../spec/params.ts';
import type { KnownTable } from '../spec/known-columns.ts';
import { inferColumns, type KnownMap } from './known-columns.ts';
import { closest, paramIssue, unknownOverridePath } from './param-issues.ts';
import { gateIssues } from './gate-issues.ts';
import { protectedFeatureIssues } from './protected-attributes.ts';
import { applyOverride, parseOverride } from './set-overrides.ts';

export interface Diagnostic extends ErrorInfo {
  severity: 'error' | 'warning';
}

export interface PlanInput {
  node: string;
  port: string;
}

/** One node ready to execute: spec resolved, params parsed (defaults filled), inputs wired. */
export interface PlanNode {
  id: string;
  spec: AnyNodeSpec;
  params: Record<string, unknown>;
  /** Input port → upstream outputs feeding it (several for a `multiple` port, in edge order). */
  inputs: Record<string, PlanInput[]>;
  disabled: boolean;
}

/** The executable form of a pipeline: nodes in a topological order, limited to what was asked. */
export interface Plan {
  name: string;
  seed: number;
  nodes: PlanNode[];
  /** The node `--to` asked for, if any. */
  target?: string;
}

export interface CompileOptions {
  /** `node.param=value` overrides, as given to `flowline run --set`. */
  set?: string[];
  /** Keep only this node and its ancestors. */
  to?: string;
  /**
   * Source node id → the columns its file has, read by the host (core/host/known-sources.ts):
   * with them, columns are known before running and every column param is checked.
   */
  sources?: Record<string, KnownTable>;
}

export interface CompileResult {
  plan: Plan | null;
  diagnostics: Diagnostic[];
  /** Node → output port → columns known before running (core/compile/known-columns.ts). */
  known: KnownMap;
}

/**
 * pipeline → Plan, or every problem at once, each pinned to its node: unknown types, bad edges,
 * port type mismatches, missing inputs, invalid params (with the param path), cycles, bad --set.
 * Pure: the studio runs it while the graph is edited.
 */
export function compile(pipeline: Pipeline, catalog: readonly AnyNodeSpec[], options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  const error = (d: ErrorInfo) => diagnostics.push({ severity: 'error', ...d });
  const specs = new Map(catalog.map((s) => [s.type, s]));

  // -- nodes, and their specs --
  const byId = new Map<string, PipelineNode>();
  for (const node of pipeline.nodes) {
    if (byId.has(node.id)) {
      error({ code: 'DUPLICATE_NODE_ID', nodeId: node.id, message: `Two nodes share the id "${node.id}".`, hint: 'Rename one of them.' });
      continue;
    }
    byId.set(node.id, node);
  }
  const nodeSpec = new Map<string, AnyNodeSpec>();
  for (const node of byId.values()) {
    const spec = specs.get(node.type);
    if (!spec) {
      const near = closest(node.type, [...specs.keys()]);
      error({
        code: 'UNKNOWN_NODE_TYPE',
        nodeId: node.id,
        message: `Node "${node.id}" has type "${node.type}", which this version of Flowline does not know.`,
        hint: near ? `Did you mean "${near}"? \`flowline nodes\` lists every type.` : '`flowline nodes` lists every type.',
      });
      continue;
    }
    if (node.version > spec.version) {
      error({
        code: 'PIPELINE_TOO_NEW',
        nodeId: node.id,
        message: `Node "${node.id}" was saved by a newer Flowline (${node.type} version ${node.version}; this build has version ${spec.version}).`,
        hint: 'Update Flowline to run this pipeline.',
      });
      continue;
    }
    nodeSpec.set(node.id, spec);
  }

  // -- gates (the registry's promotion conditions) name real metric nodes --
  for (const issue of gateIssues(pipeline, (id) => nodeSpec.get(id))) error(issue);

  // -- --set overrides --
  const overrides = new Map<string, Record<string, unknown>>();
  for (const raw of options.set ?? []) {
    const o = parseOverride(raw);
    if ('code' in o) {
      error(o);
      continue;
    }
    const node = byId.get(o.nodeId);
    if (!node) {
      error({ code: 'UNKNOWN_NODE', message: `--set ${raw}: there is no node "${o.nodeId}".`, hint: `Node ids: ${[...byId.keys()].join(', ')}.` });
      continue;
    }
    const spec = nodeSpec.get(node.id);
    const unknown = spec && unknownOverridePath(node.id, spec, overrides.get(node.id) ?? migrated(node, spec), o.path);
    if (unknown) {
      error({ code: 'UNKNOWN_PARAM', nodeId: node.id, path: o.path, message: `--set ${raw}: ${unknown.message}`, hint: unknown.hint });
      continue;
    }
    overrides.set(node.id, applyOverride(overrides.get(node.id) ?? migrated(node, spec), o.path, o.value));
  }

  // -- params --
  const params = new Map<string, Record<string, unknown>>();
  for (const [id, spec] of nodeSpec) {
    const node = byId.get(id)!;
    const raw = overrides.get(id) ?? migrated(node, spec);
    const result = parseParams(spec.params, raw);
    if (!result.success) {
      for (const issue of result.error.issues) error(paramIssue(id, spec, raw, issue));
      continue;
    }
    params.set(id, result.data as Record<string, unknown>);
  }

  // -- edges --
  const inputs = new Map<string, Record<string, PlanInput[]>>();
  for (const id of byId.keys()) inputs.set(id, {});
  const upstream = new Map<string, Set<string>>();
  for (const id of byId.keys()) upstream.set(id, new Set());
  // Ports with an edge drawn to them, even a rejected one: no "missing input" noise on top.
  const wired = new Set<string>();
  for (const edge of pipeline.edges) {
    wired.add(edge.to);
    const from = splitEndpoint(edge.from);
    const to = splitEndpoint(edge.to);
    const fromNode = byId.get(from.node);
    const toNode = byId.get(to.node);
    if (!fromNode || !toNode) {
      const missing = !fromNode ? from.node : to.node;
      error({ code: 'UNKNOWN_NODE', nodeId: fromNode ? to.node : from.node, message: `An edge ${edge.from} → ${edge.to} refers to a node "${missing}" that does not exist.` });
      continue;
    }
    const fromSpec = nodeSpec.get(from.node);
    const toSpec = nodeSpec.get(to.node);
    if (!fromSpec || !toSpec) continue; // already reported as unknown type
    const out = fromSpec.outputs[from.port];
    const inp: InputPort | undefined = toSpec.inputs[to.port];
    if (!out) {
      error({ code: 'UNKNOWN_PORT', nodeId: from.node, message: `Node "${from.node}" (${fromSpec.title}) has no output "${from.port}".`, hint: `Its outputs: ${Object.keys(fromSpec.outputs).join(', ') || 'none'}.` });
      continue;
    }
    if (!inp) {
      error({ code: 'UNKNOWN_PORT', nodeId: to.node, message: `Node "${to.node}" (${toSpec.title}) has no input "${to.port}".`, hint: `Its inputs: ${Object.keys(toSpec.inputs).join(', ') || 'none'}.` });
      continue;
    }
    if (out.type !== inp.type) {
      error({
        code: 'PORT_TYPE_MISMATCH',
        nodeId: to.node,
        message: `The edge ${edge.from} → ${edge.to} connects a ${out.type} output to a ${inp.type} input; "${to.node}" needs a ${inp.type} on "${to.port}".`,
      });
      continue;
    }
    const list = (inputs.get(to.node)![to.port] ??= []);
    if (list.length > 0 && !inp.multiple) {
      error({ code: 'PORT_TYPE_MISMATCH', nodeId: to.node, message: `Input "${to.port}" of "${to.node}" takes one connection; it has several (${list.map((l) => `${l.node}.${l.port}`).concat(edge.from).join(', ')}).` });
      continue;
    }
    list.push({ node: from.node, port: from.port });
    upstream.get(to.node)!.add(from.node);
  }
  for (const [id, spec] of nodeSpec) {
    for (const [port, def] of Object.entries(spec.inputs)) {
      if (def.required !== false && !(inputs.get(id)![port]?.length) && !wired.has(`${id}.${port}`)) {
        error({ code: 'MISSING_INPUT', nodeId: id, message: `Node "${id}" (${spec.title}) needs its "${def.label}" input (${def.type}) connected.` });
      }
    }
  }

  // -- order, cycles --
  const order = topologicalOrder([...byId.keys()], upstream);
  if (order.cycle.length > 0) {
    error({
      code: 'CYCLE',
      nodeId: order.cycle[0],
      message: `These nodes form a cycle, so none of them can run first: ${order.cycle.join(' → ')} → ${order.cycle[0]}.`,
      hint: 'Remove one of the edges in the loop.',
    });
  }

  if (options.to !== undefined && !byId.has(options.to)) {
    error({ code: 'UNKNOWN_NODE', message: `--to ${options.to}: there is no node "${options.to}".`, hint: `Node ids: ${[...byId.keys()].join(', ')}.` });
  }

  // -- columns known before running (nodes with valid params; the rest stay unknown) --
  let known: KnownMap = {};
  if (order.cycle.length === 0) {
    const inferable = order.order.filter((id) => params.has(id)).map((id) => ({ id, spec: nodeSpec.get(id)!, params: params.get(id)!, inputs: inputs.get(id)!, disabled: byId.get(id)!.disabled === true }));
    const inferred = inferColumns(inferable, options.sources ?? {});
    known = inferred.known;
    for (const issue of inferred.issues) error(issue);
    // Fairness: a model-fitting node (a table in, a features selection) with a protected-looking feature.
    for (const node of inferable) {
      const table = node.inputs.table?.[0];
      if (node.disabled || !table || !('features' in node.params) || !('target' in node.params)) continue;
      // A node with an error (a misspelt target) has no clear features yet: fix that first.
      if (diagnostics.some((d) => d.nodeId === node.id && d.severity === 'error')) continue;
      for (const issue of protectedFeatureIssues(node.id, node.params, known[table.node]?.[table.port])) diagnostics.push({ severity: 'warning', ...issue });
    }
  }

  if (diagnostics.some((d) => d.severity === 'error')) return { plan: null, diagnostics, known };

  let ids = order.order;
  if (options.to !== undefined) {
    const keep = ancestors(options.to, upstream);
    ids = ids.filter((id) => keep.has(id));
  }
  const plan: Plan = {
    name: pipeline.name,
    seed: pipeline.seed,
    target: options.to,
    nodes: ids.map((id) => ({ id, spec: nodeSpec.get(id)!, params: params.get(id)!, inputs: inputs.get(id)!, disabled: byId.get(id)!.disabled === true })),
  };
  return { plan, diagnostics, known };
}

/**
 * The pipeline with every node saved by an older version of its type upgraded (its own migrate,
 * version set to the current one), as compile would read it: what the studio opens, so the
 * inspector shows the values the node runs with (a Train node from before automatic preparation
 * shows it off), and a save writes them.
 */
export function upgradeNodes(pipeline: Pipeline, catalog: readonly AnyNodeSpec[]): Pipeline {
  const specs = new Map(catalog.map((s) => [s.type, s]));
  let changed = false;
  const nodes = pipeline.nodes.map((node) => {
    const spec = specs.get(node.type);
    if (!spec || node.version >= spec.version) return node;
    changed = true;
    return { ...node, version: spec.version, params: migrated(node, spec) };
  });
  return changed ? { ...pipeline, nodes } : pipeline;
}

/** A node's params as compile parses them (migrated, defaults filled), or null when they are invalid. */
export function nodeParams(node: PipelineNode, spec: AnyNodeSpec): Record<string, unknown> | null {
  const result = parseParams(spec.params, migrated(node, spec));
  return result.success ? result.data : null;
}

function migrated(node: PipelineNode, spec: AnyNodeSpec | undefined): Record<string, unknown> {
  if (!spec || node.version === spec.version || !spec.migrate) return node.params;
  return spec.migrate(node.version, node.params);
}

/** Kahn's algorithm, stable in file order; returns the nodes of one cycle when there is one. */
export function topologicalOrder(ids: string[], upstream: Map<string, Set<string>>): { order: string[]; cycle: string[] } {
  const indegree = new Map(ids.map((id) => [id, upstream.get(id)?.size ?? 0]));
  const downstream = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const up of upstream.get(id) ?? []) downstream.get(up)?.push(id);
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift()!;
    order.push(id);
    for (const d of downstream.get(id)!) {
      indegree.set(d, indegree.get(d)! - 1);
      if (indegree.get(d) === 0) ready.push(d);
    }
  }
  if (order.length === ids.length) return { order, cycle: [] };
  return { order, cycle: findCycle(ids.filter((id) => indegree.get(id)! > 0), upstream) };
}

function findCycle(candidates: string[], upstream: Map<string, Set<string>>): string[] {
  const inSet = new Set(candidates);
  // Walk upstream edges inside the remaining set until a node repeats.
  const path: string[] = [];
  const seen = new Map<string, number>();
  let cur = candidates[0];
  while (!seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = [...(upstream.get(cur) ?? [])].find((u) => inSet.has(u))!;
  }
  return path.slice(seen.get(cur)).reverse();
}

export function ancestors(id: string, upstream: Map<string, Set<string>>): Set<string> {
  const keep = new Set<string>([id]);
  const stack = [id];
  while (stack.length > 0) {
    for (const up of upstream.get(stack.pop()!) ?? []) {
      if (!keep.has(up)) {
        keep.add(up);
        stack.push(up);
      }
    }
  }
  return keep;
}
