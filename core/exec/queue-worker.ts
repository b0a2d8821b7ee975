/**
 * The worker side of the queue (`flowline worker`): take jobs from the BullMQ queue, run each on
 * this machine's worker threads, write the result to the shared content store. It runs only the
 * tasks it was told to serve (the pure computations QueuePool sends), never an export or a task
 * that reads paths, whatever a job names.
 */
import { deserialize, serialize } from 'node:v8';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { toErrorInfo } from '../spec/errors.ts';
import { ContentStore } from './content-store.ts';
import { cancelChannel, DEFAULT_QUEUE, redisConnection, type QueueJobData, type QueueSettings } from './queue-pool.ts';
import type { TaskRegistry } from './task-registry.ts';
import { WorkerPool } from './worker-pool.ts';

export interface QueueWorkerOptions extends QueueSettings {
  registry: TaskRegistry;
  /** Task names this worker runs. */
  serve: ReadonlySet<string>;
  /** Jobs at once (default: one per core, each on its own thread). */
  threads?: number;
  /** How long a job's lock lasts without renewal before another worker may take it over (ms). */
  lockMs?: number;
  log?: (line: string) => void;
}

export interface QueueWorker {
  /** Jobs this worker ran to the end, by task (what tests count). */
  completed: Record<string, number>;
  close(): Promise<void>;
}

export async function serveQueue(o: QueueWorkerOptions): Promise<QueueWorker> {
  const name = o.name ?? DEFAULT_QUEUE;
  const connection = redisConnection(o.url);
  const store = new ContentStore(o.storeDir);
  const pool = new WorkerPool(o.registry, o.threads);
  const completed: Record<string, number> = {};
  const log = o.log ?? (() => {});

  const processor = async (job: Job<QueueJobData>, _token?: string, signal?: AbortSignal) => {
    const { task: name, input, key } = job.data;
    const task = o.registry.tasks.get(name);
    if (!task || !o.serve.has(name)) throw new UnrecoverableError(JSON.stringify({ code: 'WORKER_FAILED', message: `This queue worker does not run "${name}" tasks.` }));
    // Retried after a lost worker that had finished writing: the result is there, nothing to compute.
    if (await store.has('results', key)) return { key };
    const bytes = await store.get('inputs', input);
    if (!bytes) throw new UnrecoverableError(JSON.stringify({ code: 'WORKER_FAILED', message: `The input of a ${name} job is missing from the shared store ${store.dir}.`, hint: 'Every worker and the machine running the pipeline must see the same store folder (--store).' }));
    let result: unknown;
    try {
      result = await pool.run(task, deserialize(bytes) as never, {
        signal: signal ?? new AbortController().signal,
        onProgress: (fraction, message) => void job.updateProgress({ fraction, message }).catch(() => {}),
        onLog: (message) => void job.log(message).catch(() => {}),
      });
    } catch (e) {
      // The same message the node gives when the task runs locally; never retried: the data would fail again.
      throw new UnrecoverableError(JSON.stringify(toErrorInfo(e)));
    }
    await store.put('results', key, serialize(result));
    completed[name] = (completed[name] ?? 0) + 1;
    return { key };
  };

  const worker = new Worker<QueueJobData>(name, processor, {
    connection,
    concurrency: pool.size,
    lockDuration: o.lockMs ?? 30_000,
    stalledInterval: Math.max(500, Math.round((o.lockMs ?? 30_000) / 2)),
    maxStalledCount: 2,
  });
  worker.on('error', (e) => log(`queue error: ${e.message}`));
  // A coordinator cancelling a run names the jobs to stop on this channel.
  const subscriber = new Redis(connection);
  await subscriber.subscribe(cancelChannel(name));
  subscriber.on('message', (_channel, jobId: string) => {
    if (worker.cancelJob(jobId, 'cancelled by the run')) log(`cancelled job ${jobId.slice(0, 12)}`);
  });
  await worker.waitUntilReady();
  return {
    completed,
    async close() {
      await worker.close();
      await subscriber.quit().catch(() => {});
      await pool.close();
    },
  };
}
