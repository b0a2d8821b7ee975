/** `flowline worker` processes from the sources, for the queue tests and bench/distributed.ts. */
import { spawn, type ChildProcess } from 'node:child_process';

const MAIN = new URL('./queue-worker-main.ts', import.meta.url).pathname;

export interface QueueWorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}

/** Starts a worker on one thread and resolves once it serves the queue. */
export function startQueueWorker(url: string, store: string, name: string, extra: string[] = []): Promise<QueueWorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--queue', url, '--store', store, '--name', name, '--threads', '1', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const worker = { child, output: () => out };
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('serving queue')) resolve(worker);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before serving: ${out}`)));
  });
}

/** SIGTERM, then wait for it to exit (it prints how many jobs it ran on the way out). */
export function stopQueueWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
