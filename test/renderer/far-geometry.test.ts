/**
 * The far-zoom picture's geometry (renderer/src/canvas/far-geometry.ts), with no DOM: the keyboard's
 * reading order and arrow-key neighbours, and the Shift-drag box, checked against xyflow's own
 * selection test (getNodesInside, which its box runs over the nodes it renders) on random layouts.
 */
import { describe, expect, it } from 'vitest';
import { getNodesInside } from '@xyflow/system';
import type { Edge, InternalNode, Node } from '@xyflow/react';
import { neighbour, nodeBox, readingOrder, selectedByBox } from '../../renderer/src/canvas/far-geometry.ts';
import { nominalCard } from '../../renderer/src/canvas/card-geometry.ts';
import { catalogEntry } from '../../core/host/service/catalog.ts';
import { NODES } from '../../nodes/index.ts';

const spec = catalogEntry(NODES.find((s) => s.type === 'data.select_columns')!);
const card = (id: string, x: number, y: number, extra: Partial<Node> = {}): Node => ({
  id, type: 'card', position: { x, y }, data: { node: { id, type: spec.type, params: {} }, spec }, ...extra,
});
/** Rows of `cols` cards, 280 apart across and 170 down, as a laid-out pipeline. */
const grid = (n: number, cols: number) => Array.from({ length: n }, (_, i) => card(`c${i}`, (i % cols) * 280, Math.floor(i / cols) * 170));

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('far-zoom keyboard order', () => {
  it('reads cards row by row, left to right, even when a row is laid a few pixels crooked', () => {
    const nodes = [card('b', 300, 12), card('a', 0, 0), card('c', 600, -8), card('d', 0, 170), card('e', 300, 160)];
    expect(readingOrder(nodes)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('leaves notes and group frames out of the card order', () => {
    const nodes = [card('a', 0, 0), { id: 'note:n', type: 'note', position: { x: -500, y: -500 }, data: {}, width: 200, height: 120 }];
    expect(readingOrder(nodes)).toEqual(['a']);
  });

  it('moves with the arrow keys to the nearest card that way, the same row or column before a nearer diagonal one', () => {
    const nodes = grid(60, 20);
    expect(neighbour(nodes, 'c21', 'right')).toBe('c22');
    expect(neighbour(nodes, 'c21', 'left')).toBe('c20');
    expect(neighbour(nodes, 'c21', 'up')).toBe('c1');
    expect(neighbour(nodes, 'c21', 'down')).toBe('c41');
    expect(neighbour(nodes, 'c0', 'left'), 'at the edge').toBeUndefined();
    expect(neighbour(nodes, 'c0', 'up'), 'at the edge').toBeUndefined();
    // A card straight right but far, and one nearer but well below: the row wins.
    const sparse = [card('o', 0, 0), card('far', 900, 0), card('diag', 280, 400)];
    expect(neighbour(sparse, 'o', 'right')).toBe('far');
    // Nothing within 45°: the nearest ahead at all.
    expect(neighbour([card('o', 0, 0), card('low', 300, 900)], 'o', 'right')).toBe('low');
  });
});

describe('far-zoom selection box', () => {
  it('sizes an unmeasured card by its declared size and a measured one as measured', () => {
    expect(nodeBox(card('a', 10, 20, { initialWidth: 220, initialHeight: nominalCard(spec).height }))).toEqual({ x: 10, y: 20, width: 220, height: 85 });
    expect(nodeBox(card('a', 10, 20))).toEqual({ x: 10, y: 20, width: 220, height: 85 });
    expect(nodeBox(card('a', 10, 20, { measured: { width: 220, height: 91 } })).height).toBe(91);
  });

  it('selects exactly the nodes xyflow\'s own box would, and the edges touching them', () => {
    const next = random(7);
    for (let round = 0; round < 50; round++) {
      const nodes: Node[] = Array.from({ length: 80 }, (_, i) => card(`c${i}`, Math.round(next() * 3000), Math.round(next() * 2000), next() < 0.3 ? { measured: { width: 220, height: 85 + Math.round(next() * 40) } } : { initialWidth: 220, initialHeight: 85 }));
      nodes.push({ id: 'note:n', type: 'note', position: { x: 400, y: 300 }, data: {}, width: 200, height: 120 });
      nodes.push({ id: 'group:g', type: 'group-box', position: { x: 0, y: 0 }, data: {}, width: 5000, height: 5000, selectable: false });
      const edges: Edge[] = nodes.slice(1, 80).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
      const box = { x: next() * 2000, y: next() * 1500, width: 200 + next() * 1500, height: 150 + next() * 1000 };
      // xyflow's view of the same nodes: measured as it would have them, every card's handles known.
      const lookup = new Map(nodes.map((n) => {
        const b = nodeBox(n);
        const internal = { ...n, measured: { width: b.width, height: b.height }, internals: { positionAbsolute: n.position, handleBounds: { source: [], target: [] }, z: 0, userNode: n } };
        return [n.id, internal as unknown as InternalNode];
      }));
      const theirs = getNodesInside(lookup, box, [0, 0, 1], false, true).map((n) => n.id).sort();
      const ours = selectedByBox(nodes, edges, box);
      expect(ours.nodes.sort(), `round ${round}`).toEqual(theirs);
      const chosen = new Set(theirs);
      expect(ours.edges.sort()).toEqual(edges.filter((e) => chosen.has(e.source) || chosen.has(e.target)).map((e) => e.id).sort());
    }
  });

  it('selects a card only when the box holds all of it', () => {
    const nodes = [card('in', 100, 100), card('edge', 400, 100)];
    expect(selectedByBox(nodes, [], { x: 90, y: 90, width: 530, height: 100 }).nodes).toEqual(['in', 'edge']);
    expect(selectedByBox(nodes, [], { x: 90, y: 90, width: 529, height: 100 }).nodes).toEqual(['in']);
  });
});
