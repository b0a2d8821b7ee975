/**
 * Where a card is and what it covers before it is rendered: its declared size and handle places,
 * and the bounds of a whole pipeline by them. Free of the DOM and React, so Tidy's tests and
 * bench/tidy.ts lay out cards exactly as the canvas declares them.
 */
import { Position, type NodeHandle, type Rect } from '@xyflow/react';
import type { CatalogNode } from '../../../core/host/api.ts';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import { cardHandles, type Card } from '../lib/elk-layout.ts';
import type { Catalog } from '../lib/graph.ts';

export const CARD_WIDTH = 220;
export const CARD_HEIGHT = 110;

/**
 * A card's size and handle places as styles.css lays them out (4 px coloured top border, head and
 * summary, then a 20 px row per port with its handle 10 px square on the border, then the status
 * strip), known before the card is rendered. xyflow renders every node whose handles it has not
 * measured, whether in view or not; with these it can leave cards out of view out of the DOM from
 * the start, draw their edges, fit the view and the minimap. A rendered card is measured and its
 * real handles replace these (FlowCanvas drops them on its first size change).
 */
export function nominalCard(spec: CatalogNode | undefined): { width: number; height: number; handles: NodeHandle[] } {
  const inputs = spec?.inputs ?? [];
  const outputs = spec?.outputs ?? [];
  const rows = Math.max(inputs.length, outputs.length);
  const y = (i: number) => 45 + 20 * i;
  const handles: NodeHandle[] = [
    ...inputs.map((p, i): NodeHandle => ({ id: p.name, type: 'target', position: Position.Left, x: -4, y: y(i), width: 10, height: 10 })),
    ...outputs.map((p, i): NodeHandle => ({ id: p.name, type: 'source', position: Position.Right, x: CARD_WIDTH - 6, y: y(i), width: 10, height: 10 })),
  ];
  return { width: CARD_WIDTH, height: 65 + 20 * rows, handles };
}

/** Where the pipeline's cards, notes and groups lie, by their nominal sizes: what a fit shows before anything is measured. */
export function nominalBounds(p: Pipeline, catalog: Catalog): Rect | undefined {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const add = (x: number, y: number, w: number, h: number) => {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + w); y1 = Math.max(y1, y + h);
  };
  for (const n of p.nodes) {
    const at = p.layout.positions[n.id] ?? { x: 0, y: 0 };
    add(at.x, at.y, CARD_WIDTH, nominalCard(catalog.get(n.type)).height);
  }
  for (const n of p.layout.notes) add(n.x, n.y, n.width ?? 200, n.height ?? 120);
  return x0 === Infinity ? undefined : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** A card as Tidy is told before it is measured: its declared size, its handles as ELK ports. */
export function declaredCard(spec: CatalogNode | undefined): Card {
  const { width, height, handles } = nominalCard(spec);
  return { width, height, handles: cardHandles(handles) };
}
