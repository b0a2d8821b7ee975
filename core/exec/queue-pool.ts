/**
 * Worker tasks on many machines: a BullMQ queue on Redis that `flowline worker` processes take jobs
 * from (queue-worker.ts), with payloads and results in a content store every machine reaches
 * (content-store.ts). The executor stays the coordinator and keeps the graph; only the tasks named
 * `remote` (pure computations on matrices: fits, fold fits, tree chunks, predictions) travel, the
 * rest (those that read the run's files or write exports) stay on the local pool.
 *
 * A job's id is the hash of its task and payload, so a job is computed once whoever asks for it:
 * a result already in the store is read, not recomputed; two runs asking at once share one job;
 * a job retried after its worker died (BullMQ's stall detection) writes the same bytes.
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { FlowlineError, type ErrorInfo } from '../spec/errors.ts';
import type { WorkerTask } from '../spec/worker-task.ts';
import { ContentStore } from './content-store.ts';
import type { TaskPool, TaskRunOptions } from './task-pool.ts';

export interface QueueSettings {
  /** redis://[user:password@]host:port[/db] */
  url: string;
  /** The content store's folder, the same on every machine (a shared mount). */
  storeDir: string;
  /** Queue name; the workers must serve the same one. */
  name?: string;
}

const WasmMemory = (globalThis as { WebAssembly?: { Memory: new (...args: never[]) => object } }).WebAssembly?.Memory;

/**
 * The payload without what only this process's threads can use: a shared WebAssembly memory (a
 * forest packed for Predict's workers, packed-walk.ts) cannot be serialized, and a worker on
 * another machine packs its own. Nor can a worker elsewhere write into the arrays a task is lent
 * for its answer (`into`, shared memory a streamed Predict refills chunk after chunk): it answers
 * with the result instead, so the lent arrays are dropped rather than sent, which also keeps
 * their stale contents (the previous chunk's predictions) out of the stored input and its job id.
 */
export function portablePayload(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const entries = Object.entries(payload);
  const isMemory = (v: unknown) => WasmMemory !== undefined && v instanceof WasmMemory;
  const local = ([k, v]: [string, unknown]) => k === LENT || isMemory(v) || (v !== null && typeof v === 'object' && isMemory((v as { memory?: unknown }).memory));
  return entries.some(local) ? Object.fromEntries(entries.filter((e) => !local(e))) : payload;
}

/** The payload field a task writes its answer into when it runs on this process's threads. */
const LENT = 'into';

/** The job every remote task becomes: which task, which stored input, which result it makes. */
export interface QueueJobData {
  task: string;
  input: string;
  key: string;
}

export const DEFAULT_QUEUE = 'flowline';

/** Redis connection options from a URL (what ioredis and BullMQ take). */
export function redisConnection(url: string): ConnectionOptions & { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not echoed: a malformed URL may still hold a password.
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'The queue address is not a Redis URL.', hint: 'e.g. redis://127.0.0.1:6379' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `A queue URL starts with redis:// (got ${u.protocol}//).`, hint: 'e.g. redis://127.0.0.1:6379' });
  const db = Number(u.pathname.replace(/^\//, '') || 0);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}

/** A Redis URL as it may be printed: never with its password. */
export function redactUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/i, (_, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

export const cancelChannel = (name: string) => `flowline:${name}:cancel`;

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** The job id, and result key, of a task on a payload. */
export function jobKey(task: string, inputKey: string): string {
  return sha256(`${task}\0${inputKey}`);
}

interface Waiter {
  resolve: (key: string) => void;
  reject: (e: FlowlineError) => void;
  onProgress?: TaskRunOptions['onProgress'];
}

export class QueuePool implements TaskPool {
  readonly name: string;
  private readonly store: ContentStore;
  private readonly connection: ReturnType<typeof redisConnection>;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly publisher: Redis;
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly cancels = new Set<Promise<void>>();
  private ready: Promise<unknown> | null = null;
  private closing = false;

  constructor(
    settings: QueueSettings,
    readonly local: TaskPool,
    private readonly remote: ReadonlySet<string>,
  ) {
    this.name = settings.name ?? DEFAULT_QUEUE;
    this.store = new ContentStore(settings.storeDir);
    this.connection = redisConnection(settings.url);
    this.queue = new Queue(this.name, { connection: this.connection });
    this.events = new QueueEvents(this.name, { connection: this.connection });
    this.publisher = new Redis(this.connection);
    this.events.on('completed', ({ jobId }) => this.settle(jobId, null));
    this.events.on('failed', ({ jobId, failedReason }) => this.settle(jobId, failedReason));
    this.events.on('progress', ({ jobId, data }) => {
      const p = data as { fraction?: number; message?: string };
      for (const w of this.waiters.get(jobId) ?? []) w.onProgress?.(p.fraction ?? 0, p.message);
    });
  }

  async run<P, R>(task: WorkerTask<P, R>, payload: P, options: TaskRunOptions): Promise<R> {
    if (!this.remote.has(task.name)) {
      return this.local.run(task, payload, options);
    }
    if (options.signal.aborted || this.closing) throw cancelled();
    // close() waits for every job being submitted, so none reaches the queue after the run ended.
    const submitted = this.submit(task.name, payload, options);
    this.track(submitted.then(() => {}));
    const s = await submitted;
    if ('result' in s) return deserialize(s.result) as R;
    await s.done;
    const result = await this.store.get('results', s.key);
    if (!result) throw new FlowlineError({ code: 'WORKER_FAILED', message: `The result of a ${task.name} job is missing from the shared store ${this.store.dir}.`, hint: 'Every worker and this machine must see the same store folder (--store).' });
    return deserialize(result) as R;
  }

  /** Store the payload and queue its job (or find its result): the part of a call close() waits for. */
  private async submit(task: string, payload: unknown, options: TaskRunOptions): Promise<{ result: Buffer } | { key: string; done: Promise<string> }> {
    const bytes = serialize(portablePayload(payload));
    const input = sha256(bytes);
    const key = jobKey(task, input);
    const stored = await this.store.get('results', key);
    if (stored) {
      return { result: stored };
    }
    await this.store.put('inputs', input, bytes);
    this.ready ??= Promise.all([this.events.waitUntilReady(), this.queue.waitUntilReady()]);
    await this.ready;
    const done = new Promise<string>((resolve, reject) => {
      const w: Waiter = { resolve, reject, onProgress: options.onProgress };
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), w]);
      const onAbort = () => {
        this.dropWaiter(key, w);
        reject(cancelled());
        if (!this.waiters.has(key)) this.track(this.cancel(key));
      };
      const clear = () => options.signal.removeEventListener('abort', onAbort);
      w.resolve = (k) => (clear(), resolve(k));
      w.reject = (e) => (clear(), reject(e));
      // Cancelled during the awaits above: an 'abort' listener added now would never fire.
      if (options.signal.aborted || this.closing) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    });
    // It may fail while the job is being added, before anyone awaits it: not an unhandled rejection.
    done.catch(() => {});
    if (options.signal.aborted || this.closing) return { key, done };
    // Several attempts only for a lost worker (stalled job): failures in the data are final (queue-worker.ts).
    await this.queue.add(task, { task, input, key } satisfies QueueJobData, { jobId: key, attempts: 3, removeOnComplete: true, removeOnFail: true });
    // Cancelled while the job was being added: the cancel may have looked before it existed.
    if ((options.signal.aborted || this.closing) && !this.waiters.has(key)) this.track(this.cancel(key));
    // Finished before this waiter was listening (another run's job with the same key)?
    if (await this.store.has('results', key)) this.settle(key, null);
    return { key, done };
  }

  private settle(jobId: string, failedReason: string | null): void {
    const list = this.waiters.get(jobId);
    if (!list) return;
    this.waiters.delete(jobId);
    for (const w of list) {
      if (failedReason === null) w.resolve(jobId);
      else w.reject(new FlowlineError(parseFailure(failedReason)));
    }
  }

  private dropWaiter(key: string, w: Waiter): void {
    const rest = (this.waiters.get(key) ?? []).filter((x) => x !== w);
    if (rest.length) this.waiters.set(key, rest);
    else this.waiters.delete(key);
  }

  /** Remove a waiting job; ask the worker running an active one to stop, and wait until it is gone. */
  private async cancel(key: string): Promise<void> {
    const gone = new Promise<void>((resolve) => {
      const check = ({ jobId }: { jobId: string }) => {
        if (jobId !== key) return;
        this.events.off('completed', check);
        this.events.off('failed', check);
        this.events.off('removed', check);
        resolve();
      };
      this.events.on('completed', check);
      this.events.on('failed', check);
      this.events.on('removed', check);
    });
    for (;;) {
      const job = await this.queue.getJob(key);
      if (!job) return;
      const state = await job.getState();
      if (state === 'active') {
        await this.publisher.publish(cancelChannel(this.name), key);
        // The worker fails the job (removeOnFail): the 'failed' event, or it is already gone.
        await Promise.race([gone, this.until(async () => !(await this.queue.getJob(key)))]);
        return;
      }
      // Waiting, delayed or prioritised: removable, unless a worker took it meanwhile (then loop).
      if ((await this.queue.remove(key)) === 1) return;
    }
  }

  /** Re-check `done` whenever the queue reports any event (never on a timer of ours). */
  private until(done: () => Promise<boolean>): Promise<void> {
    return new Promise((resolve) => {
      const names = ['completed', 'failed', 'removed', 'active', 'stalled', 'waiting'] as const;
      const check = async () => {
        if (!(await done())) return;
        for (const n of names) this.events.off(n, check);
        resolve();
      };
      for (const n of names) this.events.on(n, check);
      void check();
    });
  }

  private track(p: Promise<void>): void {
    const t = p.catch(() => {}).finally(() => this.cancels.delete(t));
    this.cancels.add(t);
  }

  /** Waits for cancelled jobs to leave the queue, then disconnects. The local pool is the caller's. */
  async close(): Promise<void> {
    this.closing = true;
    // Submissions still under way cancel their own jobs (closing), which adds to `cancels`: until quiet.
    while (this.cancels.size) await Promise.all(this.cancels);
    for (const [key, list] of this.waiters) for (const w of list) w.reject(cancelled(`job ${key.slice(0, 12)}`));
    this.waiters.clear();
    await Promise.all([this.events.close(), this.queue.close(), this.publisher.quit().catch(() => {})]);
  }
}

function parseFailure(reason: string): ErrorInfo {
  try {
    const info = JSON.parse(reason) as ErrorInfo;
    if (info && typeof info.code === 'string' && typeof info.message === 'string') return info;
  } catch {
    // a failure BullMQ wrote itself (e.g. "job stalled more than allowable limit")
  }
  return { code: 'WORKER_FAILED', message: `A queue worker failed: ${reason}` };
}

function cancelled(what = 'Run cancelled.'): FlowlineError {
  return new FlowlineError({ code: 'CANCELLED', message: what === 'Run cancelled.' ? what : `Run cancelled (${what}).` });
}
