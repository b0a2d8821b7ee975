/**
 * Where the cards of the far-zoom picture are, without the DOM: the keyboard's order and its
 * arrow-key neighbours, and which nodes a selection box holds. At that zoom most cards are hidden
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
 * The cards in reading order: rows from the top, left to right within a row. A card whose top is
 * within half a card's height of a row's first card belongs to that row, so a row laid out by hand a
 * few pixels crooked still reads left to right instead of zigzagging.
 */
export function readingOrder(nodes: readonly Node[]): string[] {
  const cards = nodes.filter((n) => n.type === 'card').map((n) => ({ id: n.id, box: nodeBox(n) }));
  cards.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
  const out: string[] = [];
  for (let i = 0; i < cards.length; ) {
    const top = cards[i].box.y;
    const band = cards[i].box.height / 2;
    let j = i;
    while (j < cards.length && cards[j].box.y - top <= band) j++;
    out.push(...cards.slice(i, j).sort((a, b) => a.box.x - b.box.x || a.box.y - b.box.y).map((c) => c.id));
    i = j;
  }
  return out;
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/**
 * The nearest card in a direction from a card, centre to centre: among the cards ahead of it, those
 * within 45° of the direction first; the distance ahead counts once and the distance aside twice, so
 * the neighbour in the same row (or column) wins over a nearer one diagonally. Undefined at the edge.
 */
export function neighbour(nodes: readonly Node[], from: string, dir: Direction): string | undefined {
  const centre = (n: Node) => {
    const b = nodeBox(n);
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  };
  const start = nodes.find((n) => n.id === from);
  if (!start) return undefined;
  const o = centre(start);
  let best: { id: string; cone: boolean; score: number } | undefined;
  for (const n of nodes) {
    if (n.type !== 'card' || n.id === from) continue;
    const c = centre(n);
    const dx = c.x - o.x;
    const dy = c.y - o.y;
    const ahead = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
    const aside = Math.abs(dir === 'left' || dir === 'right' ? dy : dx);
    if (ahead <= 0) continue;
    const cone = aside <= ahead;
    const score = ahead + 2 * aside;
    if (!best || (cone && !best.cone) || (cone === best.cone && score < best.score)) best = { id: n.id, cone, score };
  }
  return best?.id;
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
