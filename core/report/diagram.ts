/**
 * The pipeline as an SVG diagram, laid out from the positions saved in the file (the canvas the
 * analyst arranged), with each node's title, id and run status, its edges and sticky notes. A node
 * without a saved position is placed by its depth in the graph, so a hand-written file draws too.
 * An edge Tidy routed follows its lane between the cards, as on the canvas.
 */
import { roundedPath, routeThrough, type Point } from '../schema/route-path.ts';
import { esc } from './html.ts';

export interface DiagramNode {
  id: string;
  title: string;
  category: string;
  x?: number;
  y?: number;
  /** done, cached, error, skipped... (absent: not run). */
  status?: string;
}

export interface Diagram {
  nodes: DiagramNode[];
  /** `lane`: Tidy's route between the two cards (layout.routes), when it still holds. */
  edges: { from: string; to: string; lane?: Point[] }[];
  notes: { text: string; x: number; y: number; width?: number }[];
}

const W = 220;
const H = 58;
const PAD = 24;
/** Left stripe colour per catalog category (the studio's palette groups). */
const CATEGORY_COLOURS: Record<string, string> = {
  Sources: '#2f7fd8', Clean: '#1f9d8b', Features: '#3aa14a', Split: '#6b7785', Train: '#d9822b', Tune: '#d9822b',
  Evaluate: '#8c5bb5', Explain: '#c23f7a', Export: '#5b6b8c', Utility: '#6b7785',
};
const STATUS_COLOURS: Record<string, string> = { done: '#2e8540', cached: '#2e8540', error: '#c7362f', cancelled: '#a86200', skipped: '#98a2b3' };

/** Positions for every node: saved ones as they are, the rest by depth (columns) and order (rows). */
function place(d: Diagram): Map<string, { x: number; y: number }> {
  const at = new Map<string, { x: number; y: number }>();
  for (const n of d.nodes) if (n.x !== undefined && n.y !== undefined) at.set(n.id, { x: n.x, y: n.y });
  const missing = d.nodes.filter((n) => !at.has(n.id));
  if (missing.length === 0) return at;
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen = new Set<string>()): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const ups = d.edges.filter((e) => e.to === id).map((e) => depthOf(e.from, seen) + 1);
    const v = Math.max(0, ...ups);
    depth.set(id, v);
    return v;
  };
  const bottom = Math.max(-Infinity, ...[...at.values()].map((p) => p.y));
  const top = Number.isFinite(bottom) ? bottom + 2 * H + PAD : 0;
  const rows = new Map<number, number>();
  for (const n of missing) {
    const col = depthOf(n.id);
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    at.set(n.id, { x: col * (W + 60), y: top + row * (H + 40) });
  }
  return at;
}

const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

/** Wrap a note's text into lines of about `chars` characters. */
function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function diagramSvg(d: Diagram): string {
  const at = place(d);
  const notes = d.notes.map((n) => {
    const width = n.width ?? 220;
    const lines = wrap(n.text, Math.max(10, Math.floor((width - 16) / 6.2)));
    return { ...n, width, lines, height: 16 + lines.length * 15 };
  });
  const xs = [...[...at.values()].flatMap((p) => [p.x, p.x + W]), ...notes.flatMap((n) => [n.x, n.x + n.width])];
  const ys = [...[...at.values()].flatMap((p) => [p.y, p.y + H]), ...notes.flatMap((n) => [n.y, n.y + n.height])];
  if (xs.length === 0) return '';
  const x0 = Math.min(...xs) - PAD, y0 = Math.min(...ys) - PAD;
  const width = Math.max(...xs) + PAD - x0, height = Math.max(...ys) + PAD - y0;
  const parts: string[] = [];
  for (const n of notes) {
    parts.push(
      `<g class="diagram__note"><rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="4"/>${n.lines
        .map((l, i) => `<text x="${n.x + 8}" y="${n.y + 18 + i * 15}">${esc(l)}</text>`)
        .join('')}</g>`,
    );
  }
  for (const e of d.edges) {
    const a = at.get(e.from), b = at.get(e.to);
    if (!a || !b) continue;
    // Forward: right side to left side. Back to an earlier column (a wrapped row): bottom to top,
    // so the curve does not sweep across the whole diagram.
    const forward = b.x >= a.x + W - 10;
    // The canvas's cards are at least as wide and tall as these, at the same corners, so a lane
    // that cleared them clears these too.
    const path = e.lane
      ? roundedPath(routeThrough({ x: a.x + W, y: a.y + H / 2 }, e.lane, { x: b.x, y: b.y + H / 2 }))
      : forward
      ? (() => {
          const sx = a.x + W, sy = a.y + H / 2, tx = b.x, ty = b.y + H / 2;
          const bend = Math.max(30, (tx - sx) / 2);
          return `M${sx},${sy} C${sx + bend},${sy} ${tx - bend},${ty} ${tx},${ty}`;
        })()
      : (() => {
          const sx = a.x + W / 2, sy = a.y + H, tx = b.x + W / 2, ty = b.y;
          const bend = Math.max(30, Math.abs(ty - sy) / 2);
          return `M${sx},${sy} C${sx},${sy + bend} ${tx},${ty - bend} ${tx},${ty}`;
        })();
    parts.push(`<path class="diagram__edge" data-edge="${esc(`${e.from}->${e.to}`)}" d="${path}"/>`);
  }
  for (const n of d.nodes) {
    const p = at.get(n.id)!;
    const stripe = CATEGORY_COLOURS[n.category] ?? '#6b7785';
    const status = n.status ? `<circle cx="${p.x + W - 14}" cy="${p.y + 14}" r="5" fill="${STATUS_COLOURS[n.status] ?? '#98a2b3'}"><title>${esc(n.status)}</title></circle>` : '';
    parts.push(
      `<g class="diagram__node${n.status === 'error' ? ' diagram__node--error' : ''}" data-node="${esc(n.id)}">` +
        `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6"/>` +
        `<rect class="diagram__stripe" x="${p.x}" y="${p.y}" width="5" height="${H}" rx="2" style="fill:${stripe}"/>` +
        `<text class="diagram__title" x="${p.x + 14}" y="${p.y + 24}">${esc(cut(n.title, 24))}</text>` +
        `<text class="diagram__sub" x="${p.x + 14}" y="${p.y + 43}">${esc(cut(n.id, 30))}${n.status ? ` · ${esc(n.status)}` : ''}</text>${status}</g>`,
    );
  }
  return `<svg class="diagram" viewBox="${x0} ${y0} ${width} ${height}" role="img" aria-label="Pipeline diagram">${parts.join('')}</svg>`;
}
