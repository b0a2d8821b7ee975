/**
 * Which edge lies under a screen point: asked once when a node is dropped (and per frame while a
 * palette item is dragged, to highlight the edge it would be inserted into).
 */
import type { Pipeline, PipelineEdge } from '../../../core/schema/pipeline.ts';
import { edgeId } from '../lib/graph.ts';

export function edgeIdAt(x: number, y: number): string | null {
  for (const el of document.elementsFromPoint(x, y)) {
    const g = el.closest('.react-flow__edge');
    if (g) return g.getAttribute('data-id');
  }
  return null;
}

export function edgeAt(p: Pipeline, x: number, y: number): PipelineEdge | undefined {
  const id = edgeIdAt(x, y);
  return id ? p.edges.find((e) => edgeId(e) === id) : undefined;
}

/**
 * The edge passing under a card dropped at a screen rectangle: sampled at nine points of the card's
 * body, centre first, because the grid snap moves a card by up to half a cell from where the
 * pointer let go, so its centre alone often misses an edge that visibly crosses it.
 */
export function edgeUnderBox(p: Pipeline, box: { x: number; y: number; width: number; height: number }): PipelineEdge | undefined {
  for (const fy of [0.5, 0.25, 0.75]) {
    for (const fx of [0.5, 0.25, 0.75]) {
      const edge = edgeAt(p, box.x + box.width * fx, box.y + box.height * fy);
      if (edge) return edge;
    }
  }
  return undefined;
}

let lit: Element | null = null;

/** Mark the edge under (x, y) as the drop target (or clear the mark with null). */
export function highlightEdgeAt(point: { x: number; y: number } | null): void {
  const id = point ? edgeIdAt(point.x, point.y) : null;
  const el = id ? document.querySelector(`.react-flow__edge[data-id="${CSS.escape(id)}"]`) : null;
  if (el === lit) return;
  lit?.classList.remove('is-drop-target');
  el?.classList.add('is-drop-target');
  lit = el;
}
