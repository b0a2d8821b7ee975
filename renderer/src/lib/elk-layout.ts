/**
 * Tidy: a layered, left-to-right layout by the Eclipse Layout Kernel (elkjs), which orders each
 * layer to cut crossings and gives an edge that skips layers its own lane between the cards. The
 * lanes are kept as each edge's route (layout.routes), which the canvas draws (RoutedEdge.tsx, route-path.ts):
 * xyflow's own curve from handle to handle would cut straight through the cards in between.
 *
 * ELK takes seconds on a few hundred nodes (bench/tidy.ts), so the studio runs it in a web worker
 * (elk-worker-client.ts); this module only builds its input and reads its answer.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { EdgeRoute, Pipeline } from '../../../core/schema/pipeline.ts';
import { edgeKey, splitEndpoint } from '../../../core/schema/pipeline.ts';
import type { Point } from '../../../core/schema/route-path.ts';

export type Size = { width: number; height: number };
/**
 * A card as Tidy sees it: its size and, when known, its handles (`y`: the handle's centre below the
 * card's top). ELK gets the handles as fixed ports, so each lane starts and ends at its handle.
 */
export type Card = Size & { handles?: { id: string; side: 'in' | 'out'; y: number }[] };

/** xyflow's handles (as measured, or as declared: card-geometry.ts nominalCard) → a card's handles for Tidy. */
export const cardHandles = (handles: { id?: string | null; type: 'source' | 'target'; y: number; height?: number | null }[]): Card['handles'] =>
  handles.map((h) => ({ id: h.id ?? '', side: h.type === 'source' ? 'out' : 'in', y: h.y + (h.height ?? 0) / 2 }));
export interface Tidied {
  positions: Record<string, Point>;
  routes: Record<string, EdgeRoute>;
}

const DEFAULT_SIZE: Size = { width: 220, height: 110 };
/** Past this many nodes Tidy trades some straightness for speed. */
const LARGE = 100;

/**
 * The graph ELK lays out: every card at its measured size (unmeasured: a default). An edge between
 * two known handles runs port to port; one whose handles are unknown joins the two cards (every
 * such edge between the same two cards shares one).
 */
function elkGraph(p: Pipeline, cardOf: (id: string) => Card | undefined): ElkNode {
  const ids = new Set(p.nodes.map((n) => n.id));
  const cards = new Map(p.nodes.map((n): [string, Card] => [n.id, cardOf(n.id) ?? DEFAULT_SIZE]));
  const ports = new Set([...cards].flatMap(([id, c]) => (c.handles ?? []).map((h) => portId(h.side, `${id}.${h.id}`))));
  const edges = new Map<string, ElkExtendedEdge>();
  for (const e of p.edges) {
    const [a, b] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
    if (!ids.has(a) || !ids.has(b) || a === b) continue;
    const [out, into] = [portId('out', e.from), portId('in', e.to)];
    if (ports.has(out) && ports.has(into)) edges.set(edgeKey(e), { id: edgeKey(e), sources: [out], targets: [into] });
    else edges.set(`${a}\n${b}`, { id: `${a}\n${b}`, sources: [a], targets: [b] });
  }
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.edgeNodeBetweenLayers': '30',
      'elk.spacing.edgeNode': '30',
      'elk.spacing.edgeEdge': '14',
      // Network simplex straightens more edges but costs several times as much (bench/tidy.ts): small pipelines only.
      'elk.layered.nodePlacement.strategy': p.nodes.length <= LARGE ? 'NETWORK_SIMPLEX' : 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.separateConnectedComponents': 'true',
    },
    children: p.nodes.map((n) => {
      const { width, height, handles = [] } = cards.get(n.id)!;
      if (!handles.length) return { id: n.id, width, height };
      return {
        id: n.id, width, height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
        ports: handles.map((h) => ({ id: portId(h.side, `${n.id}.${h.id}`), x: h.side === 'in' ? 0 : width, y: h.y, width: 0, height: 0, layoutOptions: { 'elk.port.side': h.side === 'in' ? 'WEST' : 'EAST' } })),
      };
    }),
    edges: [...edges.values()],
  };
}

/** An ELK port's id: an input and an output of one card may share a name (a pass-through table). */
const portId = (side: 'in' | 'out', endpoint: string) => `${side}:${endpoint}`;

/** ELK's answer → each node's top-left corner and each pipeline edge's route (port to port, else the two cards' shared one). */
function fromElk(p: Pipeline, laid: ElkNode): Tidied {
  const positions: Record<string, Point> = {};
  for (const c of laid.children ?? []) positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  const lanes = new Map<string, Point[]>();
  for (const e of laid.edges ?? []) {
    const section = e.sections?.[0];
    if (section) lanes.set(e.id, [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((b) => ({ x: Math.round(b.x), y: Math.round(b.y) })));
  }
  const routes: Record<string, EdgeRoute> = {};
  for (const e of p.edges) {
    const [a, b] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
    const points = lanes.get(edgeKey(e)) ?? lanes.get(`${a}\n${b}`);
    if (points && positions[a] && positions[b]) routes[edgeKey(e)] = { points, from: positions[a], to: positions[b] };
  }
  return { positions, routes };
}

/**
 * Each sticky note moves with the card nearest to it (centre to centre), keeping its offset, so a
 * note that explained a card still sits beside it after Tidy instead of on top of another one.
 */
export function notesFollow(p: Pipeline, positions: Record<string, Point>, card: Size = DEFAULT_SIZE): Pipeline['layout']['notes'] {
  const before = Object.entries(p.layout.positions).filter(([id]) => positions[id]);
  if (!before.length) return p.layout.notes;
  return p.layout.notes.map((n) => {
    const [cx, cy] = [n.x + (n.width ?? 200) / 2, n.y + (n.height ?? 120) / 2];
    const distance = ([, q]: [string, Point]) => Math.hypot(q.x + card.width / 2 - cx, q.y + card.height / 2 - cy);
    const [id, was] = before.reduce((a, b) => (distance(b) < distance(a) ? b : a));
    return { ...n, x: n.x + positions[id].x - was.x, y: n.y + positions[id].y - was.y };
  });
}

/** ELK's layout of a graph: the studio's web worker (elk-worker-client.ts), or elkjs on this thread (tests, bench). */
export type Layout = (graph: ElkNode) => Promise<ElkNode>;

export async function elkLayout(p: Pipeline, cardOf: (id: string) => Card | undefined, layout: Layout): Promise<Tidied> {
  return fromElk(p, await layout(elkGraph(p, cardOf)));
}
