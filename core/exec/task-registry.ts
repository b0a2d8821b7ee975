/**
 * The set of worker tasks one worker pool can run, and the module its worker threads start from.
 * A composition root builds one (the app's is core/host/worker-tasks.ts) and hands it to the pool;
 * the entry module serves the same list on the worker side (serveWorkerTasks in worker-entry.ts).
 */
import type { AnyWorkerTask } from '../spec/worker-task.ts';

export interface TaskRegistry {
  /**
   * The module a worker thread starts from. Built JavaScript (out/worker/index.js) runs as is; a
   * TypeScript source (the development loop, tests) is loaded through dev/worker-bootstrap.mjs.
   */
  readonly entry: URL;
  readonly tasks: ReadonlyMap<string, AnyWorkerTask>;
}

export function defineTaskRegistry(entry: URL, tasks: readonly AnyWorkerTask[]): TaskRegistry {
  const byName = new Map<string, AnyWorkerTask>();
  for (const task of tasks) {
    const other = byName.get(task.name);
    if (other && other !== task) throw new Error(`two worker tasks are named "${task.name}"`);
    byName.set(task.name, task);
  }
  return { entry, tasks: byName };
}
