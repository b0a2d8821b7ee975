/**
 * What the keyboard works through when the far-zoom picture draws the cards (far-keys.ts): one
 * focusable element over the canvas, a live region that names the focused card, and the ring drawn
 * round that card in the picture. The ring is its own small picture, so moving the focus redraws one
 * rectangle, never the cards' picture.
 */
import { memo, type FocusEventHandler, type KeyboardEventHandler, type Ref } from 'react';
import { ViewportPortal, useStore, type Node } from '@xyflow/react';
import { nodeBox } from './far-geometry.ts';

interface FarKeysProps {
  ref: Ref<HTMLDivElement>;
  count: number;
  announce: string;
  onFocus: FocusEventHandler<HTMLElement>;
  onBlur: FocusEventHandler<HTMLElement>;
  onKeyDown: KeyboardEventHandler<HTMLElement>;
}

export function FarKeys({ ref, count, announce, onFocus, onBlur, onKeyDown }: FarKeysProps) {
  return (
    <>
      <div
        ref={ref}
        className="far-keys"
        tabIndex={0}
        role="group"
        aria-roledescription="canvas"
        aria-label={`Pipeline of ${count} nodes, zoomed out. Tab or the arrow keys move between nodes, Enter selects, Delete removes.`}
        onFocus={onFocus}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
        data-testid="far-keys"
      />
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="far-keys-announce">
        {announce}
      </div>
    </>
  );
}

/** Screen pixels between the card's border and its ring. */
const GAP = 5;

export const FarFocusRing = memo(function FarFocusRing({ node }: { node: Node }) {
  const zoom = useStore((s) => s.transform[2]);
  const b = nodeBox(node);
  const pad = GAP / zoom;
  return (
    <ViewportPortal>
      <svg className="far-focus" data-testid="far-focus" data-id={node.id}>
        {['far-focus__halo', ''].map((c) => (
          <rect key={c} className={c || undefined} x={b.x - pad} y={b.y - pad} width={b.width + 2 * pad} height={b.height + 2 * pad} rx={2 * pad} vectorEffect="non-scaling-stroke" />
        ))}
      </svg>
    </ViewportPortal>
  );
});
