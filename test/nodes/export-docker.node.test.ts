import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../core/export/serving/server/manifest.ts';
import type { ArtifactValue } from '../../core/spec/values.ts';
import { runPipeline } from '../support/run-pipeline.ts';

function pipeline(folder: string, challenger: boolean) {
  return {
    seed: 3,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data.csv' } },
      { id: 'split', type: 'data.split', version: 1, params: { test_fraction: 0.3 } },
      { id: 'ridge', type: 'ml.train', version: 1, params: { target: 'y', learner: 'ridge' } },
      { id: 'tree', type: 'ml.train', version: 1, params: { target: 'y', learner: 'decision_tree', learner_params: { max_depth: 3 } } },
      { id: 'bundle', type: 'export.docker', version: 1, params: { folder, routing: 'canary', challenger_percent: 20 } },
    ],
    edges: [
      { from: 'load.table', to: 'split.table' },
      { from: 'split.train', to: 'ridge.table' },
      { from: 'split.train', to: 'tree.table' },
      { from: 'ridge.model', to: 'bundle.model' },
      { from: 'split.test', to: 'bundle.rows' },
      ...(challenger ? [{ from: 'tree.model', to: 'bundle.challenger' }] : []),
    ],
  };
}

describe('Export Docker node', () => {
  it('writes a regression bundle with a canary challenger from the connected models and held-out rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-export-node-'));
    writeFileSync(join(dir, 'data.csv'), `a,b,y\n${Array.from({ length: 80 }, (_, i) => `${i % 9},${(i * 7) % 5},${(2 * (i % 9) - ((i * 7) % 5) + (i % 3) / 10).toFixed(2)}`).join('\n')}\n`);
    const run = await runPipeline(pipeline('out/bundle', true), { dir });
    const artifact = run.output<ArtifactValue>('bundle', 'bundle');
    expect(artifact).toMatchObject({ kind: 'artifact', format: 'docker-bundle', path: join(dir, 'out/bundle') });
    const manifest = JSON.parse(readFileSync(join(artifact.path, 'flowline-model.json'), 'utf8')) as Manifest;
    expect(manifest.models.map((m) => [m.name, m.role, m.task])).toEqual([['ridge', 'champion', 'regression'], ['tree', 'challenger', 'regression']]);
    expect(manifest.routing).toMatchObject({ mode: 'canary', challengerPercent: 20 });
    expect(manifest.models[0].outputs.map((o) => o.name)).toEqual(['value']);
    expect(manifest.models[0].valueBuckets!.length).toBeGreaterThan(3);
    expect(existsSync(`${artifact.path}.zip`)).toBe(true);
    // The champion's model card is inside the bundle; without gates, metrics or an explanation connected it says so.
    const card = readFileSync(join(artifact.path, 'model-card.md'), 'utf8');
    expect(card).toMatch(/^# Model card: ridge predicting “y”\n\n`bundle\/model\.onnx`/);
    expect(card).toContain('The pipeline declares no gates.');
    expect(card).toContain('No Evaluate metrics were connected to the export.');
    expect(readFileSync(join(artifact.path, 'model-card.html'), 'utf8')).toContain('<h1>Model card: ridge predicting “y”</h1>');
    expect(run.events.some((e) => e.type === 'node:log' && e.nodeId === 'bundle' && /Wrote .*bundle/.test(e.message))).toBe(true);
  }, 60_000);
});
