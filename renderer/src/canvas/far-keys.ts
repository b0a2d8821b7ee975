/**
 * The keyboard on the far-zoom picture (FarCards.tsx). There xyflow renders almost no card, so its
 * own Tab order (the rendered nodes) would skip the pipeline. The canvas then keeps one focusable
 * element (FarFocus.tsx FarKeys) holding a focus that moves between the cards: Tab / Shift+Tab in
 * reading order (far-geometry.ts), the arrow keys to the nearest card that way; Enter or Space
 * selects it as a click does, Delete removes it as the Delete key does at normal zoom. The focused
 * card is ringed in the picture (FarFocusRing), brought into view when it is off-screen, and
 * announced (title, id, category) through a live region, since it has no element of its own.
 * Orders and neighbours are worked out per key press, never per frame: a drag leaves this alone.
 */
import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';
import { useStoreApi, type Node, type ReactFlowInstance } from '@xyflow/react';
import { useDocStore } from '../store/use-doc-store.ts';
import { removeElements } from '../store/commands.ts';
import { neighbour, nodeBox, readingOrder, type Direction } from './far-geometry.ts';
import type { CardData } from './NodeCard.tsx';

const ARROWS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
/** How far inside the pane's border a card brought into view ends up, in screen pixels; at the top, below the canvas' tool buttons (+ Note, Group). */
const MARGIN = 24;
const TOP_MARGIN = 64;

/** What a screen reader hears for a card: its title, its id (titles repeat), its category, its place in the order. */
export function describeCard(n: Node, place: number, of: number, selected: boolean): string {
  const { node, spec } = n.data as CardData;
  const title = node.title ?? spec?.title ?? node.type;
  return `${title} (${n.id}), ${spec?.category ?? 'unknown'} node${selected ? ', selected' : ''}, ${place} of ${of}`;
}

export function useFarKeys(nodes: Node[], active: boolean, flow: ReactFlowInstance, canvas: RefObject<HTMLElement | null>) {
  const store = useStoreApi();
  const [focused, setFocused] = useState<string>();
  const [hasFocus, setHasFocus] = useState(false);
  const [announce, setAnnounce] = useState('');
  const element = useRef<HTMLDivElement>(null);
  const latest = useRef({ nodes, focused, hasFocus });
  latest.current = { nodes, focused, hasFocus };

  // Crossing the picture's zoom step keeps the keyboard's place, though the element holding the
  // focus leaves the page: a card focused as an element becomes the picture's focused card, and the
  // picture's focused card becomes the focused element when the cards are elements again.
  const cardFocus = useRef<string | undefined>(undefined);
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const onIn = (e: globalThis.FocusEvent) => {
      cardFocus.current = (e.target as Element).closest?.('.react-flow__node-card')?.getAttribute('data-id') ?? undefined;
    };
    const onOut = (e: globalThis.FocusEvent) => {
      // Left for somewhere else (not to nowhere: a focused element taken out of the page gives no target).
      if (e.relatedTarget && !el.contains(e.relatedTarget as globalThis.Node)) cardFocus.current = undefined;
    };
    el.addEventListener('focusin', onIn);
    el.addEventListener('focusout', onOut);
    return () => {
      el.removeEventListener('focusin', onIn);
      el.removeEventListener('focusout', onOut);
    };
  }, [canvas]);
  useEffect(() => {
    const id = cardFocus.current;
    const now = document.activeElement;
    if (active && id && (!now || now === document.body || now.closest('.react-flow__node-card')?.getAttribute('data-id') === id)) {
      latest.current.focused = id; // read by onFocus, before this render's state lands
      setFocused(id);
      element.current?.focus();
    }
    if (active || !latest.current.hasFocus || !latest.current.focused) return;
    setHasFocus(false);
    const target = latest.current.focused;
    let tries = 30; // frames for xyflow to render the card, now in view
    const next = () => {
      const card = canvas.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(target)}"]`);
      if (card) card.focus();
      else if (--tries > 0) frame = requestAnimationFrame(next);
    };
    let frame = requestAnimationFrame(next);
    return () => cancelAnimationFrame(frame);
  }, [active, canvas]);

  /** Bring a card into the pane, by the least pan, when any of it is off-screen. */
  const reveal = useCallback(
    (n: Node) => {
      const b = nodeBox(n);
      const { transform: [tx, ty, k], width, height } = store.getState();
      const shift = (lo: number, hi: number, size: number, start: number) => (lo < start ? start - lo : hi > size - MARGIN ? Math.max(size - MARGIN - hi, start - lo) : 0);
      const dx = shift(b.x * k + tx, (b.x + b.width) * k + tx, width, MARGIN);
      const dy = shift(b.y * k + ty, (b.y + b.height) * k + ty, height, TOP_MARGIN);
      if (dx || dy) void flow.setViewport({ x: tx + dx, y: ty + dy, zoom: k });
    },
    [flow, store],
  );

  const focus = useCallback(
    (id: string, order?: string[]) => {
      const n = latest.current.nodes.find((m) => m.id === id);
      if (!n) return;
      const ids = order ?? readingOrder(latest.current.nodes);
      setFocused(id);
      setAnnounce(describeCard(n, ids.indexOf(id) + 1, ids.length, useDocStore.getState().selection.includes(id)));
      reveal(n);
    },
    [reveal],
  );

  const onFocus = useCallback(
    (e: FocusEvent<HTMLElement>) => {
      setHasFocus(true);
      const { nodes, focused } = latest.current;
      const order = readingOrder(nodes);
      if (!order.length) return;
      if (focused && order.includes(focused)) return focus(focused, order);
      // Entered backwards (Shift+Tab from what follows the canvas): the last card, else the first.
      const from = e.relatedTarget;
      const back = !!from && !!(e.currentTarget.compareDocumentPosition(from) & globalThis.Node.DOCUMENT_POSITION_FOLLOWING);
      focus(order[back ? order.length - 1 : 0], order);
    },
    [focus],
  );
  const onBlur = useCallback(() => setHasFocus(false), []);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const { nodes, focused } = latest.current;
      const current = focused && nodes.some((n) => n.id === focused) ? focused : undefined;
      if (e.key === 'Tab') {
        const order = readingOrder(nodes);
        const i = current ? order.indexOf(current) : -1;
        const next = i < 0 ? (e.shiftKey ? order.length - 1 : 0) : e.shiftKey ? i - 1 : i + 1;
        // Past either end the focus leaves the canvas, as Tab does anywhere.
        if (next < 0 || next >= order.length) return;
        e.preventDefault();
        return focus(order[next], order);
      }
      const dir = ARROWS[e.key];
      if (dir) {
        e.preventDefault();
        const order = current ? undefined : readingOrder(nodes);
        const next = current ? neighbour(nodes, current, dir) : order?.[0];
        if (next) focus(next, order);
        return;
      }
      if (!current) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        // What a click on the card does: it alone is selected, and the inspector opens it.
        useDocStore.getState().select([current], []);
        return focus(current);
      }
      if (e.key === 'Delete' || e.key === 'Backspace') {
        // Handled here, not by xyflow's Delete key (which removes only the selection): the focused
        // card goes, with the rest of the selection when it is part of it, as Delete removes it.
        e.preventDefault();
        e.stopPropagation();
        const doc = useDocStore.getState();
        const whole = doc.selection.includes(current);
        const cards = whole ? doc.selection.filter((id) => !id.startsWith('note:')) : [current];
        const notes = whole ? doc.selection.filter((id) => id.startsWith('note:')).map((id) => id.slice('note:'.length)) : [];
        const order = readingOrder(nodes);
        const gone = new Set(cards);
        const i = order.indexOf(current);
        const next = [...order.slice(i + 1), ...order.slice(0, i).reverse()].find((id) => !gone.has(id));
        removeElements(cards, whole ? doc.selectedEdges : [], notes);
        if (next) focus(next, order.filter((id) => !gone.has(id)));
        else {
          setFocused(undefined);
          setAnnounce('No nodes left');
        }
      }
    },
    [focus],
  );

  const ring = active && hasFocus && focused ? nodes.find((n) => n.id === focused) : undefined;
  return { ring, announce, element, onFocus, onBlur, onKeyDown };
}
