/**
 * The canvas' overview map (bottom right): every card as a rectangle in its category's colour, and
 * a box showing the part of the pipeline in view. Press or drag on it to move the view there; the
 * wheel zooms the view.
 *
 * Not xyflow's MiniMap, for the frames of a pan: that one re-renders its SVG on every viewport
 * change (the view's rectangle is a path in it, and its viewBox grows to take the view in), and any
 * repaint makes Chromium lay out its compositor layers again, a cost that grows with every element on
 * the canvas (Layerize: ~20 ms a frame with 600 cards mounted, ~50 with 1,000, in a trace of
 * bench/studio's pan). Here the rectangles are drawn once per change of the document, at a fixed
 * scale, and the view box is a layer of its own moved by a transform set on the element directly,
 * outside React: a pan frame repaints nothing in the map.
 */
import { memo, useEffect, useMemo, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { Panel, useReactFlow, useStoreApi } from '@xyflow/react';
import type { Pipeline } from '../../../core/schema/pipeline.ts';
import type { Catalog } from '../lib/graph.ts';
import { CATEGORY_COLOR } from '../lib/colors.ts';
import { CARD_WIDTH, nominalBounds, nominalCard } from './card-geometry.ts';
import { MIN_ZOOM } from './fit.ts';

const WIDTH = 160;
const HEIGHT = 110;
/** Margin around the pipeline inside the map, in map pixels. */
const PAD = 5;
const MAX_ZOOM = 2;

/** Flow coordinates ↔ map pixels: `scale` flow units per pixel, the pipeline centred. */
export interface MapFrame { x: number; y: number; scale: number }

export function mapFrame(bounds: { x: number; y: number; width: number; height: number } | undefined): MapFrame {
  if (!bounds) return { x: 0, y: 0, scale: 1 };
  const scale = Math.max(bounds.width / (WIDTH - 2 * PAD), bounds.height / (HEIGHT - 2 * PAD), 1e-6);
  return { x: bounds.x - (WIDTH * scale - bounds.width) / 2, y: bounds.y - (HEIGHT * scale - bounds.height) / 2, scale };
}

/** One path per colour: a thousand cards are a handful of elements to paint, not a thousand. */
function shapes(p: Pipeline, catalog: Catalog): { colour: string; d: string }[] {
  const byColour = new Map<string, string[]>();
  const add = (colour: string, x: number, y: number, w: number, h: number) => {
    const list = byColour.get(colour) ?? [];
    list.push(`M${Math.round(x)} ${Math.round(y)}h${w}v${h}h${-w}z`);
    byColour.set(colour, list);
  };
  for (const n of p.layout.notes) add('#f2d46b', n.x, n.y, n.width ?? 200, n.height ?? 120);
  for (const n of p.nodes) {
    const spec = catalog.get(n.type);
    const at = p.layout.positions[n.id] ?? { x: 0, y: 0 };
    add(spec ? CATEGORY_COLOR[spec.category] : '#999', at.x, at.y, CARD_WIDTH, nominalCard(spec).height);
  }
  return [...byColour].map(([colour, ds]) => ({ colour, d: ds.join('') }));
}

export const OverviewMap = memo(function OverviewMap({ pipeline, catalog }: { pipeline: Pipeline; catalog: Catalog }) {
  const store = useStoreApi();
  const flow = useReactFlow();
  const frame = useMemo(() => mapFrame(nominalBounds(pipeline, catalog)), [pipeline, catalog]);
  const paths = useMemo(() => shapes(pipeline, catalog), [pipeline, catalog]);
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<HTMLDivElement>(null);

  // The view's box follows the viewport: its size changes only with the zoom or the pane's size,
  // and a pan moves it by its transform alone (compositor only, no paint).
  useEffect(() => {
    let size = '';
    const place = () => {
      const el = box.current;
      const { transform: [tx, ty, zoom], width, height } = store.getState();
      if (!el || !zoom) return;
      const w = width / zoom / frame.scale;
      const h = height / zoom / frame.scale;
      const next = `${w.toFixed(1)}x${h.toFixed(1)}`;
      if (next !== size) {
        size = next;
        el.style.width = `${w}px`;
        el.style.height = `${h}px`;
      }
      el.style.transform = `translate(${(-tx / zoom - frame.x) / frame.scale}px, ${(-ty / zoom - frame.y) / frame.scale}px)`;
    };
    place();
    let last = store.getState();
    return store.subscribe((s) => {
      if (s.transform === last.transform && s.width === last.width && s.height === last.height) return;
      last = s;
      place();
    });
  }, [store, frame]);

  // Zoom with the wheel, about the view's centre; passive listeners cannot stop the page scrolling.
  useEffect(() => {
    const el = map.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const zoom = store.getState().transform[2];
      void flow.zoomTo(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom * Math.pow(2, -e.deltaY / 300))));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [store, flow]);

  // Press or drag: the view's centre goes to the pointer.
  const centreAt = (e: ReactPointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const { transform: [, , zoom], width, height } = store.getState();
    const fx = frame.x + (e.clientX - r.left) * frame.scale;
    const fy = frame.y + (e.clientY - r.top) * frame.scale;
    void flow.setViewport({ x: width / 2 - fx * zoom, y: height / 2 - fy * zoom, zoom });
  };

  return (
    <Panel position="bottom-right" className="overview-map">
      <div
        ref={map}
        className="overview-map__frame nopan nowheel"
        role="img"
        aria-label="Overview map"
        data-testid="overview-map"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          centreAt(e);
        }}
        onPointerMove={(e) => {
          if (e.currentTarget.hasPointerCapture(e.pointerId)) centreAt(e);
        }}
      >
        <svg width={WIDTH} height={HEIGHT} viewBox={`${frame.x} ${frame.y} ${WIDTH * frame.scale} ${HEIGHT * frame.scale}`} aria-hidden="true">
          {paths.map((p) => <path key={p.colour} d={p.d} fill={p.colour} />)}
        </svg>
        <div ref={box} className="overview-map__view" data-testid="overview-map-view" />
      </div>
    </Panel>
  );
});
