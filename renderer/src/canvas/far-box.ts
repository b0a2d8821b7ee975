/**
 * The Shift-drag selection box while the far-zoom picture draws the cards (far-cards.ts). xyflow
 * selects only the nodes it renders, so its own box would need every card in view rendered while it
 * is drawn: at 1,000 nodes that mounted hundreds of cards at once, a long stall. This box takes the
 * gesture before xyflow's pane sees it, draws xyflow's own rectangle (its store's userSelectionRect)
 * and selects from the cards' places and sizes (far-geometry.ts selectedByBox: what xyflow's box
 * would select); only the selected cards become rendered nodes, as selected cards always are.
 */
import { useCallback, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { useStoreApi, type Edge, type Node, type ReactFlowInstance } from '@xyflow/react';
import { useDocStore } from '../store/use-doc-store.ts';
import { selectedByBox } from './far-geometry.ts';
import { GROUP_PREFIX } from './to-flow.ts';

export function useFarBox(nodes: Node[], edges: Edge[], active: boolean, flow: ReactFlowInstance) {
  const store = useStoreApi();
  const latest = useRef({ nodes, edges, active });
  latest.current = { nodes, edges, active };

  const onPointerDownCapture = useCallback(
    (e: ReactPointerEvent<HTMLElement>) => {
      const target = e.target as HTMLElement;
      // As xyflow's pane starts its box: the selection key held, the main button, on the pane (a card included), not on a .nokey.
      if (!latest.current.active || !e.shiftKey || e.button !== 0 || !e.isPrimary || !target.closest('.react-flow__pane') || target.closest('.nokey')) return;
      const wrapper = e.currentTarget;
      const pane = store.getState().domNode?.getBoundingClientRect();
      if (!pane) return;
      e.stopPropagation();
      e.preventDefault();
      wrapper.setPointerCapture(e.pointerId);
      const start = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const startScreen = { x: e.clientX - pane.left, y: e.clientY - pane.top };
      let moved = false;
      let chosen = '';

      const move = (ev: PointerEvent) => {
        if (ev.pointerId !== e.pointerId) return;
        const at = flow.screenToFlowPosition({ x: ev.clientX, y: ev.clientY });
        const x = ev.clientX - pane.left;
        const y = ev.clientY - pane.top;
        if (!moved) {
          if (x === startScreen.x && y === startScreen.y) return;
          moved = true;
        }
        store.setState({
          userSelectionActive: true,
          nodesSelectionActive: false,
          userSelectionRect: { startX: start.x, startY: start.y, x: Math.min(x, startScreen.x), y: Math.min(y, startScreen.y), width: Math.abs(x - startScreen.x), height: Math.abs(y - startScreen.y) },
        });
        const box = { x: Math.min(at.x, start.x), y: Math.min(at.y, start.y), width: Math.abs(at.x - start.x), height: Math.abs(at.y - start.y) };
        const picked = selectedByBox(latest.current.nodes, latest.current.edges, box);
        const key = `${picked.nodes.join('\n')}\t${picked.edges.join('\n')}`;
        // Only when the set changes (as xyflow): a selection change rebuilds the nodes and the picture.
        // The first move replaces the selection, as xyflow's box clears it when it starts.
        if (key === chosen) return;
        chosen = key;
        useDocStore.getState().select(picked.nodes.filter((id) => !id.startsWith(GROUP_PREFIX)), picked.edges);
      };
      const end = (ev: PointerEvent) => {
        if (ev.pointerId !== e.pointerId) return;
        wrapper.removeEventListener('pointermove', move);
        wrapper.removeEventListener('pointerup', end);
        wrapper.removeEventListener('pointercancel', end);
        if (wrapper.hasPointerCapture(ev.pointerId)) wrapper.releasePointerCapture(ev.pointerId);
        if (!moved) return;
        store.setState({ userSelectionActive: false, userSelectionRect: null, nodesSelectionActive: useDocStore.getState().selection.length > 0 });
        // The click that ends a drawn box is not a click on the pane (which would clear the selection), as with xyflow's box.
        const swallow = (c: MouseEvent) => c.stopPropagation();
        wrapper.addEventListener('click', swallow, { capture: true, once: true });
        requestAnimationFrame(() => wrapper.removeEventListener('click', swallow, true));
      };
      wrapper.addEventListener('pointermove', move);
      wrapper.addEventListener('pointerup', end);
      wrapper.addEventListener('pointercancel', end);
    },
    [flow, store],
  );
  return { onPointerDownCapture };
}
