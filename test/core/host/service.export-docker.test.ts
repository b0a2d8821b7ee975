import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { createService, type FlowlineService } from '../../../core/host/service.ts';
import { parseArgs } from '../../../core/host/service/methods.ts';
import { ModelRegistry } from '../../../core/host/registry/model-registry.ts';
import { readModelInfo } from '../../../core/export/onnx/score.ts';
import { NODES } from '../../../nodes/index.ts';
import { tempDir } from './host-fixtures.ts';

let services: FlowlineService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  services = [];
});

/** A saved pipeline (load → split → Gaussian NB → Evaluate) and a service to export it with. */
async function savedPipeline(): Promise<{ dir: string; path: string; service: FlowlineService }> {
  const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web' });
  services.push(service);
  const dir = tempDir();
  writeFileSync(join(dir, 'data.csv'), `a,b,kind\n${Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 5},${(i % 7) + ((i * 3) % 5) > 5 ? 'big' : 'small'}`).join('\n')}\n`);
  const path = join(dir, 'kinds.flow.json');
  await service.savePipeline(path, {
    format: 'flowline.pipeline',
    version: 1,
    name: 'kinds',
    seed: 1,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data.csv' } },
      { id: 'split', type: 'data.split', version: 1, params: { test_fraction: 0.25 } },
      { id: 'train', type: 'ml.train', version: 1, params: { target: 'kind', learner: 'gaussian_nb' } },
      { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
    ],
    edges: [
      { from: 'load.table', to: 'split.table' },
      { from: 'split.train', to: 'train.table' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'split.test', to: 'evaluate.table' },
    ],
  } as never);
  return { dir, path, service };
}

describe('exportDocker (the studio Export dialog\'s Docker option)', () => {
  it('writes the bundle of a saved pipeline\'s Train node in the worker pool, the folder relative to the pipeline', async () => {
    const { dir, path, service } = await savedPipeline();
    const summary = await service.exportDocker({ path, node: 'train', out: 'bundle', unknownCategory: 'reject' });
    expect(summary.dir).toBe(join(dir, 'bundle'));
    expect(summary.zip).toBe(join(dir, 'bundle.zip'));
    expect(summary.models).toEqual([{ name: 'kinds-train', version: expect.stringMatching(/^[0-9a-f]{12}$/), role: 'champion', task: 'binary', heldOut: "held-out rows scored by 'evaluate' (from 'split')", verification: expect.objectContaining({ passed: true, rowSource: "held-out rows scored by 'evaluate' (from 'split')" }) }]);
    // the dialog's report: every held-out row (15 of 60) and the missing/unseen probes, labels all agreeing
    const v = summary.models[0].verification!;
    expect(v.heldOutRows).toBe(15);
    expect(v.labelsAgree).toBe(v.rows);
    expect(v.missingRows).toBeGreaterThan(0);
    expect(summary.files).toContain('Dockerfile');
    expect(existsSync(join(dir, 'bundle', 'server.js'))).toBe(true);
    // registered in the model registry beside the pipeline, the export's run as its lineage
    const [version] = await new ModelRegistry(join(dir, '.flowline', 'models')).list();
    expect(version).toMatchObject({ id: 'v1', stage: 'candidate', kind: 'docker-bundle', exportedTo: join(dir, 'bundle'), lineage: { runId: expect.stringMatching(/^run-/), data: [expect.objectContaining({ path: 'data.csv' })] } });
    expect(existsSync(join(dir, '.flowline', 'models', 'v1', version.file))).toBe(true);
    // the model card is inside the bundle, as the Export Docker node writes it: the run, the Evaluate's figures
    const card = readFileSync(join(dir, 'bundle', 'model-card.md'), 'utf8');
    expect(card).toContain(version.lineage.runId!);
    expect(card).toContain('From node `evaluate`');
    expect(summary.files).toEqual(expect.arrayContaining(['model-card.md', 'model-card.html']));
    // the call is parsed like every other one: an unknown routing is refused before it runs
    expect(() => parseArgs('exportDocker', [{ path, node: 'train', out: 'b', routing: 'sometimes' }])).toThrow(/argument 0.routing/);
  }, 60_000);

  it('--exact (the dialog\'s Exact target) writes the bundle\'s model.onnx for the exact target: opset 21, ai.onnx.ml 5', async () => {
    const { dir, path, service } = await savedPipeline();
    await service.exportDocker({ path, node: 'train', out: 'exact-bundle', exact: true });
    const info = readModelInfo(readFileSync(join(dir, 'exact-bundle', 'model.onnx')));
    expect(info).toMatchObject({ target: 'exact', opset: 21, mlOpset: 5 });
    const manifest = JSON.parse(readFileSync(join(dir, 'exact-bundle', 'flowline-model.json'), 'utf8'));
    expect(manifest.models[0].onnx).toMatchObject({ target: 'exact', opset: 21 });
  }, 60_000);
});
