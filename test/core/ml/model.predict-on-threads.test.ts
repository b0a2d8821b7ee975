import { describe, expect, it } from 'vitest';
import { learnerByKind } from '../../../core/ml/learners/index.ts';
import type { Matrix, Prediction } from '../../../core/ml/learners/types.ts';
import { predictInWorkers } from '../../../core/ml/model.ts';
import { sharedStateStats } from '../../../core/ml/model-sharing.ts';
import { packStats } from '../../../core/ml/learners/tree/flat-tree.ts';
import { Rng } from '../../../core/spec/random.ts';
import type { RunContext, WorkerTask } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';

/**
 * Predict and Train split a large batch of rows over several workers: every learner predicts a
 * row on its own, so the joined result must be the one-call prediction, bit for bit.
 */
function matrix(rows: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float64Array(rows * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 13 === 0 ? NaN : rng.normal();
  return { data, rows, cols: 4 };
}

const same = (a: Float64Array | undefined, b: Float64Array | undefined) => a !== undefined && b !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('predictions split over workers', () => {
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['random_forest', { n_estimators: 4 }, true],
    ['hist_gradient_boosting', { max_iter: 5, early_stopping: false }, true],
    ['isolation_forest', { n_estimators: 5 }, false],
  ];
  for (const [kind, params, supervised] of cases) {
    it(`${kind}: 2 and 3 row ranges give the one-call prediction, the rows shared once with every worker`, async () => {
      const learner = learnerByKind(kind);
      const train = matrix(1500, 1);
      const y = Float64Array.from({ length: train.rows }, (_, i) => ((train.data[i * 4] || 0) + (train.data[i * 4 + 1] || 0) > 0 ? 1 : 0));
      const state = learner.fit(
        { X: train, y: supervised ? y : undefined, nClasses: supervised ? 2 : undefined, featureNames: ['a', 'b', 'c', 'd'] },
        learner.params.parse(params),
        { task: supervised ? 'binary' : 'anomaly', seed: 3 },
      );
      const X = matrix(30_001, 2);
      const whole = learner.predict(state, X);
      const tasks: number[] = [];
      const rowBuffers: ArrayBufferLike[] = [];
      const base = fakeContext();
      const ctx: Pick<RunContext, 'runInWorker'> = {
        async runInWorker<P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> {
          tasks.push((payload as { X: Matrix }).X.rows);
          rowBuffers.push((payload as { X: Matrix }).X.data.buffer);
          return base.runInWorker(task, payload);
        },
      };
      for (const threads of [2, 3]) {
        tasks.length = 0;
        rowBuffers.length = 0;
        const split: Prediction = await predictInWorkers(ctx, kind, state, X, threads);
        // The rows were copied once, into shared memory, and every worker got a view on it.
        expect(new Set(rowBuffers).size).toBe(1);
        expect(rowBuffers[0]).toBeInstanceOf(SharedArrayBuffer);
        expect(tasks).toHaveLength(threads);
        expect(tasks.reduce((a, b) => a + b, 0)).toBe(X.rows);
        expect(same(split.values, whole.values)).toBe(true);
        if (supervised) expect(same(split.proba, whole.proba)).toBe(true);
      }
      tasks.length = 0;
      await predictInWorkers(ctx, kind, state, matrix(500, 4), 4);
      expect(tasks).toEqual([500]);
    });
  }

  it('sends a large model to the workers as one shared copy, made once per model and packed once per thread: the same numbers', async () => {
    const learner = learnerByKind('random_forest');
    const train = matrix(10_000, 5);
    // Noisy labels: full-depth trees, a model of over a megabyte (MIN_SHARED_BYTES).
    const noise = new Rng(7);
    const y = Float64Array.from({ length: train.rows }, () => (noise.next() < 0.5 ? 1 : 0));
    const state = learner.fit({ X: train, y, nClasses: 2, featureNames: ['a', 'b', 'c', 'd'] }, learner.params.parse({ n_estimators: 16 }), { task: 'binary', seed: 1 });
    const X = matrix(30_001, 6);
    const whole = learner.predict(state, X);
    const buffers: (ArrayBufferLike | undefined)[] = [];
    const base = fakeContext();
    const ctx: Pick<RunContext, 'runInWorker'> = {
      async runInWorker<P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> {
        const trees = (payload as { state: { trees: { feature: Int32Array; value: Float64Array }[] } }).state.trees;
        buffers.push(...trees.flatMap((t) => [t.feature.buffer, t.value.buffer]));
        return base.runInWorker(task, payload);
      },
    };
    const before = sharedStateStats.copies;
    const packsBefore = packStats.packs;
    for (let call = 0; call < 2; call++) {
      const split = await predictInWorkers(ctx, 'random_forest', state, X, 2);
      expect(same(split.proba, whole.proba)).toBe(true);
    }
    expect(sharedStateStats.copies - before).toBe(1);
    // Four walks (2 calls x 2 row ranges, all in this thread here), one packing of the forest.
    expect(packStats.packs - packsBefore).toBe(1);
    // Every tree array of both calls and both workers lies in the one shared buffer.
    expect(new Set(buffers).size).toBe(1);
    expect(buffers[0]).toBeInstanceOf(SharedArrayBuffer);
    // The fitted state itself is untouched.
    expect((state as { trees: { feature: Int32Array }[] }).trees[0].feature.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
