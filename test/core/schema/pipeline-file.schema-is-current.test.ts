import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyPipeline, parsePipeline, pipelineJsonSchema, serializePipeline } from '../../../core/schema/index.ts';

describe('pipeline file format', () => {
  it('docs/pipeline.schema.json matches the zod schema (run `npm run schema` after changing it)', () => {
    const onDisk = JSON.parse(readFileSync(new URL('../../../docs/pipeline.schema.json', import.meta.url), 'utf8'));
    expect(onDisk).toEqual(pipelineJsonSchema());
  });

  it('serialises with a stable key order, so an unchanged pipeline saves to identical bytes', () => {
    const p = emptyPipeline('demo');
    p.nodes.push({ id: 'load', type: 'data.load_csv', version: 1, params: { path: 'a.csv', delimiter: ',' } });
    p.edges.push({ from: 'load.table', to: 'x.table' });
    p.layout.positions.load = { x: 1, y: 2 };
    const text = serializePipeline(p);
    expect(serializePipeline(parsePipeline(text))).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'version', 'name', 'seed', 'nodes', 'edges', 'layout']);
    expect(text.indexOf('"delimiter"')).toBeLessThan(text.indexOf('"path"'));
  });

  it('refuses a file from a newer version with a clear message', () => {
    expect(() => parsePipeline(JSON.stringify({ format: 'flowline.pipeline', version: 99, nodes: [] }), 'x.flow.json')).toThrow(
      /saved by a newer Flowline \(file version 99; this build reads up to 2\)/,
    );
  });

  it('names the line of a JSON syntax error', () => {
    try {
      parsePipeline('{\n  "format": "flowline.pipeline",\n  "version": 1,,\n}', 'x.flow.json');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('PIPELINE_NOT_JSON');
      expect((e as Error).message).toMatch(/line 3/);
    }
  });

  it('names the path of a schema violation', () => {
    expect(() => parsePipeline(JSON.stringify({ format: 'flowline.pipeline', version: 1, nodes: [{ id: '1bad', type: 'x', version: 1 }] }))).toThrow(/nodes\.0\.id/);
  });
});
