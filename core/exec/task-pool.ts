/**
 * What the executor needs from whatever runs worker tasks: the worker threads of this machine
 * (WorkerPool), or a queue that worker processes on many machines take jobs from (QueuePool).
 */
import type { WorkerTask } from '../spec/worker-task.ts';

export interface TaskRunOptions {
  signal: AbortSignal;
  /** Buffers a thread pool may move instead of copying; a queue serialises everything anyway. */
  transfer?: ArrayBuffer[];
  onProgress?: (fraction: number, message?: string) => void;
  onLog?: (message: string) => void;
}

export interface TaskPool {
  run<P, R>(task: WorkerTask<P, R>, payload: P, options: TaskRunOptions): Promise<R>;
  close(): Promise<void>;
}
