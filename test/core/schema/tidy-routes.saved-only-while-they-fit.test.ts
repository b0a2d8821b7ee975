/**
 * Tidy's edge routes (layout.routes) in the saved file: a route is written only while it can be
 * drawn — its edge is there and both its nodes stand where Tidy put them — and a saved file reads
 * back with them unchanged.
 */
import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, parsePipeline, serializePipeline, type Pipeline } from '../../../core/schema/index.ts';

function tidied(): Pipeline {
  return {
    format: 'flowline.pipeline',
    version: CURRENT_VERSION,
    name: 'routes',
    seed: 42,
    nodes: ['load', 'split', 'train', 'evaluate'].map((id) => ({ id, type: 'data.load_csv', version: 1, params: {} })),
    edges: [{ from: 'load.table', to: 'split.table' }, { from: 'split.train', to: 'train.table' }, { from: 'split.test', to: 'evaluate.table' }],
    layout: {
      positions: { load: { x: 0, y: 0 }, split: { x: 300, y: 0 }, train: { x: 600, y: 0 }, evaluate: { x: 900, y: 0 } },
      notes: [],
      groups: [],
      routes: {
        'load.table->split.table': { points: [{ x: 220, y: 40 }, { x: 300, y: 40 }], from: { x: 0, y: 0 }, to: { x: 300, y: 0 } },
        'split.train->train.table': { points: [{ x: 520, y: 40 }, { x: 600, y: 40 }], from: { x: 300, y: 0 }, to: { x: 600, y: 0 } },
        'split.test->evaluate.table': { points: [{ x: 520, y: 70 }, { x: 560, y: 70 }, { x: 560, y: -40 }, { x: 860, y: -40 }, { x: 860, y: 70 }, { x: 900, y: 70 }], from: { x: 300, y: 0 }, to: { x: 900, y: 0 } },
      },
    },
  } as Pipeline;
}

describe('Tidy routes in the file', () => {
  it('a saved file reads back with every route that still fits', () => {
    const p = tidied();
    expect(parsePipeline(serializePipeline(p)).layout.routes).toEqual(p.layout.routes);
  });

  it('a route whose node moved, or whose edge is gone, is not written; the others are', () => {
    const p = tidied();
    p.layout.positions.evaluate = { x: 900, y: 200 };
    p.edges = p.edges.filter((e) => e.to !== 'train.table');
    const routes = parsePipeline(serializePipeline(p)).layout.routes;
    expect(Object.keys(routes ?? {})).toEqual(['load.table->split.table']);
    // The document in memory keeps them: undoing the move would bring the route back.
    expect(Object.keys(p.layout.routes ?? {})).toHaveLength(3);
  });

  it('no route left: no routes key at all', () => {
    const p = tidied();
    p.layout.positions.split = { x: 310, y: 0 };
    p.layout.positions.evaluate = { x: 0, y: 300 };
    expect(JSON.parse(serializePipeline(p)).layout).not.toHaveProperty('routes');
  });
});
