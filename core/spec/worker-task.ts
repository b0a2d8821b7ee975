/**
 * Typed worker tasks: CPU-heavy work (fits, refits, predictions) that runs on a worker thread.
 *
 *   export const squareTask = defineWorkerTask('toy.square', (p: { v: number }) => p.v * p.v);
 *   const r = await ctx.runInWorker(squareTask, { v: 3 });   // r: number, payload checked by tsc
 *
 * A task is a name plus the function the worker calls. The caller's side only sends the name and
 * the payload (structured clone; typed arrays travel, functions do not); the worker looks the name
 * up in the task registry its composition root serves (core/host/worker-tasks.ts for the app).
 * Adding a task = define it beside its algorithm, and add one line to that registry.
 */

/** What a task's function receives besides its payload. */
export interface WorkerIO {
  /** fraction in [0, 1]; shown as the node's progress. */
  progress(fraction: number, message?: string): void;
  log(message: string): void;
}

export interface WorkerTask<P, R> {
  /** Unique across the registry, namespaced by area: 'ml.fitLearner', 'prep.fitStep'. */
  readonly name: string;
  /** Runs on the worker thread (and in-process in unit tests). */
  readonly run: (payload: P, io: WorkerIO) => R | Promise<R>;
}

/** Any task, whatever its payload and result (what registries hold). */
export type AnyWorkerTask = WorkerTask<never, unknown>;

export function defineWorkerTask<P, R>(name: string, run: (payload: P, io: WorkerIO) => R | Promise<R>): WorkerTask<P, R> {
  return Object.freeze({ name, run });
}
