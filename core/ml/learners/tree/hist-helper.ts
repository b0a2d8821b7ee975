import { Worker } from 'node:worker_threads';
import type { KernelMemory, TreeKernels } from './tree-kernels.ts';
import { columnEdges, slotEdges } from './binning.ts';
import { sortDoubles } from './sort-doubles.ts';

/**
 * A second thread for the histogram grower: it instantiates the same kernels on the grower's
 * shared WebAssembly memory and builds the histograms of a range of features while the caller's
 * thread builds the others; it also partitions, computes log-loss gradients and adds leaf values
 * for half of the rows, and finds the larger child's split while the caller finds the smaller's.
 * Before any tree, it finds the bin edges of every other group of features (binning.ts).
 * Synchronous on the caller's side (Learner.fit is): a command is
 * posted through a small SharedArrayBuffer and woken with Atomics.notify, and the caller waits
 * for it with Atomics.wait (Node allows that on the main thread too). Both sides spin a little
 * before sleeping: commands come every few hundred microseconds while a tree grows.
 *
 * Until the thread has started (tens of milliseconds) `post` answers false and the caller builds
 * the whole histogram itself; every feature's bins are summed in the same row order either way,
 * so the result does not depend on which thread did what. A posted command that the helper has
 * not claimed yet when the caller is done with its own half, the caller claims and runs itself
 * (the same kernel on the same arguments): on busy cores (another fit beside this one) the caller
 * never sleeps waiting for a thread the system has not scheduled. The thread never keeps the
 * process alive (unref) and `close` ends it.
 */

// Slots of the control array (Int32).
const READY = 0;
const SEQ = 1;
const DONE = 2;
const FAILED = 3;
const OP = 4;
const RESULT = 5;
/** The open command's seq until a thread claims it: -1 the helper, -2 the caller. */
const CLAIM = 6;
/** HistHelperSchedule as a number: 0 adaptive, 1 helper runs all, 2 caller runs all. */
const MODE = 7;
const ARGS = 8;
/**
 * 1 while the helper (resp. the caller) sleeps in Atomics.wait, or is about to: the other side
 * notifies only then. Every notify takes a process-wide lock in V8, which a thread preempted
 * while holding it keeps from the other thread for a whole time slice on busy cores.
 */
const HELPER_SLEEPS = ARGS + 8;
const CALLER_SLEEPS = ARGS + 9;
const SLOTS = ARGS + 10;

const OP_EXIT = 0;
export const OP_HIST_ROWS = 1;
export const OP_HIST_ALL = 2;
/**
 * Log-loss gradients of rows [start, stop) into the interleaved float32 (g, h) buffer (on the
 * log-loss kernel, see logLossKernelRows), args: byte offsets
 * of raw, y, w (f64 per row), gh, then start, stop. The same values as
 * hist-gradient-boosting.ts's gradients() with check-input.ts's sigmoid (tests compare them).
 */
export const OP_LOG_LOSS = 3;
/** The partition kernel, its 8 arguments; `wait` returns its result. */
export const OP_PARTITION = 4;
/**
 * A node's best split (the bestSplit kernel, split-kernel.ts), args: byte offsets of its histogram, of a
 * histogram to subtract from it first (or -1), of nBinsNonMissing (i32 × cols) and hasMissing
 * (u8 × cols), then cols, then the byte offset of its SPLIT_IO doubles.
 */
export const OP_SPLIT = 5;
/** The addLeaves kernel over positions [from, to), its 6 arguments (byte offsets of raw, idx, the leaves, then nLeaves, from, to). */
export const OP_LEAVES = 6;
/**
 * Bin edges of a group of gathered columns (binning.ts slotEdges), args: byte offset of the
 * slot, m, j0, n, byte offsets of the padded thresholds and of nBins, maxBins.
 */
export const OP_EDGES = 7;

/**
 * Who runs a posted command. 'adaptive' (always, outside tests): whichever thread gets to it
 * first, so the split depends on scheduling. Tests pin it to check each path deterministically:
 * both wait for the thread to start; then 'helper' never takes a command back, and under 'caller'
 * the helper never claims one (the caller's take-back path runs every time).
 */
export type HistHelperSchedule = 'adaptive' | 'helper' | 'caller';
const MODES: Record<HistHelperSchedule, number> = { adaptive: 0, helper: 1, caller: 2 };
let schedule: HistHelperSchedule = 'adaptive';

/** For tests: how helpers started from now on share the work (see HistHelperSchedule). */
export function setHistHelperSchedule(mode: HistHelperSchedule): void {
  schedule = mode;
}

/** How long a 'helper' schedule waits for the thread to start before giving up on it. */
const START_TIMEOUT_MS = 60_000;

/** A command not done after this long means the helper thread died (see wait). */
const HELPER_TIMEOUT_MS = 300_000;

/** Iterations of the spin before a thread sleeps in Atomics.wait. */
const SPIN = 20_000;

/**
 * Log-loss gradients and hessians of rows [from, to) into the interleaved float32 `gh`, with the sigmoid
 * of check-input.ts written out. Self-contained on purpose: the helper thread runs this same
 * function (its source text), so both threads compute every row the same way.
 */
export function logLossRows(raw: Float64Array, y: Float64Array, w: Float64Array, gh: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const z = raw[i];
    const e = Math.exp(-Math.abs(z));
    // 1 / (1 + e) for z ≥ 0, e / (1 + e) below: the numerator picked by arithmetic (exact: s is
    // 0 or 1, e finite), since a ternary on z's sign is a branch that mispredicts half the rows.
    const s = +(z >= 0);
    const p = (s + (1 - s) * e) / (1 + e);
    gh[2 * i] = w[i] * (p - y[i]);
    gh[2 * i + 1] = w[i] * p * (1 - p);
  }
}

/**
 * logLossRows on the log-loss kernel (log-loss-kernel.ts; the same float32 values): `at` holds the
 * byte offsets of raw, y, w and gh in the kernels' memory. The kernel does the rows in pairs;
 * an odd last row, or the whole range when a row lies outside the kernel's range (|raw| > 708,
 * NaN), are done by logLossRows. The helper thread does the same in its source (HELPER_SOURCE).
 */
export function logLossKernelRows(k: TreeKernels, raw: Float64Array, y: Float64Array, w: Float64Array, gh: Float32Array, at: number[], from: number, to: number): void {
  let rest = to;
  if (k.logLoss(at[0], at[1], at[2], at[3], from, to) !== 0) rest = from;
  else if (((to - from) & 1) === 1) rest = to - 1;
  if (rest < to) logLossRows(raw, y, w, gh, rest, to);
}

const HELPER_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const c = new Int32Array(control);
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const logLossRows = ${logLossRows.toString()};
const sortDoubles = ${sortDoubles.toString()};
const columnEdges = ${columnEdges.toString()};
const slotEdges = ${slotEdges.toString()};
// As logLossKernelRows.
function logLoss(buf, rawAt, yAt, wAt, ghAt, start, stop) {
  let rest = stop;
  if (k.logLoss(rawAt, yAt, wAt, ghAt, start, stop) !== 0) rest = start;
  else if (((stop - start) & 1) === 1) rest = stop - 1;
  if (rest === stop) return;
  const view = (at, n) => new Float64Array(buf, at, n);
  logLossRows(view(rawAt, stop), view(yAt, stop), view(wAt, stop), new Float32Array(buf, ghAt, 2 * stop), rest, stop);
}
function split(histAt, subAt, nbAt, hmAt, cols, ioAt) {
  if (subAt >= 0) k.subtract(histAt, subAt, nbAt, cols);
  k.bestSplit(histAt, nbAt, hmAt, cols, ioAt);
}
// Bin edges come first, a few large commands, each this thread's first run of that code: cold,
// a column of 100k values took 35–150 ms against ~5 warm (measured under load). So run it on
// small columns before saying ready; meanwhile the caller finds its first groups' edges itself.
{
  const a = new Float64Array(8192);
  const s = new Float64Array(8192);
  const o = new Float64Array(255);
  for (let r = 0; r < 3; r++) {
    for (let i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.7 + r) * 1e3;
    columnEdges(a, s, 255, o, 0, sortDoubles);
  }
}
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
let seen = 0;
// Spin less while the caller keeps getting to commands first (this thread is not scheduled in
// time: the cores are busy), more while this thread gets them.
let spin = ${SPIN};
for (;;) {
  let spins = 0;
  while (Atomics.load(c, ${SEQ}) === seen) {
    if (++spins > spin) {
      // Flag first, then wait only while SEQ is unchanged: a post after the flag notifies, a
      // post before it changed SEQ and the wait returns at once (no lost wake-up).
      Atomics.store(c, ${HELPER_SLEEPS}, 1);
      Atomics.wait(c, ${SEQ}, seen);
      Atomics.store(c, ${HELPER_SLEEPS}, 0);
      spins = 0;
    }
  }
  seen = Atomics.load(c, ${SEQ});
  const op = c[${OP}];
  if (op === ${OP_EXIT}) break;
  // The caller runs the command itself when it gets there first (this thread is late), and
  // always under the 'caller' schedule.
  if (c[${MODE}] === ${MODES.caller} || Atomics.compareExchange(c, ${CLAIM}, seen, -1) !== seen) {
    spin = Math.max(spin >> 1, 64);
    continue;
  }
  spin = Math.min(spin * 2, ${SPIN});
  const a = ${ARGS};
  try {
    if (op === ${OP_HIST_ROWS}) k.histRows(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
    else if (op === ${OP_HIST_ALL}) k.histAll(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5]);
    else if (op === ${OP_PARTITION}) c[${RESULT}] = k.partition(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
    else if (op === ${OP_SPLIT}) split(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5]);
    else if (op === ${OP_LEAVES}) k.addLeaves(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5]);
    else if (op === ${OP_EDGES}) slotEdges(memory.buffer, c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], columnEdges, sortDoubles);
    else logLoss(memory.buffer, c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5]);
  } catch (e) {
    Atomics.store(c, ${FAILED}, 1);
  }
  Atomics.store(c, ${DONE}, seen);
  if (Atomics.load(c, ${CALLER_SLEEPS}) === 1) Atomics.notify(c, ${DONE});
}
`;

/**
 * Commands posted to helpers since the process started, those the caller ran itself, and helpers
 * not closed yet (tests and benchmarks read them).
 */
export const histHelperStats = { commands: 0, ranHere: 0, live: 0 };

export class HistHelper {
  private readonly control: Int32Array;
  private worker: Worker | null;
  private seq = 0;
  private busy = false;
  private runHere: () => number = () => 0;
  /** Posts still to skip (the caller works alone), and the next such pause: see wait(). */
  private pause = 0;
  private backoff = 0;

  private readonly mode: HistHelperSchedule;

  private constructor(worker: Worker, control: Int32Array, mode: HistHelperSchedule) {
    this.mode = mode;
    this.worker = worker;
    this.control = control;
    histHelperStats.live++;
    worker.unref();
    // A helper that fails to start (or dies) is simply never ready: the caller does the work.
    worker.on('error', () => this.close());
  }

  /** Starts the thread on `memory` (shared) with the compiled kernel module; null if it cannot start. */
  static start(module: object, memory: KernelMemory): HistHelper | null {
    const control = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    control[MODE] = MODES[schedule];
    let helper: HistHelper;
    try {
      const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, control: control.buffer } });
      helper = new HistHelper(worker, control, schedule);
    } catch {
      return null;
    }
    if (schedule !== 'adaptive') {
      // Every chance to post must post: wait until the thread has started (it needs nothing from this thread's event loop).
      Atomics.wait(control, READY, 0, START_TIMEOUT_MS);
      if (Atomics.load(control, READY) !== 1) {
        helper.close();
        throw new Error('the histogram helper thread did not start');
      }
    }
    return helper;
  }

  /** False under the 'helper' schedule (tests): the caller then leaves every posted command's work to the helper. */
  get takesBack(): boolean {
    return this.mode !== 'helper';
  }

  /**
   * Runs a kernel on the helper: OP_HIST_ROWS with histRows's 8 arguments, OP_HIST_ALL with
   * histAll's 6, OP_LOG_LOSS with its 6, OP_PARTITION with partition's 8, OP_SPLIT and OP_LEAVES
   * with their 6, OP_EDGES with its 7; `runHere` does the
   * same on this thread (and returns partition's result). False (nothing posted) when the thread
   * is not ready yet or the caller works alone for a while (see wait); after true, `wait`.
   */
  post(op: number, args: number[], runHere: () => number): boolean {
    const c = this.control;
    if (!this.worker || Atomics.load(c, READY) !== 1 || Atomics.load(c, FAILED) !== 0) return false;
    if (this.pause > 0) {
      this.pause--;
      return false;
    }
    for (let i = 0; i < args.length; i++) c[ARGS + i] = args[i];
    c[OP] = op;
    this.runHere = runHere;
    this.seq = (this.seq + 1) & 0x3fffffff || 1;
    Atomics.store(c, CLAIM, this.seq);
    Atomics.store(c, SEQ, this.seq);
    if (Atomics.load(c, HELPER_SLEEPS) === 1) Atomics.notify(c, SEQ);
    this.busy = true;
    histHelperStats.commands++;
    return true;
  }

  /**
   * Waits until the posted command has run, or runs it here when the helper has not claimed it
   * yet; returns its result (OP_PARTITION's).
   */
  wait(): number {
    const c = this.control;
    if (this.mode !== 'helper' && Atomics.compareExchange(c, CLAIM, this.seq, -2) === this.seq) {
      this.busy = false;
      histHelperStats.ranHere++;
      // The helper was late: on busy cores posting costs without helping, so work alone for a
      // while, longer each time it happens again.
      this.backoff = Math.min(2 * this.backoff + 1, 256);
      this.pause = this.backoff;
      return this.runHere();
    }
    this.backoff >>= 1;
    let spins = 0;
    const since = Date.now();
    while (Atomics.load(c, DONE) !== this.seq) {
      if (++spins > SPIN) {
        Atomics.store(c, CALLER_SLEEPS, 1);
        Atomics.wait(c, DONE, Atomics.load(c, DONE), 1000);
        Atomics.store(c, CALLER_SLEEPS, 0);
        spins = 0;
        if (!this.worker) throw new Error('the histogram helper thread stopped');
        // A thread that died mid-command (its exit event cannot arrive while this thread blocks)
        // must not hang the fit for ever; one command takes milliseconds, seconds on huge data.
        if (Date.now() - since > HELPER_TIMEOUT_MS) throw new Error('the histogram helper thread stopped answering');
      }
    }
    this.busy = false;
    if (Atomics.load(c, FAILED) !== 0) throw new Error('the histogram helper thread failed');
    return c[RESULT];
  }

  /** Ends the thread (idempotent). Safe at any time: a running command is waited for first. */
  close(): void {
    const worker = this.worker;
    if (!worker) return;
    if (this.busy && Atomics.compareExchange(this.control, CLAIM, this.seq, -2) !== this.seq) {
      // The helper is running the command: let it finish before the thread goes.
      try {
        this.wait();
      } catch {
        // Closing anyway.
      }
    }
    this.busy = false;
    this.worker = null;
    histHelperStats.live--;
    const c = this.control;
    c[OP] = OP_EXIT;
    this.seq = (this.seq + 1) & 0x3fffffff || 1;
    Atomics.store(c, SEQ, this.seq);
    Atomics.notify(c, SEQ);
    void worker.terminate().catch(() => undefined);
  }
}
