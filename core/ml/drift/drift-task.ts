/**
 * The Drift node's work on a worker thread: read the new rows (and a reference table when one is
 * given), summarise the reference as a model's training reference is summarised, and judge each
 * column with driftReport — the same code `flowline monitor` runs, so the two give equal numbers.
 */
import type { TrainingReference } from '../../spec/drift.ts';
import { defineWorkerTask } from '../../spec/worker-task.ts';
import { EMPTY_RECIPE, type TableRef, type Task } from '../../spec/values.ts';
import type { Frame } from '../frame.ts';
import { loadRawFrame } from '../recipe.ts';
import { driftReport, type DriftReport, type DriftThresholds } from './drift.ts';
import { predictionReference, predictionValues, trainingReference } from './reference.ts';

/** A model's predictions (class indices for classifiers), as Prediction.values holds them. */
export interface PredictionsOf {
  task: Task;
  classes?: (string | number)[];
  values: Float64Array;
}

export interface DriftJob {
  /** The new rows. */
  table: TableRef;
  /** The columns compared, in order. */
  columns: string[];
  /**
   * raw: read the rows before their table's recipe (what a model reads and its training reference
   * summarises); visible: the columns as the table shows them (two tables compared directly).
   */
  read: 'raw' | 'visible';
  /** A model's training reference, or a table to summarise as one. */
  reference: { summary: TrainingReference } | { table: TableRef };
  thresholds: DriftThresholds;
  /** The model's predictions on the new rows (and on the reference table, when it is a table). */
  predictions?: PredictionsOf;
  referencePredictions?: PredictionsOf;
}

async function readFrame(table: TableRef, columns: string[], read: DriftJob['read']): Promise<Frame> {
  // Without its recipe, a table reads as its file shows it.
  return (await loadRawFrame(read === 'raw' ? table : { ...table, recipe: EMPTY_RECIPE }, columns)).frame;
}

export const driftReportTask = defineWorkerTask('drift.report', async (job: DriftJob): Promise<DriftReport> => {
  const frame = await readFrame(job.table, job.columns, job.read);
  let reference: TrainingReference;
  if ('summary' in job.reference) {
    const wanted = new Set(job.columns);
    reference = { ...job.reference.summary, columns: job.reference.summary.columns.filter((c) => wanted.has(c.column)) };
  } else {
    const refTable = job.reference.table;
    const refFrame = await readFrame(refTable, job.columns, job.read);
    reference = trainingReference(refFrame, job.columns.map((name) => ({ name, type: 'other', dbType: '' })));
    const p = job.referencePredictions;
    if (p) reference.prediction = predictionReference(p.task, p.classes, p.values);
  }
  const p = job.predictions;
  return driftReport(reference, frame, job.thresholds, p ? predictionValues(p.task, p.classes, p.values) : undefined);
});
