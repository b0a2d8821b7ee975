import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { PANEL_LIMITS, useUiStore, type PanelSizes } from '../store/use-ui-store.ts';

/**
 * A draggable border between two panels (also Arrow keys when focused). While dragging, only a CSS
 * variable on the workspace changes (no React render per pointer move); the size is stored, and
 * remembered, when the drag ends.
 */
export function Splitter({ panel, label }: { panel: keyof PanelSizes; label: string }) {
  const start = useRef<{ pointer: number; size: number } | null>(null);
  const size = useUiStore((s) => s.panelSizes[panel]);
  const { min, max, axis, grows } = PANEL_LIMITS[panel];
  const cssVar = `--${panel}-size`;
  const clamp = (v: number) => Math.round(Math.min(max, Math.max(min, v)));
  const host = (el: HTMLElement) => el.closest<HTMLElement>('.workspace');

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    // No text selection and no native drag: the border moves under the pointer, so Chromium would
    // otherwise start dragging whatever palette item it is now over (and cancel our drag).
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    host(e.currentTarget)?.classList.add('workspace--resizing');
    start.current = { pointer: axis === 'x' ? e.clientX : e.clientY, size };
  };
  const next = (e: PointerEvent<HTMLDivElement>) => {
    const from = start.current!;
    const moved = (axis === 'x' ? e.clientX : e.clientY) - from.pointer;
    return clamp(from.size + (grows === 'after' ? moved : -moved));
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current) host(e.currentTarget)?.style.setProperty(cssVar, `${next(e)}px`);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    const value = next(e);
    start.current = null;
    host(e.currentTarget)?.classList.remove('workspace--resizing');
    useUiStore.getState().setPanelSize(panel, value);
  };
  // A cancelled drag (its pointer position is meaningless) puts the border back where it was.
  const onPointerCancel = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    start.current = null;
    const el = host(e.currentTarget);
    el?.classList.remove('workspace--resizing');
    el?.style.setProperty(cssVar, `${size}px`);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys = axis === 'x' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
    const dir = keys.indexOf(e.key);
    if (dir < 0) return;
    e.preventDefault();
    const step = (dir === 1 ? 1 : -1) * (grows === 'after' ? 16 : -16);
    useUiStore.getState().setPanelSize(panel, clamp(size + step));
  };

  return (
    <div
      className={`splitter splitter--${axis}`}
      role="separator"
      aria-orientation={axis === 'x' ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuenow={size}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      data-testid={`splitter-${panel}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerCancel}
      onKeyDown={onKeyDown}
      onDoubleClick={() => useUiStore.getState().setPanelSize(panel, PANEL_LIMITS[panel].initial)}
      title={`Drag to resize ${label.toLowerCase()}; double-click to reset`}
    />
  );
}
