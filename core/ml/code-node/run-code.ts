/**
 * The Code node's engine: the user's JavaScript runs on the table as a danfojs-node DataFrame in
 * a sandbox process of its own (sandbox.ts: permission model, no environment, no network, its own
 * namespaces and a memory cap where the OS offers them), with a time limit; the process group is
 * killed on timeout or when the run is cancelled. Errors carry the user's line number. Whatever the
 * code does to its own process, the host only sees it end.
 *
 * Loading danfo takes a process about a second. A long-lived host (the studio) calls
 * keepCodeWorkerWarm(): after each Code run one spare process starts loading danfo, unused, so the
 * next run (an edit and rerun) starts at once. Every process still runs a single job.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { FlowlineError, type ColumnType, type RunContext } from '../../spec/index.ts';
import type { FrameColumn } from '../frame.ts';
import { sandboxCommand, sandboxLayers } from './sandbox.ts';

export interface CodeResult {
  columns: Record<string, FrameColumn>;
  types: Record<string, ColumnType>;
  rows: number;
}

export interface CodeLimits {
  timeoutMs: number;
  memoryMb: number;
}

type ChildMessage =
  | { type: 'ready' }
  | { type: 'log'; message: string }
  | { type: 'error'; phase: 'compile' | 'run' | 'result'; message: string; line?: number }
  | ({ type: 'result' } & CodeResult);

/** A sandbox process with what it has said so far. */
interface Sandbox {
  child: ChildProcess;
  /** What it was started with (memory limit, sandbox layers): a spare is used only for the same. */
  kind: string;
  /** The last of its stderr (a crash message), bounded. */
  stderr: string;
  exited: boolean;
  /** danfo is loaded: the job can be sent. */
  ready: boolean;
}

/** A process started ahead of its run (danfo loading), for the memory limit it was started with. */
interface Spare {
  box: Sandbox;
  idle: NodeJS.Timeout;
}

/** How many long-lived hosts asked for a warm process (each service asks once, and lets go on dispose). */
let warmHolders = 0;
let spare: Spare | null = null;
/** A spare nobody used within this long is stopped (it holds danfo's memory). */
const SPARE_IDLE_MS = 10 * 60_000;
/** Log lines one run may send, and their length: a flood from the code must not fill the host. */
const MAX_LOGS = 1000;
const MAX_LOG_CHARS = 2000;
/** How sandbox processes were obtained, for tests. */
export const codeWorkerStats = { started: 0, fromSpare: 0 };

// A spare runs in its own process group: stop it with the host rather than leave it waiting.
process.once('exit', () => dropSpare());

/** Keep one spare Code process ready after each run (a long-lived host); `false` lets go of that. */
export function keepCodeWorkerWarm(on = true): void {
  warmHolders = Math.max(0, warmHolders + (on ? 1 : -1));
  if (warmHolders === 0) dropSpare();
}

const kindOf = (memoryMb: number) => `${memoryMb}:${JSON.stringify(sandboxLayers())}`;

function startSandbox(memoryMb: number): Sandbox {
  codeWorkerStats.started++;
  const { command, args, env } = sandboxCommand(memoryMb);
  const child = spawn(command, args, {
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
    // Its own process group, so that the whole of it (wrappers included) is killed at once.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const box: Sandbox = { child, kind: kindOf(memoryMb), stderr: '', exited: false, ready: false };
  child.on('message', (m: { type?: string } | null) => {
    if (m?.type === 'ready') box.ready = true;
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => (box.stderr = (box.stderr + d).slice(-4000)));
  child.on('exit', () => (box.exited = true));
  // A process that cannot start (no such binary) reports through 'error'; never unhandled.
  child.on('error', () => (box.exited = true));
  return box;
}

function stopSandbox(box: Sandbox): void {
  if (box.exited) return;
  try {
    if (process.platform !== 'win32' && box.child.pid) process.kill(-box.child.pid, 'SIGKILL');
    else box.child.kill('SIGKILL');
  } catch {
    box.child.kill('SIGKILL');
  }
}

function dropSpare(): void {
  if (!spare) return;
  clearTimeout(spare.idle);
  stopSandbox(spare.box);
  spare = null;
}

/** The spare if it has the right memory limit (and is alive), else a new process. */
function takeSandbox(memoryMb: number): Sandbox {
  const s = spare;
  spare = null;
  if (s) {
    clearTimeout(s.idle);
    if (s.box.kind === kindOf(memoryMb) && !s.box.exited) {
      codeWorkerStats.fromSpare++;
      s.box.child.ref();
      s.box.child.channel?.ref();
      return s.box;
    }
    stopSandbox(s.box);
  }
  return startSandbox(memoryMb);
}

function prepareSpare(memoryMb: number): void {
  if (warmHolders === 0 || spare) return;
  const box = startSandbox(memoryMb);
  // Never keeps the host alive; a spare that dies is forgotten.
  box.child.unref();
  box.child.channel?.unref();
  box.child.on('exit', () => {
    if (spare?.box === box) spare = null;
  });
  const idle = setTimeout(dropSpare, SPARE_IDLE_MS);
  idle.unref();
  spare = { box, idle };
}

export function runUserCode(ctx: RunContext, code: string, columns: Record<string, FrameColumn>, limits: CodeLimits): Promise<CodeResult> {
  return new Promise((resolve, reject) => {
    const box = takeSandbox(limits.memoryMb);
    const { child } = box;
    const wasReady = box.ready;
    let settled = false;
    let logs = 0;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      child.removeAllListeners('message');
      child.removeAllListeners('exit');
      stopSandbox(box);
      prepareSpare(limits.memoryMb);
      fn();
    };
    const fail = (info: ConstructorParameters<typeof FlowlineError>[0]) => finish(() => reject(new FlowlineError({ nodeId: ctx.nodeId, ...info })));
    const outOfMemory = () =>
      fail({ code: 'WORKER_FAILED', message: `Run Code: the code used more than its ${limits.memoryMb} MB memory limit and was stopped.`, hint: 'Work on fewer rows or columns, or raise the memory limit.' });
    const timer = setTimeout(
      () => fail({ code: 'TIMEOUT', message: `Run Code: the code ran longer than ${limits.timeoutMs / 1000} s and was stopped.`, hint: 'Look for an endless loop, work on fewer rows, or raise the time limit.' }),
      limits.timeoutMs,
    );
    const onAbort = () => fail({ code: 'CANCELLED', message: 'Run cancelled.' });
    if (ctx.signal.aborted) return onAbort();
    ctx.signal.addEventListener('abort', onAbort);

    const sendJob = () => {
      try {
        child.send({ code, columns });
      } catch (e) {
        fail({ code: 'WORKER_FAILED', message: `Run Code: the code's process could not be given the table: ${(e as Error).message}` });
      }
    };
    child.on('message', (raw: unknown) => {
      const msg = raw as ChildMessage;
      switch (msg?.type) {
        case 'ready':
          // Said once, while this run listens (a spare said it before and was ready when taken).
          return wasReady ? undefined : sendJob();
        case 'log':
          if (++logs <= MAX_LOGS) ctx.log(String(msg.message).slice(0, MAX_LOG_CHARS));
          else if (logs === MAX_LOGS + 1) ctx.log(`(the code logged more than ${MAX_LOGS} lines; the rest are not shown)`);
          return;
        case 'error': {
          const text = String(msg.message);
          if (/allocation failed|out of memory|Invalid array length|heap limit/i.test(text)) return outOfMemory();
          const line = typeof msg.line === 'number' ? msg.line : undefined;
          const where = line !== undefined ? ` (line ${line})` : '';
          const what = msg.phase === 'compile' ? 'the code does not parse' : msg.phase === 'result' ? 'the code must return a DataFrame' : 'the code failed';
          return fail({
            code: 'EXPRESSION_ERROR',
            message: `Run Code: ${what}${where}: ${text}`,
            line,
            hint: msg.phase === 'result' ? 'End with `return df` (or write `(df, dfd) => df.query(...)`).' : 'Fix the code at that line; `df` is the input DataFrame and `dfd` the danfo module.',
          });
        }
        case 'result': {
          const result = checkedResult(msg);
          if (typeof result === 'string') return fail({ code: 'WORKER_FAILED', message: `Run Code: the code's process sent back a table Flowline cannot read (${result}).` });
          return finish(() => resolve(result));
        }
        default:
          return fail({ code: 'WORKER_FAILED', message: "Run Code: the code's process sent a message Flowline does not know." });
      }
    });
    child.on('error', (e) => fail({ code: 'WORKER_FAILED', message: `Run Code: the code's process could not start: ${e.message}` }));
    child.on('exit', (exitCode, signal) => {
      if (/heap limit|out of memory|allocation failed/i.test(box.stderr)) return outOfMemory();
      const how = signal ? `was stopped by ${signal}` : `exited with code ${exitCode}`;
      fail({ code: 'WORKER_FAILED', message: `Run Code: the code's process ${how} before it returned a table.`, hint: 'The code may have ended its own process; Flowline itself is unaffected.' });
    });
    if (wasReady) sendJob();
  });
}

/** The child's table, checked: it is the sandbox's word, and the sandbox is not trusted. */
function checkedResult(msg: { columns?: unknown; types?: unknown; rows?: unknown }): CodeResult | string {
  const { columns, types, rows } = msg;
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0) return 'no row count';
  if (!columns || typeof columns !== 'object' || !types || typeof types !== 'object') return 'no columns';
  const allowed = new Set<string>(['number', 'integer', 'string', 'boolean', 'date', 'timestamp']);
  for (const [name, values] of Object.entries(columns as Record<string, unknown>)) {
    const type = (types as Record<string, unknown>)[name];
    if (typeof type !== 'string' || !allowed.has(type)) return `column "${name}" has no known type`;
    const ok = values instanceof Float64Array || (Array.isArray(values) && values.every((v) => v === null || typeof v === 'string'));
    if (!ok || (values as ArrayLike<unknown>).length !== rows) return `column "${name}" is not ${rows} values`;
  }
  return { columns: columns as CodeResult['columns'], types: types as CodeResult['types'], rows };
}
