/**
 * Predict on tables of any size: the rows are scored a chunk at a time and the predictions
 * appended to the output chunk by chunk, so memory holds a couple of chunks and the model, never
 * every row (4M rows held whole peaked at 2.7 GB; see bench/scale.ts).
 *
 * Per chunk: the host reads the raw rows from DuckDB (rawFrameChunks: one scan of the table in its
 * file order; when the model's recipe must be replayed on raw rows, each chunk's rows are read
 * from the recipe's base by ROW_ID), a worker replays the model's recipe on them (rowsMatrixTask),
 * and predictInWorkers scores them on the pool as before (the model shared once, the rows as
 * shared memory). Reading chunk k+1 overlaps scoring chunk k. Recipe steps and learners transform and predict each row on its own,
 * so the numbers are those of one whole-table call, bit for bit, in the same row order.
 *
 * Memory: the chunk's numeric raw columns, its matrix and its predictions live in shared buffers
 * made once per call and filled again by every chunk (two sets of raw columns take turns, for the
 * read-ahead). Each chunk used to leave about 70 MB on the host thread for the garbage collector
 * (131,072 rows × 20 columns: the raw columns, the matrix copied back from the worker, its copy
 * into shared memory), which swung the host's ArrayBuffers from about 100 to 350 MB at 4M rows.
 */
import { writeColumnsStreamed } from '../data/column-stream.ts';
import { duckdbMemoryLimit } from '../data/engine.ts';
import { writeColumns } from '../data/tables.ts';
import type { RunContext } from '../spec/context.ts';
import type { ModelValue, TableRef } from '../spec/values.ts';
import type { Frame } from './frame.ts';
import { canShare, isShared, sharedFloat64 } from '../data/shared-arrays.ts';
import type { Matrix } from './learners/types.ts';
import { predictInWorkers, predictionColumns, predictionColumnsInOrder, predictTable, requireInputColumns, type PredictionBuffers, type TablePrediction } from './model.ts';
import { rawFrameChunks } from './recipe.ts';
import { packFrame, rowsMatrixTask, unpackFrame } from './matrix-tasks.ts';

/**
 * Rows scored at once. Large enough that each chunk still splits over the pool's workers and the
 * per-chunk trips stay a small share of the time; small enough that a chunk of a wide table is
 * tens of MB (128k rows × 20 columns: 20 MB raw, the same again as a matrix).
 */
export const PREDICT_CHUNK_ROWS = 131_072;
const MIN_CHUNK_ROWS = 8_192;

/**
 * Rows scored at once under DuckDB's cap: PREDICT_CHUNK_ROWS, fewer under a cap below 64 MB. While
 * chunk k's predictions are written to their part, chunk k + 1's rows are being read, and both hold
 * DuckDB memory in proportion to the chunk (its predictions, the ROW_ID set of a recipe's raw
 * read). When each chunk was also joined to its rows (before writeColumnsStreamed's one join),
 * that was about 10 MB for 131,072 rows, which ran out of a 16 MB cap in 3 of 32 runs sharing two
 * cores. A 512th of the cap per row keeps that near a quarter of it.
 */
export function predictChunkRows(limit = duckdbMemoryLimit()): number {
  let rows = MIN_CHUNK_ROWS;
  while (rows < PREDICT_CHUNK_ROWS && rows * 2 * 512 <= limit) rows *= 2;
  return rows;
}

/** Chunks scored since the process started (tests count them: a big table must not be scored whole). */
export const predictStreamStats = { chunks: 0 };

export interface PredictToTableOptions {
  /** Add a proba_<class> column per class (classifiers that give probabilities). */
  probabilities?: boolean;
  /** Rows per chunk (tests set it small to cross chunk boundaries on small tables). */
  chunkRows?: number;
}

/** `table` with Predict's columns added (prediction, proba_<class>), scored chunk by chunk. */
export async function predictToTable(ctx: RunContext, model: ModelValue, table: TableRef, opts: PredictToTableOptions = {}): Promise<TableRef> {
  requireInputColumns(model, table);
  const options = { probabilities: opts.probabilities };
  if (table.rowCount === 0) {
    // Nothing to stream: the whole-table path types the (empty) columns as it always has.
    const p = await predictTable(ctx, model, table);
    return writeColumns(ctx, table, predictionColumns(model, p, options));
  }
  return writeColumnsStreamed(ctx, table, async (append) => {
    await scoreInChunks(ctx, model, table, { chunkRows: opts.chunkRows }, async ({ prediction }) => {
      await append(predictionColumnsInOrder(model, prediction, undefined, options));
    });
    ctx.progress(0.95, 'writing predictions');
  });
}

/**
 * Score `table` a chunk at a time, in its FILE order (Predict, Evaluate): `onChunk` gets each
 * chunk's rows and predictions, awaited in row order; reading chunk k+1 overlaps scoring chunk k.
 * `extraColumns` are read (or taken from the recipe, when a step makes them) beside the model's
 * inputs, as predictTable's are (a chunk's `raw` is only the caller's to read with `keepRaw`:
 * otherwise arrays that are not shared move to the worker). Returns the rows scored.
 *
 * The chunk's arrays are lent, not given: its numeric raw columns, ROW_IDs, matrix and predictions
 * are views on shared memory (chunk-buffers below) that later chunks fill again, so `onChunk` must
 * copy what it keeps past its own return (Predict appends them, Evaluate's tally copies them).
 */
export async function scoreInChunks(
  ctx: RunContext,
  model: ModelValue,
  table: TableRef,
  opts: { chunkRows?: number; extraColumns?: string[]; keepRaw?: boolean },
  onChunk: (chunk: TablePrediction) => Promise<void>,
): Promise<number> {
  const have = requireInputColumns(model, table);
  const keep = opts.extraColumns ?? [];
  const columns = [...new Set([...model.inputColumns.map((c) => c.name), ...keep.filter((c) => have.has(c))])];
  const { kind, state } = model.estimator;
  const chunkRows = opts.chunkRows ?? predictChunkRows();
  const buffers = chunkBuffers(model, Math.max(1, Math.min(chunkRows, table.rowCount)));
  let scored = 0;
  const score = async (raw: Frame, rowIds: Int32Array) => {
    const packed = packFrame(raw);
    // Arrays of the chunk's own (text codes; every column without shared memory) move to the worker
    // unless the caller reads them; shared ones cross as they are.
    const own = [...Object.values(packed.numeric), ...Object.values(packed.text).map((t) => t.codes)].filter((a) => !isShared(a));
    const transfer = opts.keepRaw ? [] : [...new Set(own.map((a) => a.buffer as ArrayBuffer))];
    const m = await ctx.runInWorker(rowsMatrixTask, { raw: packed, recipe: model.recipe, features: model.features, keep, into: buffers?.X }, { transfer });
    const X: Matrix = m.X ?? { data: buffers!.X.subarray(0, m.rows * m.cols), rows: m.rows, cols: m.cols };
    const prediction = await predictInWorkers(ctx, kind, state, X, undefined, buffers?.prediction);
    await onChunk({ rowIds, prediction, raw, frame: unpackFrame(m.made), X });
    predictStreamStats.chunks++;
    scored += raw.rows;
    ctx.progress(0.95 * (scored / table.rowCount), `scored ${scored.toLocaleString('en')} of ${table.rowCount.toLocaleString('en')} rows`);
  };
  // At most one chunk scoring while the next is read; chunks reach onChunk in row order. So two
  // sets of raw arrays take turns (the one read ahead, the one scoring), and one matrix and one
  // set of predictions serve every chunk: score(k) is done before score(k + 1) starts.
  let inFlight: Promise<void> = Promise.resolve();
  await rawFrameChunks(table, columns, { chunkRows, signal: ctx.signal, reuse: 2 }, async (raw, rowIds) => {
    await inFlight;
    inFlight = score(raw, rowIds);
    // Its failure is awaited with the next chunk or at the end; not an unhandled rejection meanwhile.
    inFlight.catch(() => {});
  });
  await inFlight;
  return scored;
}

/**
 * The matrix and prediction arrays one chunk of `rows` rows needs, on shared memory, made once per
 * scoreInChunks and filled again by every chunk (null without shared memory: each chunk then has
 * arrays of its own, as before). A chunk of 131,072 rows × 20 features is a 20 MB matrix that was
 * otherwise made three times per chunk (in the worker, its copy back, its copy to shared memory).
 */
function chunkBuffers(model: ModelValue, rows: number): { X: Float64Array; prediction: PredictionBuffers } | null {
  if (!canShare()) return null;
  const k = model.classes?.length ?? 0;
  return { X: sharedFloat64(rows * model.features.length), prediction: { values: sharedFloat64(rows), ...(k ? { proba: sharedFloat64(rows * k) } : {}) } };
}
