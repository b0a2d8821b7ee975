/**
 * `flowline worker --queue redis://HOST:6379 --store DIR`: take heavy work from pipelines run with
 * `flowline run FILE --queue ... --store DIR` on any machine (docs/scale-out.md).
 */
import { resolve } from 'node:path';
import { redactUrl, type QueuePool } from '../exec/queue-pool.ts';
import type { TaskRegistry } from '../exec/task-registry.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { CliParts } from './cli.ts';
import { parseCommandArgs } from './cli-args.ts';
import { QUEUE_TASKS } from './worker-tasks.ts';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export const WORKER_USAGE = 'flowline worker --queue redis://HOST:6379 --store DIR [--name flowline] [--threads N] [--lock-ms 30000]';

export async function workerCommand(args: string[], { tasks }: CliParts, io: Io, stop: Promise<unknown> = sigterm()): Promise<number> {
  const { values: v } = parseCommandArgs(
    args,
    { queue: { type: 'string' }, store: { type: 'string' }, name: { type: 'string' }, threads: { type: 'string' }, 'lock-ms': { type: 'string' } },
    WORKER_USAGE,
    'flowline worker',
  );
  if (!v.queue || !v.store) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'flowline worker needs --queue (the Redis URL) and --store (the shared folder).', hint: WORKER_USAGE });
  const threads = v.threads === undefined ? undefined : Number(v.threads);
  const lockMs = v['lock-ms'] === undefined ? undefined : Number(v['lock-ms']);
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: '--threads is a whole number, 1 or more.', hint: WORKER_USAGE });
  if (lockMs !== undefined && !(Number.isInteger(lockMs) && lockMs >= 1000)) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: '--lock-ms is a whole number of milliseconds, 1000 or more.', hint: WORKER_USAGE });
  const { serveQueue } = await import('../exec/queue-worker.ts');
  const worker = await serveQueue({ url: v.queue, storeDir: resolve(v.store), name: v.name, registry: tasks, serve: QUEUE_TASKS, threads, lockMs, log: (l) => io.stderr.write(`${l}\n`) });
  // The password of a Redis URL is never printed.
  io.stdout.write(`flowline worker: serving queue "${v.name ?? 'flowline'}" on ${redactUrl(v.queue)}, store ${resolve(v.store)}\n`);
  await stop;
  await worker.close();
  const ran = Object.entries(worker.completed);
  io.stdout.write(`flowline worker: ran ${ran.reduce((n, [, c]) => n + c, 0)} jobs${ran.length ? ` (${ran.map(([t, c]) => `${t} ${c}`).join(', ')})` : ''}\n`);
  return 0;
}

function sigterm(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGTERM', () => done());
    process.once('SIGINT', () => done());
  });
}

/** `flowline run --queue URL --store DIR`: the queue in front of a local pool for what stays here. */
export async function queuePoolFor(options: { queue: string; store?: string; name?: string }, tasks: TaskRegistry): Promise<QueuePool> {
  if (!options.store) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: '--queue needs --store: the folder the workers share with this machine.', hint: 'e.g. flowline run p.flow.json --queue redis://10.0.0.5:6379 --store /mnt/flowline-store' });
  const [{ QueuePool }, { WorkerPool }] = await Promise.all([import('../exec/queue-pool.ts'), import('../exec/worker-pool.ts')]);
  return new QueuePool({ url: options.queue, storeDir: resolve(options.store), name: options.name }, new WorkerPool(tasks), QUEUE_TASKS);
}
