/**
 * One served model: its onnxruntime session, a warm-up run, and scoring a Batch into named
 * outputs plus the per-row prediction the plain protocols answer with.
 *
 * Micro-batching: a session run costs tens of microseconds before its first row (a 100-tree
 * forest: ~45 µs for one row, ~57 µs for eight), and onnxruntime-node runs it on this thread. So
 * requests that arrive while the model is busy wait in a queue and are scored together in the
 * next run, up to `batchRows` rows, each answered with its own slice. A request that finds the
 * model idle runs at the next turn of the event loop (setImmediate, never a timer), so requests
 * read in the same turn share its run. Only models whose answers cannot depend on a row's place
 * in the batch are batched (row-independent.ts); others run one request at a time as before.
 */
import * as ort from 'onnxruntime-node';
import { Decoder, type Batch, type DecodePolicy } from './decode.ts';
import { RequestError } from './errors.ts';
import type { ServedModel } from './manifest.ts';
import { scoredOf, sliceScored } from './micro-batch.ts';
import { createSession, type Session } from './onnx-session.ts';
import { graphOps, whyNotBatchable } from './row-independent.ts';
import { stackInputs } from './stacked-inputs.ts';

export interface OutputData {
  name: string;
  datatype: string;
  shape: number[];
  data: ArrayLike<number> | string[];
}

export interface Scored {
  rows: number;
  outputs: OutputData[];
  /** Per row: the class label, the predicted value, the cluster or the anomaly label. */
  predictions: (string | number)[];
  /** Flat [rows × classes] class probabilities, for classifiers. */
  probabilities?: ArrayLike<number>;
}

/** One onnxruntime input: a column (its place in the manifest's inputs), or several stacked as one [N, k] tensor. */
interface Feed {
  name: string;
  columns: number[];
}

interface Waiting {
  batch: Batch;
  /** performance.now() past which the request is answered 503 instead of scored. */
  deadline: number;
  resolve: (scored: Scored) => void;
  reject: (error: unknown) => void;
}

export class LoadedModel {
  readonly decoder: Decoder;
  /** onnxruntime runs so far (a micro-batch is one run). */
  runs = 0;
  /** Called after each onnxruntime run with its rows (metrics). */
  onRun?: (rows: number) => void;
  /** Why requests are scored one run each (null: they may share runs); settled by warmUp. */
  notBatched: string | null;
  private readonly queue: Waiting[] = [];
  private busy = false;
  /** Every output, asked for by name on each run (made once). */
  private readonly fetches: Record<string, null>;

  private constructor(
    readonly spec: ServedModel,
    private readonly session: Session,
    policy: DecodePolicy,
    /** Most rows scored together in one run; 1 turns micro-batching off. */
    private readonly batchRows: number,
    notBatched: string | null,
    /** What each onnxruntime input is made of (stacked-inputs.ts). */
    readonly feeds: Feed[],
  ) {
    this.decoder = new Decoder(spec.inputs, policy);
    this.notBatched = batchRows > 1 ? notBatched : 'FLOWLINE_BATCH_ROWS is 1';
    this.fetches = Object.fromEntries(session.outputNames.map((n) => [n, null]));
  }

  /** How runs reach onnxruntime: its native binding, or its public API (onnx-session.ts). */
  get runsVia(): 'native' | 'public' {
    return this.session.via;
  }

  static async load(spec: ServedModel, bytes: Uint8Array, policy: DecodePolicy, threads: number, batchRows = 1): Promise<LoadedModel> {
    const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
    const onnxNames = spec.inputs.map((c) => c.onnxName ?? c.name);
    const stacked = stackInputs(bytes);
    let session: Session | null = null;
    if (stacked && stacked.stacks.every((s) => s.columns.every((c) => spec.inputs[onnxNames.indexOf(c)]?.onnxType === 'double'))) {
      try {
        session = await createSession(stacked.bytes, options);
      } catch {
        // the rewrite is an optimisation only: serve the model as it is
      }
    }
    const stacks = session ? stacked!.stacks : [];
    session ??= await createSession(bytes, options);
    const inputNames = [...session.inputNames.filter((n) => !stacks.some((s) => s.name === n)), ...stacks.flatMap((s) => s.columns)];
    const missing = onnxNames.filter((n) => !inputNames.includes(n));
    if (missing.length) throw new Error(`${spec.file} has no ONNX input for ${missing.map((m) => `"${m}"`).join(', ')}; the bundle's ${spec.name} manifest and model disagree.`);
    const inStack = new Set(stacks.flatMap((s) => s.columns));
    const feeds: Feed[] = [
      ...onnxNames.flatMap((name, i) => (inStack.has(name) ? [] : [{ name, columns: [i] }])),
      ...stacks.map((s) => ({ name: s.name, columns: s.columns.map((c) => onnxNames.indexOf(c)) })),
    ];
    // With several intra-op threads onnxruntime may split a lone row's trees between threads and
    // add the parts in another order than a batch's rows get: keep such answers out of batches.
    const notBatched = threads > 1 ? 'FLOWLINE_THREADS is above 1, and onnxruntime may then add up a lone row in another order' : whyNotBatchable(graphOps(bytes));
    return new LoadedModel(spec, session, policy, batchRows, notBatched, feeds);
  }

  /**
   * Score the manifest's warm-up row once, so the first caller does not pay for it; and twice in
   * one run, to check that every output has a row per input row (else a batch cannot be split).
   */
  async warmUp(): Promise<void> {
    const batch = this.decoder.fromRecords([this.spec.warmup], 'the warm-up row');
    const one = await this.run([batch]);
    if (this.notBatched) return;
    let two: Scored;
    try {
      two = await this.run([batch, batch]);
    } catch (e) {
      // e.g. a graph that reshapes to a fixed batch of one: it serves, one request per run
      this.notBatched = `it cannot score two rows in one run (${String((e as Error).message ?? e).split('\n')[0].slice(0, 200)})`;
      return;
    }
    const split = two.outputs.find((o, i) => o.shape[0] !== 2 || one.outputs[i].shape[0] !== 1);
    if (split) this.notBatched = `its output "${split.name}" has no row per input row`;
  }

  /**
   * Score a request's rows: alone, or in one run with others waiting (see the file comment). A
   * request still waiting at `deadline` (performance.now()) is answered 503 and not scored: the
   * run itself holds this thread, so the time limit is checked when a request's run would start,
   * with no timer per request.
   */
  score(batch: Batch, deadline = Infinity): Promise<Scored> {
    if (this.notBatched || batch.rows >= this.batchRows) return performance.now() > deadline ? Promise.reject(tooLate()) : this.run([batch]);
    return new Promise<Scored>((resolve, reject) => {
      this.queue.push({ batch, deadline, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        setImmediate(this.drain);
      }
    });
  }

  /** One run of the waiting requests (up to batchRows rows); again while more wait. */
  private readonly drain = (): void => {
    const now = performance.now();
    for (let i = 0; i < this.queue.length; i++) {
      if (this.queue[i].deadline >= now) continue;
      this.queue.splice(i--, 1)[0].reject(tooLate());
    }
    if (!this.queue.length) {
      this.busy = false;
      return;
    }
    let rows = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || rows + this.queue[n].batch.rows <= this.batchRows)) rows += this.queue[n++].batch.rows;
    const group = this.queue.splice(0, n);
    void this.runGroup(group, rows)
      .then((outcomes) =>
        outcomes.forEach((o, i) => (o.status === 'fulfilled' ? group[i].resolve(o.value) : group[i].reject(o.reason))),
      )
      .finally(() => {
        if (this.queue.length) this.drain();
        else this.busy = false;
      });
  };

  /** Several requests in one run, each answered with its rows; if that run fails, each alone, so one cannot fail the others. */
  private async runGroup(group: Waiting[], rows: number): Promise<PromiseSettledResult<Scored>[]> {
    if (group.length > 1) {
      try {
        const together = await this.run(group.map((w) => w.batch));
        let start = 0;
        return group.map((w) => {
          const part = sliceScored(together, start, w.batch.rows, rows);
          start += w.batch.rows;
          return { status: 'fulfilled', value: part };
        });
      } catch {
        // fall through: one run per request, each with its own outcome
      }
    }
    return Promise.allSettled(group.map((w) => this.run([w.batch])));
  }

  /** One onnxruntime run of the batches' rows, one batch after another (several: a micro-batch). */
  private async run(batches: Batch[]): Promise<Scored> {
    const feeds: Record<string, ort.Tensor> = {};
    let rows = 0;
    for (const b of batches) rows += b.rows;
    for (const feed of this.feeds) {
      const k = feed.columns.length;
      if (k === 1 && batches.length === 1) {
        const column = this.column(batches[0], feed.columns[0]);
        feeds[feed.name] = column instanceof Float64Array ? new ort.Tensor('float64', column, [rows, 1]) : new ort.Tensor('string', column, [rows, 1]);
        continue;
      }
      if (k === 1 && this.spec.inputs[feed.columns[0]].onnxType !== 'double') {
        const text: string[] = [];
        for (const b of batches) for (const v of this.column(b, feed.columns[0]) as string[]) text.push(v);
        feeds[feed.name] = new ort.Tensor('string', text, [rows, 1]);
        continue;
      }
      // row by row: row r's columns side by side, as the Concat the stacked input replaces lays them out
      const matrix = new Float64Array(rows * k);
      let first = 0;
      for (const b of batches) {
        for (let j = 0; j < k; j++) {
          const column = this.column(b, feed.columns[j]) as Float64Array;
          for (let r = 0; r < b.rows; r++) matrix[(first + r) * k + j] = column[r];
        }
        first += b.rows;
      }
      feeds[feed.name] = new ort.Tensor('float64', matrix, [rows, k]);
    }
    const results = await this.session.run(feeds, this.fetches);
    this.runs++;
    this.onRun?.(rows);
    const outputs: OutputData[] = [];
    for (const name of this.session.outputNames) {
      const t = results[name];
      outputs.push({ name, datatype: datatypeOf(t.type), shape: t.dims.map(Number), data: plainData(t) });
    }
    return scoredOf(rows, outputs);
  }

  /** The batch's column for manifest input `i`, by name: a challenger may read fewer columns than the champion that decoded the request. */
  private column(batch: Batch, i: number): Float64Array | string[] {
    const name = this.spec.inputs[i].name;
    return batch.names[i] === name ? batch.columns[i] : batch.columns[batch.names.indexOf(name)];
  }
}

const tooLate = () => new RequestError(503, 'TIMEOUT', 'The request waited past its time limit (FLOWLINE_REQUEST_TIMEOUT_MS) before its scoring could start.');

function datatypeOf(type: string): string {
  switch (type) {
    case 'float64':
      return 'FP64';
    case 'float32':
      return 'FP32';
    case 'int64':
      return 'INT64';
    case 'int32':
      return 'INT32';
    case 'bool':
      return 'BOOL';
    case 'string':
      return 'BYTES';
    default:
      return type.toUpperCase();
  }
}

/** Tensor data JSON can carry: int64 as numbers (labels and cluster ids are small). */
function plainData(t: ort.Tensor): ArrayLike<number> | string[] {
  const data = t.data as ArrayLike<number> | ArrayLike<bigint> | string[];
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Array.from(data, Number);
  if (t.type === 'bool') return Array.from(data as ArrayLike<number>, (v) => (v ? 1 : 0));
  return data as ArrayLike<number> | string[];
}
