import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../core/compile/index.ts';
import { execute } from '../../../core/exec/index.ts';
import { WorkerPool } from '../../../core/exec/worker-pool.ts';
import { randomForest } from '../../../core/ml/learners/tree/random-forest.ts';
import type { FitData, FlatTree } from '../../../core/ml/learners/types.ts';
import { fitInWorkers } from '../../../core/ml/model.ts';
import { Rng } from '../../../core/spec/random.ts';
import { fitUnitRangeTask, type FitPayload } from '../../../core/ml/tasks.ts';
import { Pipeline } from '../../../core/schema/index.ts';
import type { ModelValue, MetricsValue, RunContext, WorkerTask } from '../../../core/spec/index.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { learnerPipeline } from '../../support/learner-pipeline.ts';
import { fakeContext } from '../../support/fake-context.ts';

/**
 * A random forest's trees are independent: the Train node grows them in ranges on several worker
 * threads (Learner.unitFit) and must get the very forest one thread grows.
 */
function data(n: number, seed: number): FitData {
  const rng = new Rng(seed);
  const X = new Float64Array(n * 5);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 5; j++) X[i * 5 + j] = j === 4 && i % 7 === 0 ? NaN : rng.normal() + (j < 2 ? y[i] : 0);
  }
  return { X: { data: X, rows: n, cols: 5 }, y, nClasses: 2, featureNames: ['a', 'b', 'c', 'd', 'e'] };
}

const bytes = (t: FlatTree) => Buffer.concat([t.feature, t.threshold, t.child, t.missingLeft, t.cover, t.value].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
const sameForest = (a: FlatTree[], b: FlatTree[]) => a.length === b.length && a.every((t, i) => bytes(t).equals(bytes(b[i])));

describe('random forest fitted on several threads', () => {
  it('gives the one-thread forest for any number of ranges, all handed to the pool at once, with one progress step per tree', async () => {
    const d = data(400, 3);
    const params = randomForest.params.parse({ n_estimators: 7 });
    const single = randomForest.fit(d, params, { task: 'binary', seed: 11 });
    const payload: FitPayload = { kind: 'random_forest', params, task: 'binary', seed: 11, X: d.X, y: d.y, nClasses: 2, featureNames: d.featureNames };
    for (const threads of [1, 2, 3, 7, 16]) {
      const fractions: number[] = [];
      const inFlight: Record<string, number> = {};
      let most = 0;
      const base = fakeContext();
      const ctx: RunContext = {
        ...base,
        // Forward the worker's progress as the executor does (fakeContext drops it), and count
        // the range tasks handed to the pool at once.
        async runInWorker<P, R>(task: WorkerTask<P, R>, p: P): Promise<R> {
          inFlight[task.name] = (inFlight[task.name] ?? 0) + 1;
          most = Math.max(most, inFlight[fitUnitRangeTask.name] ?? 0);
          try {
            return await task.run(p, { progress: (f: number) => fractions.push(f), log: () => {} });
          } finally {
            inFlight[task.name]--;
          }
        },
      };
      const state = (await fitInWorkers(ctx, randomForest, payload, threads)) as typeof single;
      expect(state.task).toBe('binary');
      expect(state.nClasses).toBe(2);
      expect(sameForest(state.trees, single.trees), `${threads} threads`).toBe(true);
      expect(fractions.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => k / 7));
      expect(most).toBe(Math.min(threads, 7));
    }
  });

  it('through ml.train with the real worker pool: 1 and 2 workers give the same model and metrics; cancel stops it', async () => {
    const run = async (poolSize: number, signal?: AbortSignal, onTree?: () => void) => {
      const { pipeline, dir } = learnerPipeline('breast_cancer', 'random_forest', { n_estimators: 24 }, { seed: 4 });
      const { plan } = compile(Pipeline.parse({ format: 'flowline.pipeline', version: 1, ...pipeline }), NODES);
      const pool = new WorkerPool(WORKER_TASKS, poolSize);
      const messages: string[] = [];
      try {
        const summary = await execute(plan!, {
          cacheDir: join(mkdtempSync(join(tmpdir(), 'flowline-rf-')), 'cache'),
          pipelineDir: dir,
          pool,
          signal,
          onEvent: (e) => {
            if (e.type === 'node:progress' && e.nodeId === 'train' && e.message?.startsWith('tree ')) {
              messages.push(e.message);
              onTree?.();
            }
          },
        });
        return { summary, messages };
      } finally {
        await pool.close();
      }
    };
    const one = await run(1);
    const two = await run(2);
    const out = (r: typeof one, id: string) => r.summary.nodes.find((n) => n.id === id)!;
    const modelOf = (r: typeof one) => out(r, 'train').outputs!.model as ModelValue;
    const forest = (r: typeof one) => (modelOf(r).estimator.state as { trees: FlatTree[] }).trees;
    expect(forest(one)).toHaveLength(24);
    expect(sameForest(forest(one), forest(two))).toBe(true);
    expect((out(two, 'evaluate').outputs!.metrics as MetricsValue).values).toEqual((out(one, 'evaluate').outputs!.metrics as MetricsValue).values);
    expect(two.messages.some((m) => / of 24$/.test(m))).toBe(true);

    const controller = new AbortController();
    const cancelled = await run(2, controller.signal, () => controller.abort());
    expect(cancelled.summary.status).toBe('cancelled');
    expect(out(cancelled, 'train').status).toBe('cancelled');
  }, 120_000);
});
