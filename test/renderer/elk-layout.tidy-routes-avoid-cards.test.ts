/**
 * Tidy's layout (renderer/src/lib/elk-layout.ts), run here with elkjs on this thread instead of the
 * studio's worker: on every shipped template, cards go left to right, and each edge drawn along its
 * route from handle to handle passes through no card but its own two. Notes keep their place
 * beside their card.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { parsePipeline } from '../../core/schema/index.ts';
import { splitEndpoint, type Pipeline } from '../../core/schema/pipeline.ts';
import { edgeId } from '../../renderer/src/lib/graph.ts';
import { roundedPath, routeThrough, type Point } from '../../core/schema/route-path.ts';
import { elkLayout, notesFollow } from '../../renderer/src/lib/elk-layout.ts';
import { declaredCard } from '../../renderer/src/canvas/card-geometry.ts';
import { catalogEntry } from '../../core/host/service/catalog.ts';
import { NODES } from '../../nodes/index.ts';

const TEMPLATES = new URL('../../templates/', import.meta.url).pathname;
const elk = new ELK({ algorithms: ['layered'] });
const layout = (g: Parameters<typeof elk.layout>[0]) => elk.layout(g);
const CARD = { width: 220, height: 110 };

/** Each node type's card as the canvas declares it before measuring: its size, its handles as ports. */
const cardOf = (type: string) => declaredCard(catalogEntry(NODES.find((s) => s.type === type)!));

/** Does the segment a→b pass through the inside of the box (shrunk by 2 px)? Axis-parallel segments only, as routes are. */
function crosses(a: Point, b: Point, box: Point, size = CARD): boolean {
  const [x0, x1, y0, y1] = [box.x + 2, box.x + size.width - 2, box.y + 2, box.y + size.height - 2];
  if (Math.abs(a.y - b.y) < 0.5) return a.y > y0 && a.y < y1 && Math.max(a.x, b.x) > x0 && Math.min(a.x, b.x) < x1;
  if (Math.abs(a.x - b.x) < 0.5) return a.x > x0 && a.x < x1 && Math.max(a.y, b.y) > y0 && Math.min(a.y, b.y) < y1;
  throw new Error(`a diagonal run from (${a.x}, ${a.y}) to (${b.x}, ${b.y})`);
}

const templates = readdirSync(TEMPLATES).filter((f) => f.endsWith('.flow.json'));

describe('Tidy with ELK', () => {
  it.each(templates)('%s: left to right, and no edge runs through a card', async (name) => {
    const p: Pipeline = parsePipeline(readFileSync(join(TEMPLATES, name), 'utf8'), name);
    const { positions, routes } = await elkLayout(p, () => CARD, layout);
    expect(Object.keys(positions).sort()).toEqual(p.nodes.map((n) => n.id).sort());
    for (const e of p.edges) {
      const [a, b] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
      expect(positions[a].x, `${a} left of ${b}`).toBeLessThan(positions[b].x);
      expect(routes[edgeId(e)], edgeId(e)).toMatchObject({ from: positions[a], to: positions[b] });
    }
    expect(await throughCards(p)).toEqual([]);
  });

  it.each(templates)('%s: with the cards\' handles known, every edge leaves and enters its lane at its handles', async (name) => {
    const p: Pipeline = parsePipeline(readFileSync(join(TEMPLATES, name), 'utf8'), name);
    const cards = new Map(p.nodes.map((n) => [n.id, cardOf(n.type)]));
    const { positions, routes } = await elkLayout(p, (id) => cards.get(id), layout);
    for (const e of p.edges) {
      const [from, to] = [splitEndpoint(e.from), splitEndpoint(e.to)];
      const lane = routes[edgeId(e)].points;
      const handleY = (node: string, side: 'in' | 'out', port: string) => positions[node].y + cards.get(node)!.handles!.find((h) => h.side === side && h.id === port)!.y;
      expect(lane[0], `${edgeId(e)} leaves at ${e.from}`).toEqual({ x: positions[from.node].x + cards.get(from.node)!.width, y: handleY(from.node, 'out', from.port) });
      expect(lane.at(-1), `${edgeId(e)} enters at ${e.to}`).toEqual({ x: positions[to.node].x, y: handleY(to.node, 'in', to.port) });
      for (const [id, box] of Object.entries(positions)) {
        if (id === from.node || id === to.node) continue;
        expect(lane.some((q, i) => i > 0 && crosses(lane[i - 1], q, box, cards.get(id)!)), `${edgeId(e)} through ${id}`).toBe(false);
      }
    }
  });

  it('a note moves with the card nearest to it, keeping its offset', () => {
    const p = parsePipeline(readFileSync(join(TEMPLATES, 'fraud-detection.flow.json'), 'utf8'), 'fraud');
    const positions = Object.fromEntries(p.nodes.map((n, i) => [n.id, { x: i * 1000, y: 500 }]));
    const notes = notesFollow(p, positions);
    p.layout.notes.forEach((n, i) => {
      const nearest = Object.entries(p.layout.positions).reduce((a, b) => (dist(b[1], n) < dist(a[1], n) ? b : a))[0];
      expect(notes[i].x - positions[nearest].x).toBe(n.x - p.layout.positions[nearest].x);
      expect(notes[i].y - positions[nearest].y).toBe(n.y - p.layout.positions[nearest].y);
    });
    function dist(q: Point, n: { x: number; y: number; width?: number; height?: number }) {
      return Math.hypot(q.x + 110 - n.x - (n.width ?? 200) / 2, q.y + 55 - n.y - (n.height ?? 120) / 2);
    }
  });

  it('a route leaves and enters at the handles, steps to the lane just outside the cards, stays axis-parallel, and has rounded corners', () => {
    // ELK's lane: leaves the source's side at y 30, bends at x 50, meets the target's side at y 200.
    const lane = [{ x: 0, y: 30 }, { x: 50, y: 30 }, { x: 50, y: 200 }, { x: 100, y: 200 }];
    expect(routeThrough({ x: 0, y: 30 }, lane, { x: 100, y: 200 })).toEqual(lane);
    // Handles 20 px higher on both cards: a step of 12 px beside each card, the lane untouched between.
    const path = routeThrough({ x: 0, y: 10 }, lane, { x: 100, y: 180 });
    expect(path).toEqual([{ x: 0, y: 10 }, { x: 12, y: 10 }, { x: 12, y: 30 }, { x: 50, y: 30 }, { x: 50, y: 200 }, { x: 88, y: 200 }, { x: 88, y: 180 }, { x: 100, y: 180 }]);
    expect(roundedPath([{ x: 0, y: 10 }, { x: 50, y: 10 }, { x: 50, y: 190 }, { x: 100, y: 190 }], 10)).toBe('M 0 10 L 40 10 Q 50 10 50 20 L 50 180 Q 50 190 60 190 L 100 190');
  });

  it('a pipeline past 100 nodes (the faster node placement) routes no edge through a card either', async () => {
    const t = parsePipeline(readFileSync(join(TEMPLATES, 'fraud-detection.flow.json'), 'utf8'), 'fraud');
    const p: Pipeline = { ...t, nodes: [], edges: [], layout: { positions: {}, notes: [], groups: [] } };
    for (let c = 0; c < 20; c++) {
      p.nodes.push(...t.nodes.map((n) => ({ ...n, id: `c${c}_${n.id}` })));
      p.edges.push(...t.edges.map((e) => ({ from: `c${c}_${e.from}`, to: `c${c}_${e.to}` })));
      if (c > 0) p.edges.push({ from: `c${c - 1}_split.test`, to: `c${c}_unlabelled.table` }, { from: `c${c - 1}_split.train`, to: `c${c}_evaluate.table` });
    }
    expect(p.nodes.length).toBeGreaterThan(100);
    expect(await throughCards(p)).toEqual([]);
  });
});

/** Every "edge through card" of `p` laid out by Tidy, each edge drawn from handle to handle along its route. */
async function throughCards(p: Pipeline): Promise<string[]> {
  const { positions, routes } = await elkLayout(p, () => CARD, layout);
  const bad: string[] = [];
  for (const e of p.edges) {
    const [a, b] = [splitEndpoint(e.from).node, splitEndpoint(e.to).node];
    // From a handle on the source's right side to one on the target's left side (a third of the way down).
    const path = routeThrough({ x: positions[a].x + CARD.width, y: positions[a].y + 37 }, routes[edgeId(e)].points, { x: positions[b].x, y: positions[b].y + 37 });
    for (const [id, box] of Object.entries(positions)) {
      if (id !== a && id !== b && path.some((q, i) => i > 0 && crosses(path[i - 1], q, box))) bad.push(`${edgeId(e)} through ${id}`);
    }
  }
  return bad;
}
