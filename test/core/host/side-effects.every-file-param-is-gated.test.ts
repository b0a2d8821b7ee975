import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sideEffects } from '../../../core/host/side-effects.ts';
import type { Pipeline } from '../../../core/schema/index.ts';
import { paramUi } from '../../../core/spec/define-node.ts';
import { paramsObjectFor } from '../../../core/spec/params.ts';
import { NODES } from '../../../nodes/index.ts';
import { tempDir } from './host-fixtures.ts';

/** Every node of the catalog with a file param, and whether it saves (writes) or opens (reads). */
const FILE_PARAMS = NODES.flatMap((spec) =>
  Object.entries(paramsObjectFor(spec.params)?.shape ?? {}).flatMap(([name, schema]) => {
    const ui = paramUi(schema as never);
    return ui?.widget === 'file' ? [{ spec, name, kind: ui.save ? ('write' as const) : ('read' as const) }] : [];
  }),
);

describe('the trust gate sees every file a node of the catalog reads or writes', () => {
  it('has file params to check (Load and Write nodes, exports)', () => {
    expect(FILE_PARAMS.filter((f) => f.kind === 'write').length).toBeGreaterThanOrEqual(2);
    expect(FILE_PARAMS.filter((f) => f.kind === 'read').length).toBeGreaterThanOrEqual(4);
  });

  it.each(FILE_PARAMS.map((f) => [`${f.spec.type}.${f.name}`, f] as const))('%s outside the pipeline folder needs trust', (_label, { spec, name, kind }) => {
    const pipelineDir = tempDir();
    const outside = join(tempDir(), kind === 'write' ? 'out.bin' : 'in.csv');
    const doc = { format: 'flowline.pipeline', version: 1, name: 't', seed: 1, nodes: [{ id: 'n', type: spec.type, version: spec.version, params: { [name]: outside } }], edges: [], layout: { positions: {}, notes: [], groups: [] } } as unknown as Pipeline;
    const effects = sideEffects(doc, NODES, { pipelineDir });
    expect(effects.map((e) => [e.nodeId, e.kind, e.param])).toEqual([['n', kind, name]]);
    // Inside its folder, the same node needs nothing.
    const inside = { ...doc, nodes: [{ ...doc.nodes[0], params: { [name]: 'inside.bin' } }] } as Pipeline;
    expect(sideEffects(inside, NODES, { pipelineDir })).toEqual([]);
  });
});
