/**
 * Where the cards of the far-zoom picture are, without the DOM: which nodes a selection box
 * holds. At that zoom most cards are hidden
 * nodes (far-cards.ts), never measured, so every answer here comes from a card's place and its size
 * as xyflow itself would take it (measured, else declared: card-geometry.ts nominalCard).
 */
import type { Edge, Node, Rect } from '@xyflow/react';
import type { CatalogNode } from '../../../core/host/api.ts';
import { CARD_WIDTH, nominalCard } from './card-geometry.ts';

/** A node's box in flow units, sized as xyflow's own selection box sizes it (measured, else given, else initial). */
export function nodeBox(n: Node): Rect {
  // A card's data is its CardData (NodeCard.tsx); only its node type's spec matters here.
  const declared = n.type === 'card' ? nominalCard((n.data as { spec?: CatalogNode }).spec) : undefined;
  const width = n.measured?.width ?? n.width ?? n.initialWidth ?? declared?.width ?? CARD_WIDTH;
  const height = n.measured?.height ?? n.height ?? n.initialHeight ?? declared?.height ?? 0;
  return { x: n.position.x, y: n.position.y, width, height };
}

/**
 * What xyflow's selection box (SelectionMode.Full) selects for a box in flow units: every
 * selectable node wholly inside it, and every selectable edge touching one of them.
 */
export function selectedByBox(nodes: readonly Node[], edges: readonly Edge[], box: Rect): { nodes: string[]; edges: string[] } {
  const ids = new Set<string>();
  for (const n of nodes) {
    if (n.selectable === false) continue;
    const b = nodeBox(n);
    if (b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width && b.y + b.height <= box.y + box.height) ids.add(n.id);
  }
  const edgeIds = edges.filter((e) => e.selectable !== false && (ids.has(e.source) || ids.has(e.target))).map((e) => e.id);
  return { nodes: [...ids], edges: edgeIds };
}
