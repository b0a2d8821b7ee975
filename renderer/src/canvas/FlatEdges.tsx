/**
 * A big pipeline's edges at the farthest zoom step, drawn as one picture: one SVG inside xyflow's
 * viewport with one path per port colour (and one for the selected edges), instead of xyflow's
 * positioned SVG per edge. On a pan Chromium re-layerizes every frame, at a cost that grows with
 * the paint layers, and a thousand edge SVGs were most of a pan frame (bench/studio --cpu-profile).
 * This layer moves with the viewport's transform and is redrawn only when a card moves or the
 * edges change. At that zoom an edge is a few tenths of a pixel wide: nothing there to click,
 * select or drop a card onto. Paths are the same as xyflow's (bezier, or Tidy's route while it
 * holds, as RoutedEdge draws it).
 */
import { memo, useMemo, useRef } from 'react';
import { getBezierPath, Position, useStore, ViewportPortal, type Edge, type InternalNode } from '@xyflow/react';
import { routeHolds, type EdgeRoute } from '../../../core/schema/pipeline.ts';
import { roundedPath, routeThrough } from '../../../core/schema/route-path.ts';

const MOVING = 'moving ';

/** From this many edges on, the farthest zoom step draws them as one picture. */
export const FLAT_EDGES_FROM = 300;

/** A handle's connection point on its card's side, in flow units (as xyflow places it). */
function handleAt(node: InternalNode | undefined, type: 'source' | 'target', id: string | null | undefined): { x: number; y: number } | undefined {
  const h = node?.internals.handleBounds?.[type]?.find((b) => b.id === (id ?? null)) ?? node?.internals.handleBounds?.[type]?.[0];
  if (!node || !h) return undefined;
  const { x, y } = node.internals.positionAbsolute;
  return { x: x + h.x + (type === 'source' ? h.width : 0), y: y + h.y + h.height / 2 };
}

/** An edge's path, kept while the edge and both its nodes are the same objects (a drag changes one node). */
type Drawn = { e: Edge; a: InternalNode; b: InternalNode; d: string; key: string };
type Path = { key: string; stroke: string; d: string };

function joined(groups: Map<string, string[]>): Path[] {
  return [...groups].map(([key, ds]) => ({ key, stroke: key.startsWith(MOVING) ? key.slice(MOVING.length) : key, d: ds.join(' ') }));
}

function pathOf(e: Edge, a: InternalNode, b: InternalNode): string | undefined {
  const [s, t] = [handleAt(a, 'source', e.sourceHandle), handleAt(b, 'target', e.targetHandle)];
  if (!s || !t) return undefined;
  const route = (e.data as { route?: EdgeRoute } | undefined)?.route;
  return route && routeHolds(route, a.position, b.position)
    ? roundedPath(routeThrough(s, route.points, t))
    : getBezierPath({ sourceX: s.x, sourceY: s.y, targetX: t.x, targetY: t.y, sourcePosition: Position.Right, targetPosition: Position.Left })[0];
}

export const FlatEdges = memo(function FlatEdges({ edges }: { edges: Edge[] }) {
  // The node lookup changes when a card moves or is measured, never on a pan or zoom frame.
  const nodeLookup = useStore((s) => s.nodeLookup);
  const nodes = useStore((s) => s.nodes);
  const drawn = useRef(new Map<string, Drawn>());
  // The big paths as last joined: kept while none of their edges changed (an auto-pan frame moves one card).
  const still = useRef<{ edges: Edge[]; count: number; paths: Path[] }>({ edges: [], count: -1, paths: [] });
  const paths = useMemo(() => {
    const byStroke = new Map<string, string[]>();
    const moved = new Map<string, string[]>();
    const next = new Map<string, Drawn>();
    let stillChanged = edges !== still.current.edges;
    let stillCount = 0;
    for (const e of edges) {
      const [a, b] = [nodeLookup.get(e.source), nodeLookup.get(e.target)];
      if (!a || !b) continue;
      const old = drawn.current.get(e.id);
      const kept = old && old.e === e && old.a === a && old.b === b;
      const d = kept ? old.d : pathOf(e, a, b);
      if (d === undefined) continue;
      // The edges of a selected or dragged card in paths of their own: a drag or an auto-pan frame
      // then sets only those few, and the big paths keep the same `d` (React leaves them alone, and
      // Chromium repaints only where the small ones were and are).
      const moving = a.selected || a.dragging || b.selected || b.dragging ? MOVING : '';
      const key = `${moving}${e.selected ? 'selected' : String(e.style?.stroke ?? '')}`;
      next.set(e.id, { e, a, b, d, key });
      if (!moving) {
        stillCount++;
        if (!kept || old.key !== key) stillChanged = true;
      }
      const groups = moving ? moved : byStroke;
      const group = groups.get(key);
      if (group) group.push(d);
      else groups.set(key, [d]);
    }
    drawn.current = next;
    if (stillChanged || stillCount !== still.current.count) still.current = { edges, count: stillCount, paths: joined(byStroke) };
    return [...still.current.paths, ...joined(moved)];
    // `nodes` changes with every move of a card; the lookup itself is one Map, updated in place.
  }, [edges, nodeLookup, nodes]);
  return (
    <ViewportPortal>
      <svg className="flat-edges" data-testid="flat-edges" aria-hidden="true">
        {paths.map(({ key, stroke, d }) => (
          <path key={key} d={d} data-moving={key.startsWith(MOVING) || undefined} className={stroke === 'selected' ? 'flat-edges__selected' : undefined} style={stroke === 'selected' ? undefined : { stroke }} />
        ))}
      </svg>
    </ViewportPortal>
  );
});
