/**
 * The Code node's engine: the user's JavaScript runs on the table as a danfojs-node DataFrame in
 * a worker thread of its own, with a memory cap (resourceLimits) and a time limit; the worker is
 * terminated on timeout or when the run is cancelled. Errors carry the user's line number.
 *
 * Loading danfo takes a worker about a second. A long-lived host (the studio) calls
 * keepCodeWorkerWarm(): after each Code run one spare worker starts loading danfo, unused, so the
 * next run (an edit and rerun) starts at once. Every worker still runs a single job.
 */
import { Worker } from 'node:worker_threads';
import { FlowlineError, type ColumnType, type RunContext } from '../../spec/index.ts';
import type { FrameColumn } from '../frame.ts';

export interface CodeResult {
  columns: Record<string, FrameColumn>;
  types: Record<string, ColumnType>;
  rows: number;
}

export interface CodeLimits {
  timeoutMs: number;
  memoryMb: number;
}

const WORKER = new URL('./danfo-worker.mjs', import.meta.url);

type WorkerMessage =
  | { type: 'log'; message: string }
  | { type: 'error'; phase: 'compile' | 'run' | 'result'; message: string; line?: number }
  | ({ type: 'result' } & CodeResult);

/** A worker started ahead of its run (danfo loading), for the memory limit it was started with. */
interface Spare {
  worker: Worker;
  memoryMb: number;
  idle: NodeJS.Timeout;
}

/** How many long-lived hosts asked for a warm worker (each service asks once, and lets go on dispose). */
let warmHolders = 0;
let spare: Spare | null = null;
/** A spare nobody used within this long is stopped (it holds danfo's memory). */
const SPARE_IDLE_MS = 10 * 60_000;
/** How workers were obtained, for tests. */
export const codeWorkerStats = { started: 0, fromSpare: 0 };

/** Keep one spare Code worker ready after each run (a long-lived host); `false` lets go of that. */
export function keepCodeWorkerWarm(on = true): void {
  warmHolders = Math.max(0, warmHolders + (on ? 1 : -1));
  if (warmHolders === 0) dropSpare();
}

function startWorker(memoryMb: number): Worker {
  codeWorkerStats.started++;
  return new Worker(WORKER, {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, memoryMb / 8)) },
    stdout: false,
    stderr: false,
  });
}

function dropSpare(): void {
  if (!spare) return;
  clearTimeout(spare.idle);
  void spare.worker.terminate();
  spare = null;
}

/** The spare if it has the right memory limit (and is alive), else a new worker. */
function takeWorker(memoryMb: number): Worker {
  const s = spare;
  spare = null;
  if (s) {
    clearTimeout(s.idle);
    if (s.memoryMb === memoryMb && s.worker.threadId >= 0) {
      codeWorkerStats.fromSpare++;
      s.worker.ref();
      s.worker.removeAllListeners();
      return s.worker;
    }
    void s.worker.terminate();
  }
  return startWorker(memoryMb);
}

function prepareSpare(memoryMb: number): void {
  if (warmHolders === 0 || spare) return;
  const worker = startWorker(memoryMb);
  // Never keeps the process alive, and a spare that dies (out of memory while loading) is forgotten.
  worker.unref();
  worker.on('error', () => {});
  worker.on('exit', () => {
    if (spare?.worker === worker) spare = null;
  });
  const idle = setTimeout(dropSpare, SPARE_IDLE_MS);
  idle.unref();
  spare = { worker, memoryMb, idle };
}

export function runUserCode(ctx: RunContext, code: string, columns: Record<string, FrameColumn>, limits: CodeLimits): Promise<CodeResult> {
  return new Promise((resolve, reject) => {
    const worker = takeWorker(limits.memoryMb);
    worker.postMessage({ code, columns });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      prepareSpare(limits.memoryMb);
      fn();
    };
    const fail = (info: ConstructorParameters<typeof FlowlineError>[0]) => finish(() => reject(new FlowlineError({ nodeId: ctx.nodeId, ...info })));
    const timer = setTimeout(
      () => fail({ code: 'TIMEOUT', message: `Run Code: the code ran longer than ${limits.timeoutMs / 1000} s and was stopped.`, hint: 'Look for an endless loop, work on fewer rows, or raise the time limit.' }),
      limits.timeoutMs,
    );
    const onAbort = () => fail({ code: 'CANCELLED', message: 'Run cancelled.' });
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort);
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'log') ctx.log(msg.message);
      else if (msg.type === 'error') {
        const where = msg.line !== undefined ? ` (line ${msg.line})` : '';
        const what = msg.phase === 'compile' ? 'the code does not parse' : msg.phase === 'result' ? 'the code must return a DataFrame' : 'the code failed';
        fail({
          code: 'EXPRESSION_ERROR',
          message: `Run Code: ${what}${where}: ${msg.message}`,
          line: msg.line,
          hint: msg.phase === 'result' ? 'End with `return df` (or write `(df, dfd) => df.query(...)`).' : 'Fix the code at that line; `df` is the input DataFrame and `dfd` the danfo module.',
        });
      } else finish(() => resolve({ columns: msg.columns, types: msg.types, rows: msg.rows }));
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') fail({ code: 'WORKER_FAILED', message: `Run Code: the code used more than the ${limits.memoryMb} MB memory limit and was stopped.`, hint: 'Work on fewer rows or columns, or raise the memory limit.' });
      else fail({ code: 'WORKER_FAILED', message: `Run Code: the code's worker failed: ${e.message}` });
    });
    worker.on('exit', (code) => fail({ code: 'WORKER_FAILED', message: `Run Code: the code's worker stopped unexpectedly (exit code ${code}).` }));
  });
}
