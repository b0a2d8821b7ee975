/**
 * Which cards xyflow renders while FarCards draws the others (a big pipeline at the farthest zoom
 * step): only those a user is touching. The card under the pointer is found from the cards' places
 * and declared sizes (no DOM to hit-test) and handed to xyflow, which mounts it over its picture, so
 * a press on it selects it, drags it, connects from its handles, exactly as on any card. Selected
 * and dragged cards stay rendered. A selection box is ours (far-box.ts), since xyflow's selects only
 * the nodes it renders; the others are hidden nodes, kept in its lookup with their declared
 * handles, so fitting, Tidy and the edge picture still see them.
 */
import { useCallback, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { Node, ReactFlowInstance } from '@xyflow/react';
import { CARD_HEIGHT, CARD_WIDTH, nominalCard } from './card-geometry.ts';
import type { CardData } from './NodeCard.tsx';

/** The card whose box holds a flow point, the topmost (last drawn) if several overlap. */
export function cardAt(nodes: readonly Node[], x: number, y: number): string | undefined {
  let hit: string | undefined;
  for (const n of nodes) {
    if (n.type !== 'card') continue;
    const { x: nx, y: ny } = n.position;
    const height = n.measured?.height ?? n.initialHeight ?? CARD_HEIGHT;
    if (x >= nx && x <= nx + CARD_WIDTH && y >= ny && y <= ny + height) hit = n.id;
  }
  return hit;
}

export function useFarCards(nodes: Node[], active: boolean, flow: ReactFlowInstance) {
  const [hovered, setHovered] = useState<string>();
  // One hidden copy per node object, so a drag frame (one node changed) gives xyflow the same objects for the rest.
  const hiddenCopies = useRef(new WeakMap<Node, Node>());
  // The cards drawn, as the same array while they are the same objects: a drag or auto-pan frame
  // (which changes only the dragged card, never drawn) then leaves the picture's component alone.
  const lastDrawn = useRef<Node[]>([]);
  const { shown, drawn } = useMemo(() => {
    if (!active) return { shown: nodes, drawn: (lastDrawn.current = []) };
    const shown: Node[] = [];
    const drawn: Node[] = [];
    for (const n of nodes) {
      if (n.type !== 'card' || n.selected || n.dragging) {
        shown.push(n);
        continue;
      }
      drawn.push(n);
      if (n.id === hovered) {
        shown.push(n);
        continue;
      }
      let hidden = hiddenCopies.current.get(n);
      if (!hidden) {
        hidden = { ...n, hidden: true, handles: nominalCard((n.data as CardData).spec).handles };
        hiddenCopies.current.set(n, hidden);
      }
      shown.push(hidden);
    }
    const last = lastDrawn.current;
    if (last.length !== drawn.length || drawn.some((n, i) => n !== last[i])) lastDrawn.current = drawn;
    return { shown, drawn: lastDrawn.current };
  }, [nodes, active, hovered]);

  const latest = useRef({ nodes, active, hovered });
  latest.current = { nodes, active, hovered };
  const onPointerMove = useCallback(
    (e: PointerEvent) => {
      // Never while a button is held: a pan or a drag keeps what it started with.
      if (!latest.current.active || e.buttons) return;
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const hit = cardAt(latest.current.nodes, at.x, at.y);
      if (hit !== latest.current.hovered) setHovered(hit);
    },
    [flow],
  );
  const onPointerLeave = useCallback((e: PointerEvent) => {
    if (!e.buttons) setHovered(undefined);
  }, []);
  return { shown, drawn, onPointerMove, onPointerLeave };
}
