import type { ErrorInfo } from './errors.ts';

/** A function in a module that a worker thread can load: `export async function fit(payload, io)`. */
export interface WorkerTask {
  /** file: URL of the module (use `new URL('./x.ts', import.meta.url).href`). */
  module: string;
  /** Name of the exported function. */
  fn: string;
}

/** What a worker-side function receives besides its payload. */
export interface WorkerIO {
  progress(fraction: number, message?: string): void;
  log(message: string): void;
}

export interface RunContext {
  readonly nodeId: string;
  /** Folder of the pipeline file: relative data paths resolve against it. */
  readonly pipelineDir: string;
  /** Empty folder owned by this node's run; output tables and artifacts are written here. */
  readonly outDir: string;
  /** Upstream node ids per input port, in connection order (absent in unit-test contexts). */
  readonly inputSources?: Readonly<Record<string, readonly string[]>>;
  /** Seed for everything random in this node: its `seed` param (param.seed()), or the pipeline's seed. */
  readonly seed: number;
  readonly signal: AbortSignal;
  log(message: string): void;
  /** fraction in [0, 1]. */
  progress(fraction: number, message?: string): void;
  /** Runs CPU-heavy work off the main thread; cancelled (worker terminated) with the run. */
  runInWorker<T>(task: WorkerTask, payload: unknown, options?: { transfer?: ArrayBuffer[] }): Promise<T>;
  /** Throws a CANCELLED error if the run was cancelled; call it between long steps. */
  throwIfCancelled(): void;
  /** Build an error pinned to this node. */
  error(info: Omit<ErrorInfo, 'nodeId'>): Error;
}
