import { afterAll, describe, expect, it } from 'vitest';
import { defineTaskRegistry } from '../../../core/exec/task-registry.ts';
import { WorkerPool } from '../../../core/exec/worker-pool.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { defineWorkerTask } from '../../../core/spec/worker-task.ts';
import { squareTask, TOY_TASKS } from '../../support/toy-tasks.ts';

const signal = new AbortController().signal;
const pools: WorkerPool[] = [];
const pool = (...args: ConstructorParameters<typeof WorkerPool>) => {
  const p = new WorkerPool(...args);
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe('worker pool and task registry', () => {
  it('runs a registered task on a worker thread, typed end to end, and counts it', async () => {
    const p = pool(TOY_TASKS, 1);
    const progress: number[] = [];
    const r: number = await p.run(squareTask, { v: 7, spinMs: 0 }, { signal, onProgress: (f) => progress.push(f) });
    expect(r).toBe(49);
    expect(progress).toEqual([1]);
    expect(p.completedTasks()).toEqual({ 'toy.square': 1 });
  });

  it('refuses a task its registry does not list, naming the task and where to register it', async () => {
    await expect(pool(WORKER_TASKS, 1).run(squareTask, { v: 2, spinMs: 0 }, { signal })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('"toy.square" is not registered'),
      hint: expect.stringContaining('core/host/worker-tasks.ts'),
    });
  });

  it('refuses two different tasks under one name', () => {
    const twin = defineWorkerTask('toy.square', () => 0);
    expect(() => defineTaskRegistry(TOY_TASKS.entry, [squareTask, twin])).toThrow(/two worker tasks are named "toy.square"/);
  });

  it('lists every task of the app under a unique, namespaced name', () => {
    expect([...WORKER_TASKS.tasks.keys()].every((n) => /^[a-z]+\.[A-Za-z]+$/.test(n))).toBe(true);
    expect(WORKER_TASKS.tasks.size).toBeGreaterThanOrEqual(6);
  });
});
