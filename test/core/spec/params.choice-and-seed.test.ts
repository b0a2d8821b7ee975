import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../core/compile/index.ts';
import { execute } from '../../../core/exec/index.ts';
import { catalogEntry } from '../../../core/host/service/catalog.ts';
import { Pipeline } from '../../../core/schema/index.ts';
import { parseParams } from '../../../core/spec/index.ts';
import { TOY_NODES, toyChoice } from '../../support/toy-nodes.ts';
import { TOY_TASKS } from '../../support/toy-tasks.ts';

const doc = (nodes: unknown[], seed = 42) => Pipeline.parse({ format: 'flowline.pipeline', version: 1, seed, nodes });
const shapeNode = (params: Record<string, unknown>, id = 'shape') => ({ id, type: 'toy.choice', version: 1, params });

describe('params that depend on a choice (a learner and its settings)', () => {
  it('a file that leaves the choice out gets the default option, with its own settings defaulted', () => {
    const r = parseParams(toyChoice.params, {});
    expect(r.success && r.data).toEqual({ shape: 'circle', label: 'x', settings: { radius: 1 } });
    const sq = parseParams(toyChoice.params, { shape: 'square', settings: { side: 3 } });
    expect(sq.success && sq.data).toEqual({ shape: 'square', label: 'x', settings: { side: 3, rounded: false } });
  });

  it("an unknown setting of the chosen option is an error naming node and path, with 'did you mean'", () => {
    const { diagnostics } = compile(doc([shapeNode({ shape: 'square', settings: { sidd: 3 } })]), TOY_NODES);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'UNKNOWN_PARAM', nodeId: 'shape', path: ['settings', 'sidd'] });
    expect(diagnostics[0].message).toBe('Node "shape" (Shape) has no param "settings.sidd".');
    expect(diagnostics[0].hint).toContain('Did you mean "side"?');
  });

  it("a setting of another option is unknown for this one (switching option keeps nothing it doesn't take)", () => {
    const { diagnostics } = compile(doc([shapeNode({ shape: 'circle', settings: { side: 3 } })]), TOY_NODES);
    expect(diagnostics.map((d) => `${d.code} ${d.path?.join('.')}`)).toEqual(['UNKNOWN_PARAM settings.side']);
  });

  it("an out-of-range setting names its path; a misspelt choice gets 'did you mean'", () => {
    const range = compile(doc([shapeNode({ settings: { radius: -1 } })]), TOY_NODES).diagnostics;
    expect(range[0]).toMatchObject({ code: 'INVALID_PARAM', nodeId: 'shape', path: ['settings', 'radius'] });
    const typo = compile(doc([shapeNode({ shape: 'sqaure' })]), TOY_NODES).diagnostics;
    expect(typo[0]).toMatchObject({ code: 'INVALID_PARAM', nodeId: 'shape', path: ['shape'] });
    expect(typo[0].hint).toContain('Did you mean "square"?');
  });

  it("--set reaches into the chosen option's settings and rejects a misspelt one with 'did you mean'", () => {
    const pipeline = doc([shapeNode({ shape: 'square' })]);
    expect(compile(pipeline, TOY_NODES, { set: ['shape.settings.side=5'] }).plan!.nodes[0].params.settings).toEqual({ side: 5, rounded: false });
    const bad = compile(pipeline, TOY_NODES, { set: ['shape.settings.sidee=5'] }).diagnostics;
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ code: 'UNKNOWN_PARAM', nodeId: 'shape' });
    expect(bad[0].message).toContain('"settings" has no "sidee"');
    expect(bad[0].hint).toContain('Did you mean "side"?');
    // switching the choice first makes the other option's settings reachable
    const switched = compile(doc([shapeNode({})]), TOY_NODES, { set: ['shape.shape=square', 'shape.settings.rounded=true'] });
    expect(switched.diagnostics).toEqual([]);
    expect(switched.plan!.nodes[0].params.settings).toEqual({ side: 2, rounded: true });
  });

  it('the catalog JSON Schema is an object with the shared params, plus oneOf per option and a discriminator', () => {
    const entry = catalogEntry(toyChoice);
    const s = entry.paramsSchema as { properties: Record<string, Record<string, unknown>>; oneOf: Record<string, unknown>[]; discriminator: unknown };
    expect(Object.keys(s.properties)).toEqual(['label', 'seed', 'shape', 'settings']);
    expect(s.properties.shape).toMatchObject({ enum: ['circle', 'square'], default: 'circle' });
    expect(s.discriminator).toEqual({ propertyName: 'shape' });
    expect(s.oneOf).toHaveLength(2);
    expect(s.oneOf[1]).toMatchObject({
      title: 'Square',
      properties: { shape: { const: 'square' }, settings: { properties: { side: { default: 2, description: 'Side', minimum: 0 } } } },
    });
    expect(entry.defaults).toEqual({ shape: 'circle', label: 'x', settings: { radius: 1 } });
    expect(entry.paramsUi.seed).toEqual({ advanced: true });
  });
});

describe('a node seed param', () => {
  const run = async (pipeline: Pipeline) => {
    const { plan, diagnostics } = compile(pipeline, TOY_NODES);
    expect(diagnostics).toEqual([]);
    const summary = await execute(plan!, { cacheDir: mkdtempSync(join(tmpdir(), 'flowline-seed-')), pipelineDir: tmpdir(), tasks: TOY_TASKS });
    return summary.nodes.map((n) => (n.outputs?.out?.kind === 'metrics' ? n.outputs.out.values.v : null));
  };

  it("is the run's seed when set, the pipeline's seed when empty, and does not depend on the node id", async () => {
    expect(await run(doc([shapeNode({ seed: 7 }), shapeNode({}, 'other')], 42))).toEqual([7, 42]);
    expect(await run(doc([shapeNode({ seed: 7 }, 'renamed'), shapeNode({}, 'renamed_too')], 42))).toEqual([7, 42]);
  });
});
