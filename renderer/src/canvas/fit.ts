import { getViewportForBounds, type ReactFlowInstance } from '@xyflow/react';
import { cardHandles, type Card } from '../lib/elk-layout.ts';

/**
 * Fit every node in view, rendered or not. xyflow's own fitView waits until every node is measured
 * and counts measured nodes only, but cards out of view are never rendered (onlyRenderVisibleElements)
 * and so never measured: on a big pipeline it would never fit, or fit only what was once on screen.
 * Every node here has a size before it is measured (card-geometry.ts nominalCard), which this counts.
 */
export function fitAll(flow: ReactFlowInstance, { padding = 0.2, maxZoom = 2, duration }: { padding?: number; maxZoom?: number; duration?: number } = {}): void {
  const nodes = flow.getNodes();
  const pane = document.querySelector('.react-flow');
  if (!nodes.length || !pane?.clientWidth || !pane.clientHeight) return;
  // The canvas' zoom limits (FlowCanvas: minZoom 0.1).
  const viewport = getViewportForBounds(flow.getNodesBounds(nodes), pane.clientWidth, pane.clientHeight, MIN_ZOOM, maxZoom, padding);
  void flow.setViewport(viewport, { duration });
}

export const MIN_ZOOM = 0.1;

/**
 * A card's size and handles for Tidy: as measured once rendered; before that, as declared
 * (card-geometry.ts nominalCard). Cards that were never on screen are never measured, and laying them
 * out at a guessed size stacked tall cards over each other.
 */
export const cardSize = (flow: ReactFlowInstance) => (id: string): Card | undefined => {
  const n = flow.getNode(id);
  const measured = flow.getInternalNode(id)?.internals.handleBounds;
  const handles = cardHandles(measured ? [...(measured.source ?? []), ...(measured.target ?? [])] : n?.handles ?? []);
  if (n?.measured?.width && n.measured.height) return { width: n.measured.width, height: n.measured.height, handles };
  return n?.initialWidth && n.initialHeight ? { width: n.initialWidth, height: n.initialHeight, handles } : undefined;
};
