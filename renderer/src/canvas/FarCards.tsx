/**
 * A big pipeline's cards at the farthest zoom step, drawn as one picture (as FlatEdges draws its
 * edges): one SVG inside xyflow's viewport, a few paths (card boxes, one per category colour, one per
 * port colour, one per status) and one <text> per title. xyflow is given only the cards a user is
 * touching (far-cards.ts: the one under the pointer, the selected, the dragged), so panning or
 * auto-panning mounts and unmounts no card: before, about 35 cards mounted and 35 unmounted on each
 * auto-pan frame at 1,000 nodes, each one React work, style, layout and paint. The picture follows
 * the light card of that step (NodeCard, styles.css): the box with its category-coloured top, the
 * title large on one line, the handles, the problem dot, the status strip's colour. It is redrawn
 * only when a drawn card changes (moved, edited, selected, its run status) and never by a pan.
 */
import { memo, useMemo } from 'react';
import { ViewportPortal, type Node } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useRunStore, type NodeRunState } from '../store/use-run-store.ts';
import { CATEGORY_COLOR, PORT_COLOR } from '../lib/colors.ts';
import { CARD_WIDTH, nominalCard } from './card-geometry.ts';
import type { CardData } from './NodeCard.tsx';

/** From this many cards on, the farthest zoom step draws them as one picture. */
export const FAR_CARDS_FROM = 300;

/** The light card's title (styles.css `.canvas--zoom-farther .card::after`): 40 px bold, 8 px in from the border. */
const TITLE_FONT_PX = 40;
const TITLE_INSET = 9;
const TITLE_ROOM = CARD_WIDTH - 2 * TITLE_INSET;
const STRIP = 21; // the status strip: 20 px and its 1 px top border

/** What the status strip shows at this zoom: its background colour only (its text is hidden). */
type Strip = 'error' | 'warned' | 'running' | '';
const stripOf = (s: NodeRunState | undefined): Strip =>
  !s ? '' : s.status === 'error' ? 'error' : s.status === 'running' ? 'running' : (s.status === 'done' || s.status === 'cached') && s.warnings?.length ? 'warned' : '';

/** A title cut to the card's width, as the card's ::after clips it: whole letters only (measured once per distinct title). */
const fitted = new Map<string, string>();
let measure: CanvasRenderingContext2D | null | undefined;
function fitTitle(title: string): string {
  const known = fitted.get(title);
  if (known !== undefined) return known;
  if (measure === undefined) {
    measure = document.createElement('canvas').getContext('2d');
    if (measure) measure.font = `700 ${TITLE_FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  }
  let n = title.length;
  while (measure && n > 1 && measure.measureText(title.slice(0, n).trimEnd()).width > TITLE_ROOM) n--;
  const out = title.slice(0, n).trimEnd();
  fitted.set(title, out);
  return out;
}

interface Layers {
  boxes: string;
  unknown: string;
  tops: Map<string, string[]>;
  handles: Map<string, string[]>;
  strips: Map<Strip, string[]>;
  problems: string[];
  titles: { id: string; x: number; y: number; text: string }[];
}

const push = <K,>(m: Map<K, string[]>, k: K, d: string) => {
  const list = m.get(k);
  if (list) list.push(d);
  else m.set(k, [d]);
};
const rect = (x: number, y: number, w: number, h: number) => `M${x},${y}h${w}v${h}h${-w}Z`;

function layersOf(cards: Node[], strips: Record<string, Strip>): Layers {
  const boxes: string[] = [];
  const unknown: string[] = [];
  const out: Layers = { boxes: '', unknown: '', tops: new Map(), handles: new Map(), strips: new Map(), problems: [], titles: [] };
  for (const n of cards) {
    const { node, spec, problem } = n.data as CardData;
    const { x, y } = n.position;
    const { height, handles } = nominalCard(spec);
    // The 1 px border (half a pixel in, as a stroke), and the status strip's top border.
    (spec ? boxes : unknown).push(`${rect(x + 0.5, y + 0.5, CARD_WIDTH - 1, height - 1)}M${x},${y + height - STRIP + 0.5}h${CARD_WIDTH}`);
    push(out.tops, spec ? CATEGORY_COLOR[spec.category] : '#999', rect(x, y, CARD_WIDTH, 4));
    const strip = strips[n.id];
    if (strip) push(out.strips, strip, rect(x + 1, y + height - STRIP + 1, CARD_WIDTH - 2, STRIP - 2));
    for (const h of handles) {
      const port = (h.type === 'target' ? spec?.inputs : spec?.outputs)?.find((p) => p.name === h.id);
      push(out.handles, port ? PORT_COLOR[port.type] : '#999', rect(x + h.x, y + h.y, h.width ?? 10, h.height ?? 10));
    }
    // The problem dot, 16 px, where the light head shows it (left, in the head's padding).
    if (problem) out.problems.push(`M${x + 25},${y + 15.5}a8,8 0 1,0 -0.01,0Z`);
    // The title, centred in the card above its status strip (the ::after box starts under the 4 px top).
    out.titles.push({ id: n.id, x: x + TITLE_INSET, y: y + 4 + (height - 5 - STRIP) / 2, text: fitTitle(node.title ?? spec?.title ?? node.type) });
  }
  out.boxes = boxes.join('');
  out.unknown = unknown.join('');
  return out;
}

export const FarCards = memo(function FarCards({ cards }: { cards: Node[] }) {
  // The strips' colours alone, compared entry by entry, so a progress tick of a running card does not redraw the picture.
  const strips = useRunStore(
    useShallow((s) => {
      const out: Record<string, Strip> = {};
      for (const id in s.nodes) {
        const strip = stripOf(s.nodes[id]);
        if (strip) out[id] = strip;
      }
      return out;
    }),
  );
  const [live, disabled] = useMemo(() => {
    const off = cards.filter((n) => (n.data as CardData).node.disabled);
    return [layersOf(off.length ? cards.filter((n) => !(n.data as CardData).node.disabled) : cards, strips), off.length ? layersOf(off, strips) : undefined];
  }, [cards, strips]);
  return (
    <ViewportPortal>
      <svg className="far-cards" data-testid="far-cards" data-cards={cards.length}>
        <Picture layers={live} />
        {disabled && (
          <g opacity={0.5}>
            <Picture layers={disabled} />
          </g>
        )}
      </svg>
    </ViewportPortal>
  );
});

const Picture = memo(function Picture({ layers }: { layers: Layers }) {
  return (
    <>
      <path className="far-cards__box" d={layers.boxes} />
      {layers.unknown && <path className="far-cards__box far-cards__box--unknown" d={layers.unknown} />}
      {[...layers.strips].map(([strip, ds]) => (
        <path key={strip} className={`far-cards__strip far-cards__strip--${strip}`} d={ds.join('')} />
      ))}
      {[...layers.tops].map(([colour, ds]) => (
        <path key={colour} d={ds.join('')} fill={colour} />
      ))}
      {[...layers.handles].map(([colour, ds]) => (
        <path key={colour} d={ds.join('')} fill={colour} />
      ))}
      {layers.problems.length > 0 && <path className="far-cards__problem" d={layers.problems.join('')} />}
      {layers.titles.map((t) => (
        <text key={t.id} data-id={t.id} x={t.x} y={t.y}>
          {t.text}
        </text>
      ))}
    </>
  );
});
