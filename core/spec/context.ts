import type { ErrorInfo } from './errors.ts';
import type { RecordedDataFile } from './run-log.ts';
import type { WorkerTask } from './worker-task.ts';

/** The run a node runs in, as the run log records it: what an export cites as the model's lineage. */
export interface RunInfo {
  id: string;
  /** The run log's pipeline hash (over the compiled nodes, edges and seed); absent when the run is not recorded. */
  pipelineHash?: string;
  /** Every data file the run reads, with its content hash and the nodes that read it. */
  data?: RecordedDataFile[];
  /** The pipeline's gates as declared (core/schema/gates.ts `Gate`, validated when the file was read). */
  gates?: readonly unknown[];
}

/**
 * A database login the user saved in the studio (its dialog; the desktop app keeps it in the OS
 * keychain). It reaches a node through its RunContext only: never the pipeline file, a cache key
 * or a run record.
 */
export interface SavedConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface RunContext {
  readonly nodeId: string;
  /** Folder of the pipeline file: relative data paths resolve against it. */
  readonly pipelineDir: string;
  /** Empty folder owned by this node's run; output tables and artifacts are written here. */
  readonly outDir: string;
  /** Upstream node ids per input port, in connection order (absent in unit-test contexts). */
  readonly inputSources?: Readonly<Record<string, readonly string[]>>;
  /**
   * The run this node runs in (absent in unit-test contexts). A cached result keeps what it was
   * made with: an export's model card cites the run that wrote the file.
   */
  readonly run?: RunInfo;
  /** Seed for everything random in this node: its `seed` param (param.seed()), or the pipeline's seed. */
  readonly seed: number;
  readonly signal: AbortSignal;
  log(message: string): void;
  /**
   * Something the user must know about a result that still finished (a fit that did not
   * converge): shown on the node in the studio, in `flowline run` (and its --json report), and
   * kept with the cached result so a cached run says it again.
   */
  warn(message: string): void;
  /** fraction in [0, 1]. */
  progress(fraction: number, message?: string): void;
  /**
   * Runs a registered worker task (spec/worker-task.ts) off the host's thread; cancelled (worker
   * terminated) with the run. `transfer` moves those buffers instead of copying them.
   */
  runInWorker<P, R>(task: WorkerTask<P, R>, payload: P, options?: { transfer?: ArrayBuffer[] }): Promise<R>;
  /** Throws a CANCELLED error if the run was cancelled; call it between long steps. */
  throwIfCancelled(): void;
  /** The connection saved in the studio under `name` (the studio's hosts; the CLI has none: it reads the environment). */
  savedConnection?(name: string): SavedConnection | undefined;
  /** Build an error pinned to this node. */
  error(info: Omit<ErrorInfo, 'nodeId'>): Error;
}
