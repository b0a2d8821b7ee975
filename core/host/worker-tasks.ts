/**
 * THE list of worker tasks the app's worker pool runs (docs/architecture.md, "Worker tasks").
 *
 * To add a task: define it beside its algorithm with defineWorkerTask('area.name', (payload: P, io) => R)
 * (core/spec/worker-task.ts), then add ONE line below. Call it with ctx.runInWorker(yourTask, payload):
 * the payload and result types come from the definition. A task missing here fails at its first
 * call with a message naming it. Every composition root (CLI, web host, Electron's service, the
 * worker threads themselves via worker-main.ts) uses this one registry.
 */
import { defineTaskRegistry } from '../exec/task-registry.ts';
import { fitLearnerTask, fitScoreFoldTask, fitUnitRangeTask, predictLearnerTask, prepareUnitFitTask } from '../ml/tasks.ts';
import { fitStepTask } from '../ml/prep/worker-task.ts';
import { foldsTask } from '../ml/folds.ts';
import { evaluationReportTask, tallyReportTask } from '../ml/evaluation-report.ts';
import { recipeMatrixTask, rowsMatrixTask, trainingMatrixTask } from '../ml/matrix-tasks.ts';
import { explainRowsTask, pdpTask, permutationTask } from '../ml/explain/worker-tasks.ts';
import { exportOnnxTask } from '../export/onnx/export-task.ts';
import { exportDockerTask } from '../export/serving/export-docker.ts';
import { lagFeaturesTask } from '../data/lag-features.ts';
import { sampleRowsTask, splitRowsTask } from '../data/row-choice.ts';
import { driftReportTask } from '../ml/drift/drift-task.ts';
import { renderReportTask } from '../report/render-task.ts';

/** Defined (true) by `npm run build` (scripts/build.ts), where import.meta.url is this file's place in the package. */
declare const __FLOWLINE_BUNDLE__: boolean | undefined;
/** Where worker threads start: the build's out/worker/index.js, or worker-main.ts when running from the sources. */
const WORKER_ENTRY = typeof __FLOWLINE_BUNDLE__ !== 'undefined' ? new URL('../../out/worker/index.js', import.meta.url) : new URL('./worker-main.ts', import.meta.url);

export const WORKER_TASKS = defineTaskRegistry(WORKER_ENTRY, [
  fitLearnerTask,
  prepareUnitFitTask,
  fitUnitRangeTask,
  predictLearnerTask,
  fitScoreFoldTask,
  fitStepTask,
  trainingMatrixTask,
  recipeMatrixTask,
  rowsMatrixTask,
  foldsTask,
  evaluationReportTask,
  tallyReportTask,
  explainRowsTask,
  permutationTask,
  pdpTask,
  exportOnnxTask,
  exportDockerTask,
  lagFeaturesTask,
  sampleRowsTask,
  splitRowsTask,
  driftReportTask,
  renderReportTask,
]);

/**
 * The tasks `flowline run --queue` sends to `flowline worker` processes: pure computations on
 * matrices (fits, cross-validation fold fits, a forest's tree chunks, predictions). Tasks that read
 * the run's files or write exports stay on the machine running the pipeline.
 */
export const QUEUE_TASKS: ReadonlySet<string> = new Set([fitLearnerTask, prepareUnitFitTask, fitUnitRangeTask, predictLearnerTask, fitScoreFoldTask].map((t) => t.name));
