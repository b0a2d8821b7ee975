import { describe, expect, it } from 'vitest';
import { compile } from '../../../core/compile/index.ts';
import { Pipeline } from '../../../core/schema/index.ts';
import { NODES } from '../../../nodes/index.ts';
import { TOY_NODES } from '../../support/toy-nodes.ts';

const doc = (nodes: unknown[], edges: unknown[] = []) => Pipeline.parse({ format: 'flowline.pipeline', version: 1, nodes, edges });

describe('compile', () => {
  it('orders nodes topologically and fills param defaults', () => {
    const { plan, diagnostics } = compile(
      doc(
        [
          { id: 'sum', type: 'toy.add', version: 1, params: {} },
          { id: 'one', type: 'toy.constant', version: 1, params: { value: 3 } },
        ],
        [{ from: 'one.out', to: 'sum.a' }],
      ),
      TOY_NODES,
    );
    expect(diagnostics).toEqual([]);
    expect(plan!.nodes.map((n) => n.id)).toEqual(['one', 'sum']);
    expect(plan!.nodes[1].params).toEqual({ plus: 0, fail: false, sleepMs: 0 });
    expect(plan!.nodes[1].inputs).toEqual({ a: [{ node: 'one', port: 'out' }] });
  });

  it('reports a cycle, a type-mismatched edge and an out-of-range param together, each with its node id', () => {
    const { plan, diagnostics } = compile(
      doc(
        [
          { id: 'c', type: 'toy.constant', version: 1, params: { value: 1000 } },
          { id: 'x', type: 'toy.add', version: 1, params: {} },
          { id: 'y', type: 'toy.add', version: 1, params: {} },
          { id: 'sink', type: 'toy.table_sink', version: 1, params: {} },
        ],
        [
          { from: 'x.out', to: 'y.a' },
          { from: 'y.out', to: 'x.a' },
          { from: 'c.out', to: 'sink.table' },
        ],
      ),
      TOY_NODES,
    );
    expect(plan).toBeNull();
    const byCode = Object.fromEntries(diagnostics.map((d) => [d.code, d]));
    expect(byCode.CYCLE.message).toMatch(/x → y → x|y → x → y/);
    expect(byCode.PORT_TYPE_MISMATCH.nodeId).toBe('sink');
    expect(byCode.PORT_TYPE_MISMATCH.message).toContain('metrics output to a table input');
    expect(byCode.INVALID_PARAM.nodeId).toBe('c');
    expect(byCode.INVALID_PARAM.path).toEqual(['value']);
    expect(byCode.INVALID_PARAM.message).toMatch(/param "value".*100/);
    // sink's table input is wired (to the wrong type), so no separate missing-input noise is expected
    expect(diagnostics.filter((d) => d.code === 'CYCLE')).toHaveLength(1);
  });

  it('says a param left out is required, in plain words', () => {
    const { diagnostics } = compile(doc([{ id: 'load', type: 'data.load_csv', version: 1, params: {} }]), NODES);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'INVALID_PARAM', nodeId: 'load', path: ['path'] });
    expect(diagnostics[0].message).toBe('Node "load" (Load CSV) needs param "path".');
  });

  it('names unknown node types with a suggestion, unknown params, missing inputs and duplicate ids', () => {
    const { diagnostics } = compile(
      doc([
        { id: 'a', type: 'toy.constnat', version: 1, params: {} },
        { id: 'b', type: 'toy.add', version: 1, params: { plsu: 1 } },
        { id: 'b', type: 'toy.constant', version: 1, params: {} },
      ]),
      TOY_NODES,
    );
    const codes = diagnostics.map((d) => `${d.code}:${d.nodeId}`);
    expect(codes).toContain('UNKNOWN_NODE_TYPE:a');
    expect(diagnostics.find((d) => d.code === 'UNKNOWN_NODE_TYPE')!.hint).toContain('toy.constant');
    expect(codes).toContain('DUPLICATE_NODE_ID:b');
    expect(codes).toContain('UNKNOWN_PARAM:b');
  });

  it('applies --set overrides and rejects ones naming an unknown node or param', () => {
    const pipeline = doc([{ id: 'one', type: 'toy.constant', version: 1, params: { value: 3 } }]);
    expect(compile(pipeline, TOY_NODES, { set: ['one.value=7'] }).plan!.nodes[0].params.value).toBe(7);
    const bad = compile(pipeline, TOY_NODES, { set: ['two.value=1', 'one.nope=1', 'novalue'] }).diagnostics;
    expect(bad.map((d) => d.code).sort()).toEqual(['BAD_SET', 'UNKNOWN_NODE', 'UNKNOWN_PARAM']);
    expect(bad.find((d) => d.code === 'UNKNOWN_PARAM')!.hint).toContain('value');
  });

  it('--to keeps only the node and its ancestors', () => {
    const pipeline = doc(
      [
        { id: 'one', type: 'toy.constant', version: 1, params: {} },
        { id: 'two', type: 'toy.constant', version: 1, params: {} },
        { id: 'left', type: 'toy.add', version: 1, params: {} },
        { id: 'right', type: 'toy.add', version: 1, params: {} },
      ],
      [
        { from: 'one.out', to: 'left.a' },
        { from: 'two.out', to: 'right.a' },
      ],
    );
    expect(compile(pipeline, TOY_NODES, { to: 'left' }).plan!.nodes.map((n) => n.id)).toEqual(['one', 'left']);
    expect(compile(pipeline, TOY_NODES, { to: 'nowhere' }).diagnostics[0].code).toBe('UNKNOWN_NODE');
  });
});
