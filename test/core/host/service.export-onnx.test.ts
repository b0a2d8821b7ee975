/** The studio's Export: FlowlineApi.exportOnnx through the real service, engines and worker pool. */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../core/host/registry/model-registry.ts';
import { createService } from '../../../core/host/service.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { readModelInfo } from '../../../core/export/onnx/score.ts';
import type { RunEvent } from '../../../core/host/api.ts';
import { Pipeline } from '../../../core/schema/pipeline.ts';
import { NODES } from '../../../nodes/index.ts';
import { tempDir } from './host-fixtures.ts';

const TEMPLATES = join(import.meta.dirname, '..', '..', '..', 'templates');
const cwd = mkdtempSync(join(tmpdir(), 'flowline-studio-'));
const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web', cwd });
afterAll(() => service.dispose());

/** The penguins template in a folder of its own, with a smaller forest (the test is about export). */
function penguins(): { path: string; pipeline: Pipeline } {
  const dir = mkdtempSync(join(cwd, 'penguins-'));
  cpSync(join(TEMPLATES, 'data'), join(dir, 'data'), { recursive: true });
  const doc = JSON.parse(readFileSync(join(TEMPLATES, 'penguins-species.flow.json'), 'utf8'));
  doc.nodes.find((n: { id: string }) => n.id === 'train').params.learner_params = { n_estimators: 20 };
  const path = join(dir, 'penguins.flow.json');
  writeFileSync(path, JSON.stringify(doc));
  return { path, pipeline: Pipeline.parse(doc) };
}

describe('exportOnnx (studio)', () => {
  it('runs to the Evaluate node, exports the Train model verified on its held-out birds and writes it beside the pipeline', async () => {
    const { path, pipeline } = penguins();
    const events: RunEvent[] = [];
    const off = service.onEvent((e) => events.push(e));
    const r = await service.exportOnnx({ pipeline, path, nodeId: 'train' });
    off();
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ ok: true, target: 'default', opset: 17, mlOpset: 3, task: 'multiclass', file: join(path, '..', 'train.onnx') });
    expect(r.verification).toMatchObject({ passed: true, rowSource: "held-out rows scored by 'evaluate' (from 'split')" });
    expect(r.verification!.labelsAgree).toBe(r.verification!.rows);
    expect(r.verification!.missingRows).toBeGreaterThan(0);
    expect(r.verification!.unseenRows).toBeGreaterThan(0);
    expect(r.inputs!.map((i) => i.name)).toEqual(['island', 'beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex']);
    expect(readModelInfo(readFileSync(r.file!)).metrics?.nodeId).toBe('evaluate');
    // a normal run whose id comes back, so the studio shows it on the canvas
    expect(r.runId).toBeDefined();
    expect(events.filter((e) => e.runId === r.runId).map((e) => e.type)).toEqual(expect.arrayContaining(['run:start', 'run:end']));
    // registered in the model registry beside the pipeline, with that run as its lineage
    const versions = await new ModelRegistry(join(path, '..', '.flowline', 'models')).list();
    expect(versions.map((v) => [v.id, v.stage, v.kind, v.exportedTo, v.lineage.runId])).toEqual([['v1', 'candidate', 'onnx', r.file, r.runId]]);
    // its model card beside it, as flowline export onnx writes one, and linked from the Models view
    const card = readFileSync(join(path, '..', 'train.card.md'), 'utf8');
    expect(card).toContain(`- Run: ${r.runId}`);
    expect(card).toContain(versions[0].lineage.pipeline.hash);
    expect((await service.listModels(path)).versions[0].card).toBe(join(path, '..', 'train.card.html'));
  });

  it('refuses a place the studio may not write, and an unknown node, as results (nothing written)', async () => {
    const { path, pipeline } = penguins();
    const outside = await service.exportOnnx({ pipeline, path, nodeId: 'train', out: '/etc/flowline-test.onnx' });
    expect(outside).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    expect(existsSync('/etc/flowline-test.onnx')).toBe(false);
    const unknown = await service.exportOnnx({ pipeline, path, nodeId: 'nope' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_NODE', nodeId: 'nope' } });
  });
});
