import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decoder } from '../../../../core/export/serving/server/decode.ts';
import type { InputColumn, ServedModel } from '../../../../core/export/serving/server/manifest.ts';
import { LoadedModel, type Scored } from '../../../../core/export/serving/server/model.ts';
import { stackInputs } from '../../../../core/export/serving/server/stacked-inputs.ts';
import { itPython, runPython } from '../../../support/python.ts';
import { TINY_INPUTS, tinyRows } from '../../../support/serving.ts';
import { tinyTreeClassifier, tinyTreeProbability, tinyWideTreeRegressor } from '../../../support/tiny-onnx.ts';

const POLICY = { unknownCategory: 'accept' as const, extraFields: 'ignore' as const, maxRows: 10_000 };
const WIDE = 20;
const WIDE_INPUTS: InputColumn[] = Array.from({ length: WIDE }, (_, j) => ({ name: `c${j}`, kind: 'number', onnxType: 'double', sourceType: 'DOUBLE', nullable: true }));

function spec(inputs: InputColumn[], warmup: Record<string, unknown>, classes?: string[]): ServedModel {
  return {
    role: 'champion', name: 'm', version: '1', file: 'model.onnx', sha256: '', task: classes ? 'binary' : 'regression', target: 'y', ...(classes ? { classes } : {}), learner: 'test',
    inputs, outputs: [], metrics: {},
    lineage: { trainNode: 'train', trainedRows: 1, recipe: [], features: [], exportedAt: '', flowlineVersion: '' },
    warmup,
  } as ServedModel;
}

/** Rows around the stumps' thresholds (0 and 1), with -0, missing values and large magnitudes. */
function wideRows(n: number): Record<string, number | null>[] {
  const values = [-1e300, -1, -0, 0, 1e-300, 0.5, 1, 1.0000000000000002, 7, null];
  return Array.from({ length: n }, (_, r) => Object.fromEntries(WIDE_INPUTS.map((c, j) => [c.name, values[(r * 7 + j * 3) % values.length]])));
}

/** The model as exported, run by onnxruntime with one [N, 1] tensor per column: the yardstick. */
async function asExported(bytes: Uint8Array, inputs: InputColumn[], rows: Record<string, unknown>[]): Promise<Record<string, unknown[]>> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of inputs) {
    feeds[c.name] = c.onnxType === 'double'
      ? new ort.Tensor('float64', Float64Array.from(rows, (row) => (row[c.name] === null ? NaN : typeof row[c.name] === 'boolean' ? Number(row[c.name]) : (row[c.name] as number))), [rows.length, 1])
      : new ort.Tensor('string', rows.map((row) => row[c.name] as string), [rows.length, 1]);
  }
  const out = await session.run(feeds);
  return Object.fromEntries(Object.entries(out).map(([name, t]) => [name, bitsOf(t.data as ArrayLike<unknown>)]));
}

/** Values with doubles as their bit patterns, so -0 and NaN payloads count. */
function bitsOf(data: ArrayLike<unknown>): unknown[] {
  if (data instanceof Float64Array) return Array.from(new BigUint64Array(data.buffer, data.byteOffset, data.length));
  if (data instanceof Float32Array) return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
  return Array.from(data);
}

const outputsOf = (s: Scored) => Object.fromEntries(s.outputs.map((o) => [o.name, bitsOf(o.data as ArrayLike<unknown>)]));

describe('the bundle server feeds numeric columns that meet in a Concat as one tensor', () => {
  it('scores a 20-column tree model through one [N, 20] input, with the bits of the model as exported', async () => {
    const bytes = tinyWideTreeRegressor(WIDE);
    const rows = wideRows(40);
    const model = await LoadedModel.load(spec(WIDE_INPUTS, rows[0]), bytes, POLICY, 1, 256);
    await model.warmUp();
    expect(model.feeds).toEqual([{ name: 'c0_to_c19_stacked', columns: Array.from({ length: WIDE }, (_, j) => j) }]);
    // run through onnxruntime-node's native binding; the yardstick below goes through its public API
    expect(model.runsVia).toBe('native');

    const decoder = new Decoder(WIDE_INPUTS, POLICY);
    const whole = await model.score(decoder.fromRecords(rows, 'rows'));
    const expected = await asExported(bytes, WIDE_INPUTS, rows);
    expect(outputsOf(whole)).toEqual(expected);
    // and the stumps' own sums: c0 <= 0 → 1 else 2; c19 <= 1 → 10 else 20 (a missing value goes right)
    const stump = (v: number | null, t: number, lo: number, hi: number) => (v !== null && v <= t ? lo : hi);
    expect(whole.predictions).toEqual(rows.map((row) => stump(row.c0, 0, 1, 2) + stump(row.c19, 1, 10, 20)));

    // one request a row, scored concurrently (micro-batched): the same bits again
    const single = await Promise.all(rows.map((row) => model.score(decoder.fromRecords([row], 'row'))));
    expect(model.runs).toBeLessThan(rows.length + 2);
    expect(single.flatMap((s) => bitsOf(s.outputs[0].data as Float64Array))).toEqual(expected.value);
  });

  it('stacks the numeric run of a Concat that also joins an encoded text column, and keeps the text input', async () => {
    const bytes = tinyTreeClassifier();
    const rows = tinyRows(30);
    const model = await LoadedModel.load(spec(TINY_INPUTS, rows[0], ['no', 'yes']), bytes, POLICY, 1, 256);
    expect(model.runsVia).toBe('native');
    expect(model.feeds).toEqual([
      { name: 'color', columns: [2] },
      { name: 'x_to_flag_stacked', columns: [0, 1] },
    ]);
    const scored = await model.score(new Decoder(TINY_INPUTS, POLICY).fromRecords(rows, 'rows'));
    expect(outputsOf(scored)).toEqual(await asExported(bytes, TINY_INPUTS, rows));
    rows.forEach((row, r) => expect((scored.probabilities as Float64Array)[2 * r + 1]).toBe(tinyTreeProbability(row)));
  });

  it('keeps a column that another node also reads as its own input, and stacks the rest of the run', () => {
    const { onnx } = onnxProto;
    const withReader = (columns: number, reads: string) => {
      const m = onnx.ModelProto.decode(tinyWideTreeRegressor(columns));
      m.graph!.node!.push({ opType: 'Identity', input: [reads], output: ['also'], domain: '' });
      m.graph!.output!.push({ name: 'also', type: { tensorType: { elemType: onnx.TensorProto.DataType.DOUBLE, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } });
      return onnx.ModelProto.encode(m).finish();
    };
    expect(stackInputs(withReader(4, 'c1'))!.stacks).toEqual([{ name: 'c2_to_c3_stacked', columns: ['c2', 'c3'] }]);
    expect(stackInputs(withReader(3, 'c1'))).toBeNull();
    expect(stackInputs(new TextEncoder().encode('not a model'))).toBeNull();
  });

  itPython('onnx', 'the stacked model passes onnx.checker.check_model(full_check=True) with one double [N, 20] input', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'flowline-stacked-')), 'stacked.onnx');
    writeFileSync(file, stackInputs(tinyWideTreeRegressor(WIDE))!.bytes);
    const inputs = runPython<[string, number, (string | number)[]][]>(
      `import json, sys, onnx
m = onnx.load(${JSON.stringify(file)})
onnx.checker.check_model(m, full_check=True)
print(json.dumps([[i.name, i.type.tensor_type.elem_type, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]] for i in m.graph.input]))`,
    );
    expect(inputs).toEqual([['c0_to_c19_stacked', onnxProto.onnx.TensorProto.DataType.DOUBLE, ['N', WIDE]]]);
  });
});
