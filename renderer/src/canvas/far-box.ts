/**
 * The Shift-drag selection box while the far-zoom picture draws the cards (far-cards.ts). xyflow
 * selects only the nodes it renders, so its own box would need every card in view rendered while it
 * is drawn: at 1,000 nodes that mounted hundreds of cards at once, a long stall. This box takes the
 * gesture before xyflow's pane sees it, draws xyflow's own rectangle (its store's userSelectionRect)
 * and selects from the cards' places and sizes (far-geometry.ts selectedByBox: what xyflow's box
 * would select); only the selected cards become rendered nodes, as selected cards always are.
 * Held near the pane's border it auto-pans, as xyflow's box does.
 */
import { useCallback, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { useStoreApi, type Edge, type Node, type ReactFlowInstance } from '@xyflow/react';
import { calcAutoPan } from '@xyflow/system';
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
      // The box's first corner stays where it was pressed in the flow, as the view auto-pans under it.
      const start = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const pointer = { x: e.clientX - pane.left, y: e.clientY - pane.top };
      let moved = false;
      let chosen = '';
      let frame = 0;

      const draw = () => {
        const [tx, ty, k] = store.getState().transform;
        const sx = start.x * k + tx;
        const sy = start.y * k + ty;
        const { x, y } = pointer;
        store.setState({
          userSelectionActive: true,
          nodesSelectionActive: false,
          userSelectionRect: { startX: start.x, startY: start.y, x: Math.min(x, sx), y: Math.min(y, sy), width: Math.abs(x - sx), height: Math.abs(y - sy) },
        });
        const at = { x: (x - tx) / k, y: (y - ty) / k };
        const box = { x: Math.min(at.x, start.x), y: Math.min(at.y, start.y), width: Math.abs(at.x - start.x), height: Math.abs(at.y - start.y) };
        const picked = selectedByBox(latest.current.nodes, latest.current.edges, box);
        const key = `${picked.nodes.join('\n')}\t${picked.edges.join('\n')}`;
        // Only when the set changes (as xyflow): a selection change rebuilds the nodes and the picture.
        // The first move replaces the selection, as xyflow's box clears it when it starts.
        if (key === chosen) return;
        chosen = key;
        useDocStore.getState().select(picked.nodes.filter((id) => !id.startsWith(GROUP_PREFIX)), picked.edges);
      };
      // Near the pane's border the view pans each frame and the box grows with it, as xyflow's box does.
      const autoPan = () => {
        const { autoPanSpeed, panBy } = store.getState();
        // xyflow's own rule for its box and drags: up to autoPanSpeed px a frame within 40 px of the border
        const [dx, dy] = calcAutoPan(pointer, pane, autoPanSpeed);
        if (dx || dy) void panBy({ x: dx, y: dy }).then((panned) => panned && frame && draw());
        frame = requestAnimationFrame(autoPan);
      };
      const move = (ev: PointerEvent) => {
        if (ev.pointerId !== e.pointerId) return;
        const x = ev.clientX - pane.left;
        const y = ev.clientY - pane.top;
        if (!moved) {
          if (x === pointer.x && y === pointer.y) return;
          moved = true;
          frame = requestAnimationFrame(autoPan);
        }
        pointer.x = x;
        pointer.y = y;
        draw();
      };
      const end = (ev: PointerEvent) => {
        if (ev.pointerId !== e.pointerId) return;
        wrapper.removeEventListener('pointermove', move);
        wrapper.removeEventListener('pointerup', end);
        wrapper.removeEventListener('pointercancel', end);
        if (wrapper.hasPointerCapture(ev.pointerId)) wrapper.releasePointerCapture(ev.pointerId);
        cancelAnimationFrame(frame);
        frame = 0;
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
