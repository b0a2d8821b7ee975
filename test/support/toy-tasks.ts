import { defineTaskRegistry } from '../../core/exec/task-registry.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { defineWorkerTask } from '../../core/spec/worker-task.ts';

/**
 * Squares a number after spinning `spinMs` in a tight loop (only terminating the worker stops it).
 * It says when the spin starts, so a test can cancel on that event instead of after a delay.
 */
export const squareTask = defineWorkerTask('toy.square', (payload: { v: number; spinMs: number }, io): number => {
  if (payload.spinMs > 0) io.progress(0, 'spinning');
  const until = Date.now() + payload.spinMs;
  while (Date.now() < until) {
    // busy on purpose
  }
  io.progress(1);
  return payload.v * payload.v;
});

/** The app's tasks plus the toy ones: what the test composition roots hand to their pools. */
export const TOY_TASKS = defineTaskRegistry(new URL('./toy-worker-main.ts', import.meta.url), [...WORKER_TASKS.tasks.values(), squareTask]);
