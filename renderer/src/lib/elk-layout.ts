/**
 * Tidy: a layered, left-to-right layout by the Eclipse Layout Kernel (elkjs), which orders each
 * layer to cut crossings and gives an edge that skips layers its own lane between the cards. The
 * lanes are kept as each edge's route (layout.routes), which the canvas draws (RoutedEdge.tsx):
 * xyflow's own curve from handle to handle would cut straight through the cards in between.
 *
 * ELK takes seconds on a few hundred nodes (bench/tidy.ts), so the studio runs it in a web worker
 * (elk-worker-client.ts); this module only builds its input and reads its answer.
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { EdgeRoute, Pipeline } from '../../../core/schema/pipeline.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';
import { edgeId } from './graph.ts';

export type Size = { width: number; height: number };
export type Point = { x: number; y: number };
export interface Tidied {
  positions: Record<string, Point>;
  routes: Record<string, EdgeRoute>;
}

const DEFAULT_SIZE: Size = { width: 220, height: 110 };
/** Past this many nodes Tidy trades some straightness for speed. */
const LARGE = 100;

/** The graph ELK lays out: every card at its measured size (unmeasured: a default), one edge per pair of nodes. */
function elkGraph(p: Pipeline, sizeOf: (id: string) => Size | undefined): ElkNode {
  const ids = new Set(p.nodes.map((n) => n.id));
  const pairs = new Set<string>();
  for (const e of p.edges) {
    const [a, b] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
    if (ids.has(a) && ids.has(b) && a !== b) pairs.add(`${a}\n${b}`);
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
    children: p.nodes.map((n) => ({ id: n.id, ...(sizeOf(n.id) ?? DEFAULT_SIZE) })),
    edges: [...pairs].map((pair) => {
      const [a, b] = pair.split('\n');
      return { id: pair, sources: [a], targets: [b] };
    }),
  };
}

/** ELK's answer → each node's top-left corner and each pipeline edge's route (every edge between two nodes shares theirs). */
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
    const points = lanes.get(`${a}\n${b}`);
    if (points && positions[a] && positions[b]) routes[edgeId(e)] = { points, from: positions[a], to: positions[b] };
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

export async function elkLayout(p: Pipeline, sizeOf: (id: string) => Size | undefined, layout: Layout): Promise<Tidied> {
  return fromElk(p, await layout(elkGraph(p, sizeOf)));
}

/**
 * The route an edge is drawn along: ELK's lane (`lane`: its start on the source card's side, its
 * bends, its end on the target card's side), joined to the handles. ELK attached the edge where
 * it chose on each side, the handle sits elsewhere, so the edge steps from the handle's height to
 * the lane's just outside the card, in the gap between two layers where no card is, and the lane
 * itself, which ELK kept clear of every card, is drawn as it is.
 */
export function routeThrough(source: Point, lane: Point[], target: Point): Point[] {
  if (lane.length < 2) return [source, target];
  const start = lane[0];
  const end = lane[lane.length - 1];
  const out: Point[] = [source];
  if (Math.abs(source.y - start.y) >= 1) {
    const x0 = Math.max(source.x, start.x);
    const x = x0 + Math.max(0, Math.min(STEP, (lane[1].x - x0) / 2));
    out.push({ x, y: source.y }, { x, y: start.y });
  }
  out.push(...lane.slice(1, -1));
  if (Math.abs(target.y - end.y) >= 1) {
    const x1 = Math.min(target.x, end.x);
    const x = x1 - Math.max(0, Math.min(STEP, (x1 - lane[lane.length - 2].x) / 2));
    out.push({ x, y: end.y }, { x, y: target.y });
  }
  out.push(target);
  return withoutStraightJoints(out);
}

/** How far outside a card an edge steps from its handle's height to ELK's lane. */
const STEP = 12;

/** Drop points where a run goes on straight (and repeats), so every corner left is a real turn. */
function withoutStraightJoints(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const [a, b] = [out[out.length - 2], out[out.length - 1]];
    if (b && Math.abs(p.x - b.x) < 0.5 && Math.abs(p.y - b.y) < 0.5) continue;
    if (a && ((Math.abs(a.x - b.x) < 0.5 && Math.abs(b.x - p.x) < 0.5) || (Math.abs(a.y - b.y) < 0.5 && Math.abs(b.y - p.y) < 0.5))) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** An SVG path through `points` with each corner rounded (radius at most half of either run). */
export function roundedPath(points: Point[], radius = 10): string {
  if (points.length < 2) return '';
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, c, b] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, Math.hypot(c.x - a.x, c.y - a.y) / 2, Math.hypot(b.x - c.x, b.y - c.y) / 2);
    if (r < 0.5) {
      d += ` L ${c.x} ${c.y}`;
      continue;
    }
    const towards = (p: Point, q: Point, dist: number) => {
      const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return { x: p.x + ((q.x - p.x) * dist) / len, y: p.y + ((q.y - p.y) * dist) / len };
    };
    const before = towards(c, a, r);
    const after = towards(c, b, r);
    d += ` L ${before.x} ${before.y} Q ${c.x} ${c.y} ${after.x} ${after.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}
