/**
 * `flowline run --queue` with two `flowline worker` processes on a real Redis (loopback): the same
 * numbers as a local run, bit for bit; a worker killed mid-job leaves the run finishing with those
 * numbers; a cancelled run leaves no job behind. Needs redis-server (bash .ci/run starts one and
 * sets FLOWLINE_TEST_REDIS_URL); without it the suite is reported skipped, loudly.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { redactUrl, redisConnection } from '../../../core/exec/queue-pool.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';
import { startQueueWorker, stopQueueWorker, type QueueWorkerProcess } from '../../support/queue-worker.ts';

const url = process.env.FLOWLINE_TEST_REDIS_URL;
if (!url) console.warn('\n*** FLOWLINE_TEST_REDIS_URL is not set: the distributed worker queue tests are SKIPPED (needs redis-server; bash .ci/run starts it) ***\n');

const PENGUINS = new URL('../../../templates/data/penguins.csv', import.meta.url).pathname;
const parts = { nodes: NODES, tasks: WORKER_TASKS };

let work: string;
const workers: ChildProcess[] = [];
const outputs = new Map<ChildProcess, QueueWorkerProcess>();
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'flowline-queue-'));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopQueueWorker));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A 20-trial Tune and a 5-fold cross-validation of a 30-tree forest, on the penguins. */
function project(name: string, extra: { trials?: number } = {}): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(PENGUINS, join(dir, 'penguins.csv'));
  const features = ['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g'];
  const pipeline = {
    format: 'flowline.pipeline',
    version: 2,
    name: 'queue test',
    seed: 7,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'penguins.csv' } },
      { id: 'known', type: 'data.filter_rows', version: 1, params: { condition: 'beak_length_mm IS NOT NULL AND body_mass_g IS NOT NULL' } },
      { id: 'tune', type: 'ml.tune', version: 2, params: { target: 'species', learner: 'decision_tree', space: { max_depth: { int: [1, 8] }, min_samples_leaf: { int: [1, 20] } }, method: 'random', n_trials: extra.trials ?? 20, folds: 3, features } },
      { id: 'cv', type: 'ml.cross_validate', version: 2, params: { target: 'species', learner: 'random_forest', learner_params: { n_estimators: 30 }, folds: 5, features } },
    ],
    edges: [
      { from: 'load.table', to: 'known.table' },
      { from: 'known.table', to: 'tune.table' },
      { from: 'known.table', to: 'cv.table' },
    ],
  };
  writeFileSync(join(dir, 'p.flow.json'), JSON.stringify(pipeline, null, 2));
  return join(dir, 'p.flow.json');
}

async function startWorker(queue: string, store: string, extra: string[] = []): Promise<ChildProcess> {
  const w = await startQueueWorker(url!, store, queue, extra);
  workers.push(w.child);
  outputs.set(w.child, w);
  return w.child;
}

async function run(file: string, args: string[] = [], signal?: AbortSignal) {
  const { io, out } = captureIo();
  const pending = main(['run', file, '--json', '--no-cache', ...args], parts, io);
  if (signal) signal.addEventListener('abort', () => process.emit('SIGINT'), { once: true });
  const code = await pending;
  return { code, report: JSON.parse(out.stdout) as { status: string; nodes: { id: string; status: string; error?: { message: string } }[]; metrics: Record<string, Record<string, number>> }, stderr: out.stderr };
}

async function jobCounts(queue: string) {
  const q = new Queue(queue, { connection: redisConnection(url!) });
  try {
    return await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
  } finally {
    await q.close();
  }
}

describe.skipIf(!url)('flowline run --queue with flowline worker processes (BullMQ on Redis)', () => {
  it('gives a 20-trial Tune and a 5-fold cross-validation bit-identical to a local run, the work done by the workers', async () => {
    const local = await run(project('local'));
    expect(local.code, local.stderr).toBe(0);

    const store = join(work, 'store-1');
    const pair = await Promise.all([startWorker('q1', store), startWorker('q1', store)]);
    const file = project('queued');
    const queued = await run(file, ['--queue', url!, '--store', store, '--queue-name', 'q1']);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.report.metrics).toEqual(local.report.metrics);
    expect(Object.keys(queued.report.metrics.tune ?? {}).length).toBeGreaterThan(0);
    // Every fold fit of every distinct trial setting (random search may draw one twice: one job), the
    // five forest folds and the best model's refit were jobs, each run by exactly one of the workers.
    const { readdirSync } = await import('node:fs');
    const results = readdirSync(join(store, 'results')).flatMap((d) => readdirSync(join(store, 'results', d)));
    expect(results.length).toBeGreaterThan(3 * 10 + 5);

    // Asked again, nothing is computed again: every job's result is read from the store.
    const again = await run(file, ['--queue', url!, '--store', store, '--queue-name', 'q1']);
    expect(again.report.metrics).toEqual(local.report.metrics);
    expect(readdirSync(join(store, 'results')).flatMap((d) => readdirSync(join(store, 'results', d))).length).toBe(results.length);
    expect(await jobCounts('q1')).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    await Promise.all(pair.map(stopQueueWorker));
    const ran = pair.map((w) => Number(/ran (\d+) jobs/.exec(outputs.get(w)!.output())?.[1]));
    expect(ran[0] + ran[1]).toBe(results.length);
  }, 300_000);

  it('finishes with the same numbers when a worker is killed (SIGKILL) in the middle of a job', async () => {
    const local = await run(project('local-kill', { trials: 4 }));
    const store = join(work, 'store-2');
    const first = await startWorker('q2', store, ['--lock-ms', '2000']);
    const events = new QueueEvents('q2', { connection: redisConnection(url!) });
    await events.waitUntilReady();
    // The first job this lone worker takes: kill it there, then start the one that must take over.
    const killed = new Promise<void>((resolve) => {
      events.once('active', () => {
        first.kill('SIGKILL');
        resolve();
      });
    });
    const running = run(project('queued-kill', { trials: 4 }), ['--queue', url!, '--store', store, '--queue-name', 'q2']);
    await killed;
    await startWorker('q2', store, ['--lock-ms', '2000']);
    const queued = await running;
    await events.close();
    expect(first.signalCode).toBe('SIGKILL');
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.report.metrics).toEqual(local.report.metrics);
  }, 300_000);

  it('leaves no job in the queue when the run is cancelled mid-way', async () => {
    const store = join(work, 'store-3');
    await startWorker('q3', store);
    const events = new QueueEvents('q3', { connection: redisConnection(url!) });
    await events.waitUntilReady();
    const controller = new AbortController();
    // Cancel once the workers have finished a few jobs: some done, some running, many waiting.
    let completed = 0;
    events.on('completed', () => {
      if (++completed === 3) controller.abort();
    });
    const cancelled = await run(project('queued-cancel', { trials: 60 }), ['--queue', url!, '--store', store, '--queue-name', 'q3'], controller.signal);
    await events.close();
    expect(cancelled.report.status).toBe('cancelled');
    expect(await jobCounts('q3')).toMatchObject({ waiting: 0, active: 0, delayed: 0, prioritized: 0, completed: 0, failed: 0 });
  }, 300_000);

  it('fails the node, naming the store, when a worker does not see the store the run writes to', async () => {
    await startWorker('q4', join(work, 'store-4-worker'));
    const r = await run(project('queued-wrong-store', { trials: 1 }), ['--queue', url!, '--store', join(work, 'store-4-run'), '--queue-name', 'q4']);
    expect(r.code).toBe(1);
    const failed = r.report.nodes.filter((n) => n.error);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].error?.message).toMatch(/missing from the shared store/);
  }, 120_000);
});

describe('queue settings', () => {
  it('never prints the password of a Redis URL', () => {
    expect(redactUrl('redis://:s3cret@10.0.0.5:6379/2')).toBe('redis://:***@10.0.0.5:6379/2');
    expect(redactUrl('redis://ops:s3cret@10.0.0.5:6379')).toBe('redis://ops:***@10.0.0.5:6379');
    expect(redactUrl('redis://10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
  });

  it('refuses a queue URL that is not redis://, without echoing its password', () => {
    expect(() => redisConnection('http://u:s3cret@host:6379')).toThrow(/redis:\/\//);
    expect(() => redisConnection('not a url :s3cret@')).not.toThrow(/s3cret/);
  });
});
