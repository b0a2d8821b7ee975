/**
 * Pipeline → xyflow nodes and edges. Objects are reused when nothing about a node changed, so
 * the memo'd cards of untouched nodes never re-render.
 */
import { type Edge, type Node } from '@xyflow/react';
import type { Diagnostic } from '../../../core/host/api.ts';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import { splitEndpoint } from '../../../core/schema/pipeline.ts';
import { PORT_COLOR } from '../lib/colors.ts';
import { edgeId, type Catalog } from '../lib/graph.ts';
import { summarize } from '../lib/params.ts';
import { CARD_HEIGHT, CARD_WIDTH, nominalCard } from './card-geometry.ts';
import type { CardData } from './NodeCard.tsx';

/** Id prefix of a group's frame node (its members move with it: group-drag.ts). */
export const GROUP_PREFIX = 'group:';

export function buildNodes(p: Pipeline, catalog: Catalog, selection: string[], diagnostics: Diagnostic[], prev: Node[]): Node[] {
  const prevById = new Map(prev.map((n) => [n.id, n]));
  const selected = new Set(selection);
  const problems = new Map<string, string>();
  for (const d of diagnostics) if (d.nodeId && d.severity === 'error' && !problems.has(d.nodeId)) problems.set(d.nodeId, d.message);
  const out: Node[] = [];
  const position = (id: string) => p.layout.positions[id] ?? { x: 0, y: 0 };

  for (const g of p.layout.groups) {
    const members = g.nodes.map(position);
    if (!members.length) continue;
    const x0 = Math.min(...members.map((m) => m.x)) - 20;
    const y0 = Math.min(...members.map((m) => m.y)) - 44;
    const x1 = Math.max(...members.map((m) => m.x)) + CARD_WIDTH + 20;
    const y1 = Math.max(...members.map((m) => m.y)) + CARD_HEIGHT + 20;
    const id = `${GROUP_PREFIX}${g.id}`;
    const old = prevById.get(id);
    const data = old && old.data.title === g.title && old.data.color === g.color ? old.data : { groupId: g.id, title: g.title, color: g.color };
    out.push({
      id, type: 'group-box', position: { x: x0, y: y0 }, data, width: x1 - x0, height: y1 - y0,
      // Dragged by its head only (group-drag.ts moves the members along); the rest of the frame lets clicks through.
      draggable: true, dragHandle: '.group-box__head', selectable: false, focusable: false, zIndex: -1, measured: { width: x1 - x0, height: y1 - y0 },
    });
  }

  for (const n of p.layout.notes) {
    const id = `note:${n.id}`;
    const old = prevById.get(id);
    const data = old && old.data.text === n.text && old.data.color === n.color ? old.data : { noteId: n.id, text: n.text, color: n.color };
    const isSel = selected.has(id);
    if (old && old.data === data && old.position.x === n.x && old.position.y === n.y && !!old.selected === isSel && old.width === (n.width ?? 200) && old.height === (n.height ?? 120)) out.push(old);
    else out.push({ ...old, id, type: 'note', position: { x: n.x, y: n.y }, data, width: n.width ?? 200, height: n.height ?? 120, selected: isSel, dragHandle: undefined });
  }

  for (const n of p.nodes) {
    const old = prevById.get(n.id);
    const spec = catalog.get(n.type);
    const problem = problems.get(n.id);
    const oldData = old?.data as CardData | undefined;
    const data: CardData = oldData && oldData.node === n && oldData.spec === spec && oldData.problem === problem
      ? oldData
      : { node: n, spec, summary: summarize(spec, n.params), problem };
    const pos = position(n.id);
    const isSel = selected.has(n.id);
    if (old && old.data === data && old.position.x === pos.x && old.position.y === pos.y && !!old.selected === isSel) out.push(old);
    else if (old?.measured) out.push({ ...old, id: n.id, type: 'card', position: pos, data, selected: isSel, width: undefined, height: undefined });
    else {
      const nominal = nominalCard(spec);
      out.push({ ...old, id: n.id, type: 'card', position: pos, data, selected: isSel, width: undefined, height: undefined, initialWidth: nominal.width, initialHeight: nominal.height, handles: nominal.handles });
    }
  }
  return out;
}

/** Edges likewise: an unchanged edge keeps its object, so its xyflow wrapper does not re-render. */
export function buildEdges(p: Pipeline, catalog: Catalog, selectedEdges: string[], prev: Edge[] = []): Edge[] {
  const sel = new Set(selectedEdges);
  const prevById = new Map(prev.map((e) => [e.id, e]));
  // One map instead of a search through the nodes per edge (O(edges × nodes) on a big pipeline).
  const typeOf = new Map(p.nodes.map((n) => [n.id, n.type]));
  return p.edges.map((e) => {
    const from = splitEndpoint(e.from);
    const to = splitEndpoint(e.to);
    const type = catalog.get(typeOf.get(from.node) ?? '')?.outputs.find((o) => o.name === from.port)?.type ?? 'table';
    const id = edgeId(e);
    const selected = sel.has(id);
    // The id spells out both ends, so an edge with the same id, selection and port type is unchanged.
    // Tidy's route (RoutedEdge.tsx draws it while both nodes stay put); none: xyflow's own curve.
    const route = p.layout.routes?.[id];
    const old = prevById.get(id);
    if (old && old.selected === selected && old.data?.type === type && old.data?.route === route) return old;
    return {
      id,
      ...(route ? { type: 'routed' } : {}),
      source: from.node,
      sourceHandle: from.port,
      target: to.node,
      targetHandle: to.port,
      selected,
      style: { stroke: PORT_COLOR[type], strokeWidth: 2 },
      ariaLabel: `Edge from ${e.from} to ${e.to}`,
      data: route ? { type, route } : { type },
    };
  });
}
