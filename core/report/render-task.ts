/**
 * Rendering a report as a worker task: drawing every chart of a run with React's server renderer
 * takes a noticeable part of a second (0.4–1.1 s for the penguins template under load), too long
 * for a process that answers the studio's window. The Report node runs it on the worker pool; the
 * CLI, which answers no window, renders in its own process. The renderer is imported on first use.
 */
import { defineWorkerTask } from '../spec/worker-task.ts';
import type { ReportInput } from './render-report.ts';

export const renderReportTask = defineWorkerTask('report.render', async (input: ReportInput): Promise<string> => (await import('./render-report.ts')).renderRunReport(input));
