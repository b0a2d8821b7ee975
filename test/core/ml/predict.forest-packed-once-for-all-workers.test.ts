import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../core/exec/worker-pool.ts';
import { portablePayload } from '../../../core/exec/queue-pool.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { learnerByKind } from '../../../core/ml/learners/index.ts';
import { sharedForestPack, sharedPackProgress } from '../../../core/ml/learners/tree/packed-walk.ts';
import type { Matrix } from '../../../core/ml/learners/types.ts';
import { predictInWorkers } from '../../../core/ml/model.ts';
import { sharedState } from '../../../core/ml/model-sharing.ts';
import { Rng } from '../../../core/spec/random.ts';

function matrix(rows: number, seed: number, nan: boolean): Matrix {
  const rng = new Rng(seed);
  const data = Float64Array.from({ length: rows * 4 }, (_, i) => (nan && i % 17 === 0 ? NaN : rng.normal()));
  return { data, rows, cols: 4 };
}

describe("Predict's workers share one packing of a forest", () => {
  it('two real workers pack the forest once between them, in one shared memory kept for the model, and predict the same numbers as one thread', async () => {
    const learner = learnerByKind('random_forest');
    const train = matrix(10_000, 1, false);
    const noise = new Rng(7);
    const y = Float64Array.from({ length: train.rows }, () => (noise.next() < 0.5 ? 1 : 0));
    // Noisy labels: full-depth trees, a model over a megabyte, so it is shared with the workers.
    const state = learner.fit({ X: train, y, nClasses: 2, featureNames: ['a', 'b', 'c', 'd'] }, learner.params.parse({ n_estimators: 16 }), { task: 'binary', seed: 1 });
    const pool = new WorkerPool(WORKER_TASKS, 2);
    const signal = new AbortController().signal;
    const ctx = { runInWorker: <P, R>(task: Parameters<typeof pool.run<P, R>>[0], payload: P) => pool.run(task, payload, { signal }) };
    try {
      for (const nan of [false, true]) {
        const X = matrix(30_001, 2, nan);
        const whole = learner.predict(state, X);
        for (let call = 0; call < 2; call++) {
          const split = await predictInWorkers(ctx, 'random_forest', state, X, 2);
          expect(Buffer.from(split.proba!.buffer).equals(Buffer.from(whole.proba!.buffer))).toBe(true);
        }
        // The host's packing for rows like these: the one both calls sent (kept while the model lives).
        const shared = sharedState(state);
        const pack = sharedForestPack(shared, X.data)!;
        expect(pack.nan).toBe(nan);
        expect(pack.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
        // Every tree packed; 16 claims for the trees and one closing claim per worker: both
        // workers joined the one packing on the first call, and neither packed again on the second.
        expect(sharedPackProgress(shared, pack)).toEqual({ packed: 16, claims: 18 });
        // A queued (remote) job carries no shared memory: its worker packs its own.
        expect(Object.keys(portablePayload({ kind: 'random_forest', state: shared, X, pack }) as object)).toEqual(['kind', 'state', 'X']);
      }
    } finally {
      await pool.close();
    }
  }, 120_000);
});
