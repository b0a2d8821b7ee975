import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../core/host/service/methods.ts';
import { MAX_PARAM_DEPTH } from '../../../core/schema/pipeline.ts';

/** A pipeline (as parsed JSON) with one param nested `depth` objects deep. */
function pipelineNested(depth: number) {
  const text = JSON.stringify({ format: 'flowline.pipeline', version: 1, nodes: [{ id: 'load', type: 'data.load_csv', version: 1, params: { path: 'a.csv', column_types: '__DEEP__' } }] });
  return JSON.parse(text.replace('"__DEEP__"', '{"a":'.repeat(depth) + '1' + '}'.repeat(depth))) as unknown;
}

// Over the studio's WebSocket a pipeline is parsed, then saved, autosaved and hashed by recursive
// walks (JSON.stringify overflows near 5,000 levels): the studio's autosave of such a document
// failed with "Maximum call stack size exceeded". The file format now refuses it by name.
describe('params nested past the depth limit are refused when the call is validated', () => {
  for (const method of ['savePipeline', 'autosave', 'run'] as const) {
    it(`${method}: INVALID_PARAM naming the node and the param`, () => {
      const p = pipelineNested(20_000);
      const args = method === 'run' ? [{ pipeline: p }] : method === 'autosave' ? ['studio', p] : ['x.flow.json', p];
      expect(() => parseArgs(method, args)).toThrow(`node "load" param "column_types" is nested more than ${MAX_PARAM_DEPTH} levels deep`);
    });
  }

  it('nesting up to the limit is accepted', () => {
    expect(() => parseArgs('autosave', ['studio', pipelineNested(MAX_PARAM_DEPTH - 1)])).not.toThrow();
  });
});
