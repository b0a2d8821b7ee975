/**
 * Evaluate on tables of any size: the rows are scored a chunk at a time, as Predict scores them
 * (scoreInChunks), and each chunk is added to a tally (evaluation-report.ts) that keeps counts,
 * running sums, the score and label columns the curves need, and the worst rows so far — never the
 * table. The report is built from the tally on a worker.
 *
 * The numbers are today's whole-table ones, bit for bit, when the table's file order is its
 * ROW_ID order (the order every whole-table read uses, and the order Flowline's nodes write):
 * counts do not depend on order, and the sums (log loss, per-group errors) add the same terms in
 * the same order. A table written out of ROW_ID order (a SQL ORDER BY) is scored in its file
 * order: the log loss may then differ in its last digit, and rows tied in the worst-rows table or
 * within a score of the gains curve may come in another order.
 */
import type { RunContext } from '../spec/context.ts';
import type { MetricsValue, ModelValue, TableRef } from '../spec/values.ts';
import { addToTally, newTally, tallyReportTask, type EvaluationTally } from './evaluation-report.ts';
import { textKeys, type TextColumn } from './frame.ts';
import { actualValues, predictTable, type TablePrediction } from './model.ts';
import { scoreInChunks } from './predict-stream.ts';

export interface EvaluateTableOptions {
  /** How many of the worst-predicted rows to list. */
  worstRows: number;
  /** Scores per group of this column. */
  group?: string;
  /** Rows per chunk (tests set it small to cross chunk boundaries on small tables). */
  chunkRows?: number;
}

/** Evaluate's report of `model` on `table` (which holds the actual values), scored chunk by chunk. */
export async function evaluateTable(ctx: RunContext, model: ModelValue, table: TableRef, opts: EvaluateTableOptions): Promise<MetricsValue> {
  const extra = [...(model.target ? [model.target] : []), ...(opts.group ? [opts.group] : [])];
  // The worst rows show the model's inputs beside them, as read (at most 8).
  const valueNames = [...new Set(model.inputColumns.map((c) => c.name))].slice(0, 8);
  const tally = newTally({ task: model.task, scope: 'test', classes: model.classes, detail: true, worstRows: opts.worstRows, capacity: table.rowCount, group: opts.group, valueNames });
  const add = async (p: TablePrediction) => {
    const rowValues: Record<string, Float64Array | TextColumn> = {};
    for (const name of valueNames) if (name in p.raw.columns) rowValues[name] = p.raw.columns[name];
    addToTally(tally, {
      yTrue: actualValues(model, p),
      prediction: p.prediction,
      rowIds: p.rowIds,
      ...(model.task === 'clustering' ? { X: p.X } : {}),
      ...(opts.group ? { groups: textKeys(p.raw, opts.group, 'Evaluate') } : {}),
      rowValues,
    });
  };
  // An empty table still goes through the model once: a missing target column is an error, as ever.
  if (table.rowCount === 0) await add(await predictTable(ctx, model, table, extra));
  else await scoreInChunks(ctx, model, table, { chunkRows: opts.chunkRows, extraColumns: extra, keepRaw: true }, add);
  ctx.progress(0.95, 'scoring');
  return ctx.runInWorker(tallyReportTask, tally, { transfer: tallyBuffers(tally) });
}

/** The tally's big arrays, moved to the worker rather than copied. */
function tallyBuffers(t: EvaluationTally): ArrayBuffer[] {
  const arrays = [t.labels, t.scores, t.yTrue, t.yPred, t.values, t.silhouette?.data, t.silhouette?.labels];
  return arrays.filter((a) => a !== undefined).map((a) => a.buffer as ArrayBuffer);
}
