import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FlowlineError, type ErrorInfo } from '../spec/errors.ts';
import type { WorkerTask } from '../spec/worker-task.ts';
import type { TaskPool, TaskRunOptions } from './task-pool.ts';
import type { TaskRegistry } from './task-registry.ts';
import type { TaskMessage } from './worker-entry.ts';

interface Job {
  task: string;
  payload: unknown;
  transfer: ArrayBuffer[];
  signal: AbortSignal;
  onProgress: (fraction: number, message?: string) => void;
  onLog: (message: string) => void;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  taskId: number;
}

/**
 * A small pool of worker threads for CPU-heavy node work (training, refits, tuning trials), running
 * the tasks of one registry (handed over by the composition root). Size defaults to the number of
 * cores. A cancelled task's worker is terminated (that is the only way to stop a tight loop) and
 * replaced on demand.
 */
export class WorkerPool implements TaskPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextTaskId = 1;
  private closed = false;
  private readonly finished = new Map<string, number>();

  constructor(
    readonly registry: TaskRegistry,
    readonly size = Math.max(1, availableParallelism()),
  ) {}

  /** Tasks that ran to completion in this pool's workers, by name (what tests count). */
  completedTasks(): Record<string, number> {
    return Object.fromEntries(this.finished);
  }

  run<P, R>(task: WorkerTask<P, R>, payload: P, options: TaskRunOptions): Promise<R> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    if (!this.registry.tasks.has(task.name)) {
      return Promise.reject(
        new FlowlineError({
          code: 'INTERNAL',
          message: `Worker task "${task.name}" is not registered with this worker pool.`,
          hint: 'Add it to the task registry the composition root hands to the pool (core/host/worker-tasks.ts for the app).',
        }),
      );
    }
    return new Promise<R>((resolve, reject) => {
      // The abort listener goes when the job settles: a tuning run sends hundreds of tasks on one signal.
      const onAbort = () => this.abort(job);
      const settle = <A>(fn: (a: A) => void) => (a: A) => {
        options.signal.removeEventListener('abort', onAbort);
        fn(a);
      };
      const job: Job = {
        task: task.name,
        payload,
        transfer: options.transfer ?? [],
        signal: options.signal,
        onProgress: options.onProgress ?? (() => {}),
        onLog: options.onLog ?? (() => {}),
        resolve: settle(resolve as (v: unknown) => void),
        reject: settle(reject),
      };
      if (job.signal.aborted) return reject(cancelled());
      job.signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.taskId = this.nextTaskId++;
      slot.worker.ref();
      const message: TaskMessage = { taskId: slot.taskId, task: job.task, payload: job.payload };
      slot.worker.postMessage(message, job.transfer);
    }
  }

  private spawn(): Slot {
    const { entry } = this.registry;
    // Built JavaScript starts as is; a TypeScript entry (development, tests) needs a loader first.
    const worker = /\.[cm]?ts$/.test(entry.pathname) ? new Worker(new URL('../../dev/worker-bootstrap.mjs', import.meta.url), { workerData: { entry: entry.href } }) : new Worker(entry);
    const slot: Slot = { worker, job: null, taskId: 0 };
    worker.on('message', (msg: { taskId: number; type: string; fraction?: number; message?: string; result?: unknown; error?: ErrorInfo }) => {
      const job = slot.job;
      if (!job || msg.taskId !== slot.taskId) return;
      if (msg.type === 'progress') job.onProgress(msg.fraction ?? 0, msg.message);
      else if (msg.type === 'log') job.onLog(msg.message ?? '');
      else {
        slot.job = null;
        worker.unref();
        if (msg.type === 'result') {
          this.finished.set(job.task, (this.finished.get(job.task) ?? 0) + 1);
          job.resolve(msg.result);
        }
        else job.reject(new FlowlineError(msg.error ?? { code: 'WORKER_FAILED', message: 'worker failed' }));
        this.pump();
      }
    });
    worker.on('error', (err) => {
      const job = slot.job;
      this.remove(slot);
      job?.reject(new FlowlineError({ code: 'WORKER_FAILED', message: `A worker thread failed: ${err.message}` }));
      this.pump();
    });
    worker.on('exit', () => {
      const job = slot.job;
      this.remove(slot);
      if (job) job.reject(job.signal.aborted ? cancelled() : new FlowlineError({ code: 'WORKER_FAILED', message: 'A worker thread stopped unexpectedly (out of memory?).' }));
      this.pump();
    });
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(cancelled());
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    if (slot) {
      slot.job = null;
      this.remove(slot);
      void slot.worker.terminate();
      job.reject(cancelled());
      this.pump();
    }
  }

  private remove(slot: Slot): void {
    this.slots = this.slots.filter((s) => s !== slot);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(cancelled());
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}

function cancelled(): FlowlineError {
  return new FlowlineError({ code: 'CANCELLED', message: 'Run cancelled.' });
}
