import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { sharedArrayStats } from '../../../core/data/shared-arrays.ts';
import { predictTable } from '../../../core/ml/model.ts';
import { scoreInChunks } from '../../../core/ml/predict-stream.ts';
import { portablePayload } from '../../../core/exec/queue-pool.ts';
import { QUEUE_TASKS } from '../../../core/host/worker-tasks.ts';
import type { WorkerTask } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { recipeModel } from '../../support/recipe-model.ts';

/**
 * Streamed Predict and Evaluate past 1M rows peaked in chunk scoring: every chunk left its raw
 * columns, its matrix (twice) and its predictions to the garbage collector. The loop now fills the
 * same shared buffers chunk after chunk; these tests count them.
 */
describe('scoreInChunks reuses its buffers chunk after chunk', () => {
  /** Score every row of the model's raw table in chunks of `chunkRows`: the distinct buffers seen, the shared ones made, and the predictions. */
  async function run(chunkRows: number) {
    const { model, raw } = await recipeModel('random_forest', 'label');
    const seen = new Set<ArrayBufferLike>();
    const values: number[] = [];
    const proba: number[] = [];
    const labels: unknown[] = [];
    let chunks = 0;
    const before = sharedArrayStats.allocated;
    const rows = await scoreInChunks(fakeContext(), model, raw, { chunkRows, extraColumns: ['label'], keepRaw: true }, async (c) => {
      chunks++;
      for (const col of Object.values(c.raw.columns)) if (col instanceof Float64Array) seen.add(col.buffer);
      seen.add((c.rowIds as Int32Array).buffer);
      seen.add(c.X.data.buffer);
      seen.add(c.prediction.values.buffer);
      if (c.prediction.proba) seen.add(c.prediction.proba.buffer);
      // Lent arrays: what is kept past the chunk is copied.
      values.push(...c.prediction.values);
      proba.push(...(c.prediction.proba ?? []));
      labels.push(...c.raw.columns.label);
    });
    return { model, raw, rows, chunks, buffers: seen.size, made: sharedArrayStats.allocated - before, values, proba, labels };
  }

  it('a many-chunk run uses as many buffers as a few-chunk run (bounded by a constant, not by the chunks), with the whole-table predictions', async () => {
    const few = await run(64);
    const many = await run(5);
    expect(few.chunks).toBe(Math.ceil(300 / 64));
    expect(many.chunks).toBe(60);
    expect(many.rows).toBe(300);
    // Two sets of raw arrays (the chunk read ahead, the chunk scoring), each the ROW_IDs and the two
    // numeric inputs x1, x2 (city and label are text); one matrix; one set of predictions (values,
    // probabilities). Each chunk had arrays of its own before: 360 buffers for the 60 chunks.
    expect(few.model.inputColumns.filter((c) => c.type !== 'string').map((c) => c.name)).toEqual(['x1', 'x2']);
    expect(few.buffers).toBe(2 * 3 + 3);
    expect(many.buffers).toBe(few.buffers);
    expect(many.made).toBe(few.made);
    expect(many.made).toBe(2 * 3 + 3);

    // Reusing the arrays changes no number: the rows in file order, as one whole-table call scores them.
    const whole = await predictTable(fakeContext(), few.model, few.raw, ['label']);
    expect(many.values).toEqual(Array.from(whole.prediction.values));
    expect(many.proba).toEqual(Array.from(whole.prediction.proba!));
    expect(few.values).toEqual(many.values);
    expect(many.labels).toEqual(whole.raw.columns.label);
  });
});

describe('scoreInChunks through the worker queue', () => {
  it('a queued prediction (payload and result serialized, as `flowline worker` gets them) gives the local numbers, not the lent buffers', async () => {
    const { model, raw } = await recipeModel('random_forest', 'label');
    // What `flowline run --queue` does for a queue task: the payload crosses Redis as V8's
    // serialisation (shared memory arrives as plain copies), the worker's answer comes back the same way.
    const queued = fakeContext();
    const local = queued.runInWorker.bind(queued);
    queued.runInWorker = async <P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> => {
      if (!QUEUE_TASKS.has(task.name)) return local(task, payload);
      const copy = deserialize(serialize(portablePayload(payload))) as P;
      return deserialize(serialize(await task.run(copy, { progress: () => {}, log: () => {} }))) as R;
    };
    const values: number[] = [];
    const proba: number[] = [];
    await scoreInChunks(queued, model, raw, { chunkRows: 64 }, async (c) => {
      values.push(...c.prediction.values);
      proba.push(...(c.prediction.proba ?? []));
    });
    const whole = await predictTable(fakeContext(), model, raw);
    expect(values).toEqual(Array.from(whole.prediction.values));
    expect(proba).toEqual(Array.from(whole.prediction.proba!));
  });
});
