import { describe, expect, it } from 'vitest';
import { tuneModel, type TuneSpec } from '../../../core/ml/tune/tune-model.ts';
import type { RunContext, WorkerTask } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { makeRows, rawTable } from './model-fixtures.ts';

const rows = makeRows(90, 4);
const base = fakeContext({ nodeId: 'tune', seed: 2 });
const table = () => rawTable(base, [{ name: 'x1', data: rows.x1 }, { name: 'x2', data: rows.x2 }, { name: 'label', data: rows.label }]);
const spec: TuneSpec = { target: 'label', task: 'auto', folds: 3, learner: 'decision_tree', learnerParams: {}, space: { max_depth: { int: [1, 8] } }, method: 'bayes', nTrials: 6, metric: 'auto' };

/**
 * A context that records progress messages and how many worker tasks run at once. The first task
 * waits for the second to arrive, so "two at a time" is seen whatever the scheduling (a tuner that
 * ran one at a time would never send the second: the test would time out).
 */
function instrumented(): { ctx: RunContext; messages: string[]; maxInFlight: () => number } {
  const messages: string[] = [];
  let inFlight = 0, max = 0, arrived = 0;
  let secondArrived!: () => void;
  const pair = new Promise<void>((resolve) => (secondArrived = resolve));
  const ctx: RunContext = {
    ...base,
    progress: (_f, m) => void (m && messages.push(m)),
    async runInWorker<P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> {
      inFlight++;
      max = Math.max(max, inFlight);
      if (++arrived === 2) secondArrived();
      if (arrived <= 2) await pair;
      try {
        return await base.runInWorker(task, payload);
      } finally {
        inFlight--;
      }
    },
  };
  return { ctx, messages, maxInFlight: () => max };
}

describe('tuneModel', () => {
  it('reports progress once per trial and runs two trials at a time', async () => {
    const t = await table();
    const { ctx, messages, maxInFlight } = instrumented();
    const r = await tuneModel(ctx, t, spec);
    expect(messages.filter((m) => /^trial \d+ of 6/.test(m))).toHaveLength(6);
    expect(maxInFlight()).toBe(2);
    expect(r.trials).toHaveLength(6);
    expect(r.model.estimator.params.max_depth).toBe(r.best.params.max_depth);
  });

  it('is reproducible for a seed', async () => {
    const t = await table();
    const a = await tuneModel(base, t, spec);
    const b = await tuneModel(base, t, spec);
    expect(b.metrics.tables).toEqual(a.metrics.tables);
  });

  it('an empty space uses the learner\'s default space', async () => {
    const t = await table();
    const r = await tuneModel(base, t, { ...spec, space: {}, nTrials: 2 });
    expect(Object.keys(r.best.params).sort()).toEqual(['max_depth', 'min_samples_leaf']);
  });

  it('a metric that does not fit the task is INVALID_PARAM', async () => {
    const t = await table();
    await expect(tuneModel(base, t, { ...spec, metric: 'rmse' })).rejects.toMatchObject({ code: 'INVALID_PARAM', path: ['metric'] });
  });
});
