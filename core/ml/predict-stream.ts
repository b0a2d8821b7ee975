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
 */
import { writeColumnsStreamed } from '../data/column-stream.ts';
import { writeColumns } from '../data/tables.ts';
import type { RunContext } from '../spec/context.ts';
import type { ModelValue, TableRef } from '../spec/values.ts';
import type { Frame } from './frame.ts';
import { predictInWorkers, predictionColumns, predictionColumnsInOrder, predictTable, requireInputColumns } from './model.ts';
import { rawFrameChunks } from './recipe.ts';
import { packFrame, rowsMatrixTask } from './training-data.ts';

/**
 * Rows scored at once. Large enough that each chunk still splits over the pool's workers and the
 * per-chunk trips stay a small share of the time; small enough that a chunk of a wide table is
 * tens of MB (128k rows × 20 columns: 20 MB raw, the same again as a matrix).
 */
export const PREDICT_CHUNK_ROWS = 131_072;

/** Chunks scored since the process started (tests count them: a big table must not be scored whole). */
export const predictStreamStats = { chunks: 0 };

export interface PredictToTableOptions {
  /** Add a proba_<class> column per class (classifiers that give probabilities). */
  probabilities?: boolean;
  /** Rows per chunk (tests set it small to cross chunk boundaries on small tables). */
  chunkRows?: number;
  /** Write each chunk joined to its rows, as a table too big for one join is (tests; see writeColumnsStreamed). */
  joinEachChunk?: boolean;
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
  const columns = [...new Set(model.inputColumns.map((c) => c.name))];
  const { kind, state } = model.estimator;
  const chunkRows = opts.chunkRows ?? PREDICT_CHUNK_ROWS;
  return writeColumnsStreamed(ctx, table, async (append) => {
    let scored = 0;
    const score = async (raw: Frame) => {
      const packed = packFrame(raw);
      // The chunk's arrays are its own: moved to the worker, not copied.
      const transfer = [...new Set([...Object.values(packed.numeric), ...Object.values(packed.text).map((t) => t.codes)].map((a) => a.buffer as ArrayBuffer))];
      const X = await ctx.runInWorker(rowsMatrixTask, { raw: packed, recipe: model.recipe, features: model.features }, { transfer });
      const prediction = await predictInWorkers(ctx, kind, state, X);
      await append(predictionColumnsInOrder(model, prediction, undefined, options));
      predictStreamStats.chunks++;
      scored += raw.rows;
      ctx.progress(0.95 * (scored / table.rowCount), `scored ${scored.toLocaleString('en')} of ${table.rowCount.toLocaleString('en')} rows`);
    };
    // At most one chunk scoring while the next is read; appends stay in row order.
    let inFlight: Promise<void> = Promise.resolve();
    await rawFrameChunks(table, columns, { chunkRows, signal: ctx.signal }, async (raw) => {
      await inFlight;
      inFlight = score(raw);
      // Its failure is awaited with the next chunk or at the end; not an unhandled rejection meanwhile.
      inFlight.catch(() => {});
    });
    await inFlight;
    ctx.progress(0.95, 'writing predictions');
  }, { joinEachChunk: opts.joinEachChunk });
}
