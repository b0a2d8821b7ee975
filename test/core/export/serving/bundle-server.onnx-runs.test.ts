import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { Decoder } from '../../../../core/export/serving/server/decode.ts';
import type { ServedModel } from '../../../../core/export/serving/server/manifest.ts';
import { LoadedModel } from '../../../../core/export/serving/server/model.ts';
import { createSession } from '../../../../core/export/serving/server/onnx-session.ts';
import { TINY_INPUTS, tinyRows } from '../../../support/serving.ts';
import { tinyClassifier, tinyTreeClassifier } from '../../../support/tiny-onnx.ts';

const POLICY = { unknownCategory: 'accept' as const, extraFields: 'ignore' as const, maxRows: 10_000 };
const OPTIONS = { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' as const, graphOptimizationLevel: 'all' as const };

function spec(): ServedModel {
  return {
    role: 'champion', name: 'tiny', version: '1', file: 'model.onnx', sha256: '', task: 'binary', target: 'bought', classes: ['no', 'yes'], learner: 'test',
    inputs: TINY_INPUTS, outputs: [], metrics: {},
    lineage: { trainNode: 'train', trainedRows: 1, recipe: [], features: [], exportedAt: '', flowlineVersion: '' },
    warmup: tinyRows(1)[0],
  };
}

describe('onnxruntime runs and the scoring time limit', () => {
  it('the native binding answers with the bits of onnxruntime-node’s public API, text outputs included', async () => {
    const rows = tinyRows(25);
    for (const bytes of [tinyClassifier(), tinyTreeClassifier()]) {
      const native = await createSession(bytes, OPTIONS);
      const api = await createSession(bytes, OPTIONS, false);
      expect([native.via, api.via]).toEqual(['native', 'public']);
      expect(native.inputNames).toEqual(api.inputNames);
      expect(native.outputNames).toEqual(api.outputNames);
      const feeds = {
        x: new ort.Tensor('float64', Float64Array.from(rows, (r) => r.x), [rows.length, 1]),
        flag: new ort.Tensor('float64', Float64Array.from(rows, (r) => Number(r.flag)), [rows.length, 1]),
        color: new ort.Tensor('string', rows.map((r) => r.color), [rows.length, 1]),
      };
      const fetches = Object.fromEntries(api.outputNames.map((n) => [n, null]));
      const a = await native.run(feeds, fetches);
      const b = await api.run(feeds, fetches);
      for (const name of api.outputNames) {
        expect(a[name].type).toBe(b[name].type);
        expect(a[name].dims).toEqual(b[name].dims);
        const bits = (t: ort.Tensor) => (t.data instanceof Float64Array ? Array.from(new BigUint64Array(t.data.buffer, t.data.byteOffset, t.data.length)) : Array.from(t.data as ArrayLike<unknown>));
        expect(bits(a[name])).toEqual(bits(b[name]));
      }
    }
  });

  it('eight requests queued in one turn of the event loop share one onnxruntime run of eight rows', async () => {
    const model = await LoadedModel.load(spec(), tinyTreeClassifier(), POLICY, 1, 256);
    await model.warmUp();
    const runRows: number[] = [];
    model.onRun = (rows) => runRows.push(rows);
    const decoder = new Decoder(TINY_INPUTS, POLICY);
    const answers = await Promise.all(tinyRows(8).map((row) => model.score(decoder.fromRecords([row], 'the row'))));
    expect(runRows).toEqual([8]);
    expect(answers.map((a) => a.predictions[0])).toHaveLength(8);
  });

  it('a request still waiting past its time limit is answered 503 TIMEOUT and never scored, batched or alone', async () => {
    for (const batchRows of [256, 1]) {
      const model = await LoadedModel.load(spec(), tinyTreeClassifier(), POLICY, 1, batchRows);
      await model.warmUp();
      const runRows: number[] = [];
      model.onRun = (rows) => runRows.push(rows);
      const decoder = new Decoder(TINY_INPUTS, POLICY);
      const [late, onTime] = await Promise.allSettled([
        model.score(decoder.fromRecords(tinyRows(1), 'the row'), performance.now() - 1),
        model.score(decoder.fromRecords(tinyRows(2), 'the rows'), performance.now() + 60_000),
      ]);
      expect(late.status).toBe('rejected');
      expect((late as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: 'TIMEOUT' });
      expect(onTime.status).toBe('fulfilled');
      expect(runRows).toEqual([2]);
    }
  });
});
