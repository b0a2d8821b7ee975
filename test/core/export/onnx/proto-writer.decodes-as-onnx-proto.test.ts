/**
 * The graph's nodes are written by our own protobuf writer (proto-writer.ts); onnx-proto, the
 * library the rest of the model goes through, must read back exactly what it would have written:
 * every attribute kind, negative and large int64s, -0 and tiny floats, the empty string a missing
 * category maps to, non-ASCII names, and lists long enough that their length prefixes take 3 and
 * 4 bytes. Python's onnx package (another protobuf implementation) must read it the same.
 */
import onnxProto from 'onnx-proto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itPython, runPython } from '../../../support/python.ts';
import { flt, floats, int, ints, OnnxGraph, str, strs, tensor } from '../../../../core/export/onnx/graph.ts';
import { TARGETS } from '../../../../core/export/onnx/target.ts';

const { onnx } = onnxProto;
const META = { producerVersion: '0.0.0-test', docString: 'doc', metadata: { target: 'y', 'clé': 'valeur' }, graphName: 'g' };

/** A graph exercising every attribute kind the exporter writes. */
function graph(): OnnxGraph {
  const g = new OnnxGraph(TARGETS.default);
  const x = g.input('x', 'double', ['N', 3]);
  const big = Int32Array.from({ length: 300_000 }, (_, i) => (i % 7 === 0 ? 0 - i : i * 977));
  const [y] = g.ml('TreeEnsembleRegressor', [x], {
    nodes_treeids: ints(big),
    nodes_nodeids: ints([0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 40)]),
    nodes_modes: strs(['BRANCH_LEQ', 'LEAF', '', 'BRANCH_LEQ', 'é日本']),
    nodes_values_as_tensor: { t: tensor.double([0.5, -0, 1e-300, Number.MAX_VALUE]) },
    target_weights: floats(Float64Array.from({ length: 70_000 }, (_, i) => (i % 3 ? i / 7 : -0))),
    n_targets: int(-3),
    aggregate_function: str('SUM'),
    post_transform: str(''),
    tiny: flt(1e-45),
  });
  const c = g.constant(tensor.int64([1, -2, 3]), 'shape');
  g.output('value', g.op('Reshape', [y, c]), 'double', ['N']);
  return g;
}

/** The model onnx-proto decodes, as plain JSON (int64s as strings, bytes as base64). */
const decoded = (bytes: Uint8Array) => onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: String, bytes: String, defaults: false });

describe('ONNX nodes written by proto-writer', () => {
  it('decode with onnx-proto to exactly the attributes, names and lists given', () => {
    const model = decoded(graph().encode(META));
    const [tree, reshape, identity] = model.graph.node;
    expect(tree.opType).toBe('TreeEnsembleRegressor');
    expect(tree.domain).toBe('ai.onnx.ml');
    const attr = Object.fromEntries(tree.attribute.map((a: { name: string }) => [a.name, a]));
    expect(attr.nodes_treeids.ints.map(Number)).toEqual(Array.from({ length: 300_000 }, (_, i) => (i % 7 === 0 ? 0 - i : i * 977)));
    expect(attr.nodes_nodeids.ints).toEqual(['0', '1', '127', '128', '16383', '16384', '2147483648', '9007199254740991', '-1', '-1099511627776']);
    expect(attr.nodes_modes.strings.map((b: string) => Buffer.from(b, 'base64').toString('utf8'))).toEqual(['BRANCH_LEQ', 'LEAF', '', 'BRANCH_LEQ', 'é日本']);
    expect(Array.from(new Float64Array(new Uint8Array(Buffer.from(attr.nodes_values_as_tensor.t.rawData, 'base64')).buffer))).toEqual([0.5, -0, 1e-300, Number.MAX_VALUE]);
    const weights: number[] = attr.target_weights.floats;
    expect(weights.length).toBe(70_000);
    expect(weights.every((w, i) => Object.is(w, Math.fround(i % 3 ? i / 7 : -0)))).toBe(true);
    expect(attr.n_targets.i).toBe('-3');
    expect(attr.tiny.f).toBe(Math.fround(1e-45));
    expect(Buffer.from(attr.post_transform.s, 'base64').toString()).toBe('');
    expect(attr.n_targets.type).toBe(onnx.AttributeProto.AttributeType.INT);
    expect(reshape.opType).toBe('Reshape');
    expect(reshape.domain ?? '').toBe('');
    expect(identity.opType).toBe('Identity');
    expect(model.graph.output.map((o: { name: string }) => o.name)).toEqual(['value']);
    expect(model.graph.initializer.map((t: { name: string }) => t.name)).toHaveLength(1);
    expect(model.metadataProps).toEqual([
      { key: 'target', value: 'y' },
      { key: 'clé', value: 'valeur' },
    ]);
  });

  itPython('onnx', "read the same in Python's onnx package (another protobuf implementation)", () => {
    const g = graph();
    const dir = mkdtempSync(join(tmpdir(), 'flowline-proto-writer-'));
    const file = join(dir, 'model.onnx');
    writeFileSync(file, g.encode(META));
    const script = `
import json, sys, onnx
m = onnx.load(json.load(sys.stdin))
n = m.graph.node[0]
a = {x.name: x for x in n.attribute}
print(json.dumps({
  "ops": [x.op_type for x in m.graph.node], "domains": [x.domain for x in m.graph.node],
  "treeids": [len(a["nodes_treeids"].ints), sum(a["nodes_treeids"].ints)],
  "nodeids": list(a["nodes_nodeids"].ints),
  "modes": [s.decode("utf8") for s in a["nodes_modes"].strings],
  "weights": [len(a["target_weights"].floats), sum(a["target_weights"].floats)],
  "n_targets": a["n_targets"].i, "post": a["post_transform"].s.decode(),
  "meta": {p.key: p.value for p in m.metadata_props},
}))`;
    const got = runPython<Record<string, unknown>>(script, file);
    const treeids = Array.from({ length: 300_000 }, (_, i) => (i % 7 === 0 ? 0 - i : i * 977));
    const weights = Array.from({ length: 70_000 }, (_, i) => Math.fround(i % 3 ? i / 7 : -0));
    expect(got.ops).toEqual(['TreeEnsembleRegressor', 'Reshape', 'Identity']);
    expect(got.domains).toEqual(['ai.onnx.ml', '', '']);
    expect(got.treeids).toEqual([300_000, treeids.reduce((s, v) => s + v, 0)]);
    expect(got.nodeids).toEqual([0, 1, 127, 128, 16_383, 16_384, 2 ** 31, 2 ** 53 - 1, -1, -(2 ** 40)]);
    expect(got.modes).toEqual(['BRANCH_LEQ', 'LEAF', '', 'BRANCH_LEQ', 'é日本']);
    expect((got.weights as number[])[0]).toBe(70_000);
    expect((got.weights as number[])[1]).toBeCloseTo(weights.reduce((s, v) => s + v, 0), 0);
    expect(got.n_targets).toBe(-3);
    expect(got.post).toBe('');
    expect(got.meta).toEqual({ target: 'y', clé: 'valeur' });
  });
});
