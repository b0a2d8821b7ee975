import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { FlowlineError, type ErrorInfo } from '../spec/errors.ts';
import type { WorkerTask } from '../spec/context.ts';

interface Job {
  task: WorkerTask;
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

/** Workers load TypeScript through tsx (see worker-bootstrap.mjs), whatever runs the host. */
const ENTRY = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * A small pool of worker threads for CPU-heavy node work (training, tuning trials). Size defaults
 * to the number of cores. A cancelled task's worker is terminated (that is the only way to stop a
 * tight loop) and replaced on demand.
 */
export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextTaskId = 1;
  private closed = false;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  run<T>(task: WorkerTask, payload: unknown, options: { signal: AbortSignal; transfer?: ArrayBuffer[]; onProgress?: Job['onProgress']; onLog?: Job['onLog'] }): Promise<T> {
    if (this.closed) return Promise.reject(new Error('worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      // The abort listener goes when the job settles: a tuning run sends hundreds of tasks on one signal.
      const onAbort = () => this.abort(job);
      const settle = <A>(fn: (a: A) => void) => (a: A) => {
        options.signal.removeEventListener('abort', onAbort);
        fn(a);
      };
      const job: Job = {
        task,
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
      slot.worker.postMessage({ taskId: slot.taskId, module: job.task.module, fn: job.task.fn, payload: job.payload }, job.transfer);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY);
    const slot: Slot = { worker, job: null, taskId: 0 };
    worker.on('message', (msg: { taskId: number; type: string; fraction?: number; message?: string; result?: unknown; error?: ErrorInfo }) => {
      const job = slot.job;
      if (!job || msg.taskId !== slot.taskId) return;
      if (msg.type === 'progress') job.onProgress(msg.fraction ?? 0, msg.message);
      else if (msg.type === 'log') job.onLog(msg.message ?? '');
      else {
        slot.job = null;
        worker.unref();
        if (msg.type === 'result') job.resolve(msg.result);
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
