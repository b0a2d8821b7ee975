/**
 * What a node's result depends on, as two short strings: `own` (its type, version and params) and
 * `full` (own, the pipeline seed, and the full signature of everything feeding its inputs). A
 * result whose signatures differ from the node's current ones no longer matches the pipeline:
 * "params changed since" (own) or "something upstream changed since" (full only).
 *
 * Layout is left out on purpose: moving a card does not make its results stale.
 */
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import type { Catalog } from './graph.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';

export interface Signature {
  own: string;
  full: string;
}

/** FNV-1a over the string, 52 bits, as base 36: cheap, and collisions are no concern for a hint. */
function hash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return ((h2 & 0xfffff) * 0x100000000 + h1).toString(36);
}

/** JSON with object keys sorted, so {a,b} and {b,a} sign the same. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const cache = new WeakMap<Pipeline['nodes'], WeakMap<Pipeline['edges'], { seed: number; catalog: Catalog; map: Map<string, Signature> }>>();

/**
 * Signatures of every node. A param left out and the same param set to its default sign the same
 * (the catalog's defaults fill the gaps). Memoised on the nodes and edges arrays: a drag changes neither.
 */
export function signatures(p: Pipeline, catalog: Catalog): Map<string, Signature> {
  let byEdges = cache.get(p.nodes);
  if (!byEdges) cache.set(p.nodes, (byEdges = new WeakMap()));
  const hit = byEdges.get(p.edges);
  if (hit && hit.seed === p.seed && hit.catalog === catalog) return hit.map;

  const inputs = new Map<string, string[]>();
  for (const e of p.edges) {
    const to = splitEndpoint(e.to);
    const list = inputs.get(to.node) ?? [];
    list.push(`${to.port}<${e.from}`);
    inputs.set(to.node, list);
  }
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const out = new Map<string, Signature>();
  const visiting = new Set<string>();
  const visit = (id: string): Signature | undefined => {
    const known = out.get(id);
    if (known) return known;
    const node = byId.get(id);
    if (!node || visiting.has(id)) return undefined;
    visiting.add(id);
    const params = { ...catalog.get(node.type)?.defaults, ...node.params };
    const own = hash(stableJson({ t: node.type, v: node.version, p: params, d: node.disabled ?? false }));
    const ups = (inputs.get(id) ?? []).sort().map((entry) => {
      const from = entry.slice(entry.indexOf('<') + 1);
      return `${entry}=${visit(splitEndpoint(from).node)?.full ?? '?'}`;
    });
    const sig = { own, full: hash(`${own}|${p.seed}|${ups.join(',')}`) };
    out.set(id, sig);
    visiting.delete(id);
    return sig;
  };
  for (const n of p.nodes) visit(n.id);
  byEdges.set(p.edges, { seed: p.seed, catalog, map: out });
  return out;
}
