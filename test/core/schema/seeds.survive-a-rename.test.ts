import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateDocument, parsePipeline, type Pipeline } from '../../../core/schema/index.ts';
import { deriveSeed } from '../../../core/spec/index.ts';
import { pipelineResults } from '../../support/pipeline-results.ts';

const dir = new URL('../../fixtures/pipelines-v1/', import.meta.url).pathname;
const pinned = JSON.parse(readFileSync(join(dir, 'metrics-before-seed-params.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const v1 = (file: string) => readFileSync(join(dir, file), 'utf8');

/** The same pipeline with every node renamed (edges and layout follow). */
function renamed(p: Pipeline, rename: (id: string) => string): Pipeline {
  const end = (e: string) => rename(e.slice(0, e.lastIndexOf('.'))) + e.slice(e.lastIndexOf('.'));
  return {
    ...p,
    nodes: p.nodes.map((n) => ({ ...n, id: rename(n.id) })),
    edges: p.edges.map((e) => ({ from: end(e.from), to: end(e.to) })),
    layout: { ...p.layout, positions: Object.fromEntries(Object.entries(p.layout.positions).map(([id, at]) => [rename(id), at])) },
  };
}
const suffix = (id: string) => `${id}_renamed`;
const original = (id: string) => id.replace(/_renamed$/, '');

describe('seeds belong to nodes, not to node ids', () => {
  it('version 1 → 2 writes into each random node the seed it used (pipeline seed mixed with its id), and only there', () => {
    const doc = migrateDocument({
      format: 'flowline.pipeline',
      version: 1,
      seed: 7,
      nodes: [
        { id: 'split', type: 'data.split', version: 1, params: {} },
        { id: 'train', type: 'ml.train', version: 1, params: { seed: 3 } },
        { id: 'te', type: 'prep.encode', version: 1, params: { method: 'target' } },
        { id: 'oh', type: 'prep.encode', version: 1, params: { method: 'onehot' } },
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'a.csv' } },
      ],
    });
    expect(doc.version).toBe(2);
    expect((doc.nodes as { params: Record<string, unknown> }[]).map((n) => n.params.seed)).toEqual([deriveSeed(7, 'split'), 3, deriveSeed(7, 'te'), undefined, undefined]);
  });

  it('a migrated version 1 file gives its old numbers even after every node is renamed', async () => {
    const migrated = parsePipeline(v1('stochastic-nodes.flow.json'));
    expect(await pipelineResults(renamed(migrated, suffix), dir, original)).toEqual(pinned['stochastic-nodes.flow.json']);
  });

  it('in a current file, renaming every node leaves every metric and prediction bit-identical', async () => {
    // the same random nodes, with no seed of their own: they all take the pipeline's seed
    const migrated = parsePipeline(v1('stochastic-nodes.flow.json'));
    const current: Pipeline = { ...migrated, nodes: migrated.nodes.map(({ params: { seed: _seed, ...params }, ...n }) => ({ ...n, params })) };
    const before = await pipelineResults(current, dir);
    expect(before).not.toEqual(pinned['stochastic-nodes.flow.json']); // the seeds did change, so the check below means something
    expect(await pipelineResults(renamed(current, suffix), dir, original)).toEqual(before);
  });
});
