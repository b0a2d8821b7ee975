import onnxProto from 'onnx-proto';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../../core/export/serving/bundle.ts';
import { Decoder } from '../../../../core/export/serving/server/decode.ts';
import type { ServedModel } from '../../../../core/export/serving/server/manifest.ts';
import { LoadedModel, type Scored } from '../../../../core/export/serving/server/model.ts';
import { graphOps, whyNotBatchable } from '../../../../core/export/serving/server/row-independent.ts';
import { post, startServer, TINY_INPUTS, tinyModel, tinyRows, type RunningServer, type TinyRow } from '../../../support/serving.ts';
import { tinyClassifier, tinyRegressorOfOneRow, tinyTreeClassifier, tinyTreeProbability } from '../../../support/tiny-onnx.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLICY = { unknownCategory: 'accept' as const, extraFields: 'ignore' as const, maxRows: 10_000 };

function spec(name: string): ServedModel {
  return {
    role: 'champion', name, version: '1', file: 'model.onnx', sha256: '', task: 'binary', target: 'bought', classes: ['no', 'yes'], learner: 'test',
    inputs: TINY_INPUTS, outputs: [], metrics: {},
    lineage: { trainNode: 'train', trainedRows: 1, recipe: [], features: [], exportedAt: '', flowlineVersion: '' },
    warmup: tinyRows(1)[0],
  };
}

async function loaded(onnx: Uint8Array, batchRows: number): Promise<{ model: LoadedModel; runRows: number[] }> {
  const model = await LoadedModel.load(spec('tiny'), onnx, POLICY, 1, batchRows);
  await model.warmUp();
  const runRows: number[] = [];
  model.onRun = (rows) => runRows.push(rows);
  return { model, runRows };
}

const decoder = new Decoder(TINY_INPUTS, POLICY);
const batchOf = (rows: TinyRow[]) => decoder.fromRecords(rows, 'the test rows');
/** What a caller sees of a Scored: every output's shape and values, and the per-row predictions. */
const seen = (s: Scored) => ({ predictions: s.predictions, outputs: s.outputs.map((o) => ({ name: o.name, shape: o.shape, data: Array.from(o.data as ArrayLike<number | string>) })) });

describe('micro-batching in the bundle server', () => {
  it('reads the operators of a model file as onnx-proto decodes them, and batches only row-independent graphs', () => {
    for (const bytes of [tinyClassifier(), tinyTreeClassifier()]) {
      const decoded = onnxProto.onnx.ModelProto.decode(bytes).graph!.node!.map((n) => ({ opType: n.opType, domain: n.domain ?? '', subgraph: false }));
      expect(graphOps(bytes)).toEqual(decoded);
    }
    expect(whyNotBatchable(graphOps(tinyTreeClassifier()))).toBeNull();
    expect(whyNotBatchable(graphOps(tinyClassifier()))).toMatch(/uses MatMul/);
    expect(whyNotBatchable(graphOps(new TextEncoder().encode('not a model')))).toMatch(/could not be read/);
  });

  it('scores N concurrent requests in fewer runs than N, each with the same answer as N sequential ones', async () => {
    const { model, runRows } = await loaded(tinyTreeClassifier(), 256);
    expect(model.notBatched).toBeNull();
    const requests = Array.from({ length: 24 }, (_, i) => tinyRows(1 + (i % 3), i * 7));
    const sequential: Scored[] = [];
    for (const rows of requests) sequential.push(await model.score(batchOf(rows)));
    expect(runRows.length).toBe(requests.length);

    runRows.length = 0;
    const concurrent = await Promise.all(requests.map((rows) => model.score(batchOf(rows))));
    expect(runRows.length).toBeLessThan(requests.length);
    expect(runRows.reduce((a, b) => a + b, 0)).toBe(requests.reduce((a, r) => a + r.length, 0));
    expect(concurrent.map(seen)).toEqual(sequential.map(seen));
    // and both are the trees' own answer
    requests.forEach((rows, i) => rows.forEach((row, r) => expect((concurrent[i].probabilities as Float64Array)[2 * r + 1]).toBe(tinyTreeProbability(row))));
  });

  it('never puts more than FLOWLINE_BATCH_ROWS rows in one run, and a request as large runs alone', async () => {
    const { model, runRows } = await loaded(tinyTreeClassifier(), 8);
    const sizes = [5, 5, 3, 8, 2, 2, 2, 2, 1];
    const requests = sizes.map((n, i) => tinyRows(n, i * 11));
    const answers = await Promise.all(requests.map((rows) => model.score(batchOf(rows))));
    // the 8-row request runs alone; the queue in order: [5] (5 + 5 > 8), [5, 3], [2, 2, 2, 2], [1]
    expect([...runRows].sort((a, b) => a - b)).toEqual([1, 5, 8, 8, 8]);
    answers.forEach((a, i) => expect(a.predictions).toEqual(requests[i].map((row) => (tinyTreeProbability(row) > 0.5 ? 'yes' : 'no'))));
  });

  it('scores a model with exp-like operators one request per run, so its answers never depend on a batch', async () => {
    const { model, runRows } = await loaded(tinyClassifier(), 256);
    expect(model.notBatched).toMatch(/uses MatMul/);
    await Promise.all(Array.from({ length: 10 }, (_, i) => model.score(batchOf(tinyRows(1, i)))));
    expect(runRows).toEqual(Array(10).fill(1));
  });

  it('a request whose rows fail a shared run fails alone: the others are scored again one per run and answered', async () => {
    const { model, runRows } = await loaded(tinyTreeClassifier(), 256);
    // onnxruntime refusing one request's data, as a runtime fault would
    const session = Reflect.get(model, 'session') as { run: (feeds: Record<string, { data: ArrayLike<number> }>, ...rest: unknown[]) => unknown };
    const run = session.run.bind(session);
    session.run = (feeds, ...rest) => (Object.values(feeds).some((t) => Array.from(t.data).includes(999)) ? Promise.reject(new Error('poisoned row')) : run(feeds, ...rest));
    const requests = Array.from({ length: 5 }, (_, i) => tinyRows(1, i));
    requests[2][0].x = 999;
    const outcomes = await Promise.allSettled(requests.map((rows) => model.score(batchOf(rows))));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/poisoned row/);
    outcomes.forEach((o, i) => o.status === 'fulfilled' && expect(o.value.predictions).toEqual([tinyTreeProbability(requests[i][0]) > 0.5 ? 'yes' : 'no']));
    // the shared run failed before counting; then five runs of one row, four of them answered
    expect(runRows).toEqual([1, 1, 1, 1]);
  });

  it('a model that cannot score two rows in one run still serves, one request per run', async () => {
    const inputs = [{ name: 'x', kind: 'number' as const, onnxType: 'double' as const, nullable: false }];
    const model = await LoadedModel.load({ ...spec('one_row'), task: 'regression', classes: undefined, inputs, warmup: { x: 1 } }, tinyRegressorOfOneRow(), POLICY, 1, 256);
    await model.warmUp();
    expect(model.notBatched).toMatch(/cannot score two rows in one run/);
    const one = new Decoder(inputs, POLICY);
    const answers = await Promise.all([1, 2, 3].map((x) => model.score(one.fromRecords([{ x }], 'the row'))));
    expect(answers.map((a) => a.predictions)).toEqual([[5], [7], [9]]);
  });

  it('FLOWLINE_THREADS above 1 keeps requests in runs of their own', async () => {
    const model = await LoadedModel.load(spec('tiny'), tinyTreeClassifier(), POLICY, 2, 256);
    await model.warmUp();
    expect(model.notBatched).toMatch(/FLOWLINE_THREADS is above 1/);
  });

  it('FLOWLINE_BATCH_ROWS=1 turns micro-batching off', async () => {
    const { model, runRows } = await loaded(tinyTreeClassifier(), 1);
    expect(model.notBatched).toMatch(/FLOWLINE_BATCH_ROWS is 1/);
    await Promise.all(Array.from({ length: 6 }, (_, i) => model.score(batchOf(tinyRows(1, i)))));
    expect(runRows.length).toBe(6);
  });
});

describe('the bundle server with a row-independent model', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-serving-'));
    const rows = tinyRows(12);
    const probabilities = rows.map((r) => [1 - tinyTreeProbability(r), tinyTreeProbability(r)]);
    const champion = { ...tinyModel('trees'), onnx: tinyTreeClassifier(), golden: { source: 'hand-made rows', rows, predictions: probabilities.map(([, p]) => (p > 0.5 ? 'yes' : 'no')), probabilities, tolerance: 0 } };
    const bundle = await writeBundle({ out: join(dir, 'bundle'), champion });
    server = await startServer(bundle.dir, { FLOWLINE_ACCESS_LOG: 'off' });
  }, 30_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('answers 40 concurrent /predict requests as it answers them one at a time, and counts its onnxruntime runs', async () => {
    const rows = tinyRows(40, 5);
    const one: unknown[] = [];
    for (const row of rows) one.push((await post(`${server.url}/predict`, row)).body);
    const together = (await Promise.all(rows.map((row) => post(`${server.url}/predict`, row)))).map((r) => r.body);
    expect(together).toEqual(one);
    rows.forEach((row, i) => expect((one[i] as { probabilities: Record<string, number> }).probabilities.yes).toBe(tinyTreeProbability(row)));
    const families = parsePrometheusTextFormat(await (await fetch(`${server.url}/metrics`)).text());
    const total = (name: string) => families.find((f) => f.name === name)!.metrics.reduce((s, m) => s + Number(m.value), 0);
    expect(total('flowline_model_requests_total')).toBe(80);
    // at least the 40 sequential requests' runs; at most one per request
    expect(total('flowline_model_runs_total')).toBeGreaterThanOrEqual(40);
    expect(total('flowline_model_runs_total')).toBeLessThanOrEqual(80);
    expect(server.logs.find((l) => l.event === 'model_ready')?.micro_batching).toBe('up to 256 rows');
  });
});
