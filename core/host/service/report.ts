/**
 * The studio's Report button (FlowlineApi.writeReport): the report of the pipeline's last run,
 * written by the function `flowline run --report FILE` uses (cli-report.ts), so the two files are
 * the same for the same run. The window chose the file in a save dialog; like a pipeline saved
 * there, it must be an allowed place, and it must be an .html file (never over a data file).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ReportInput } from '../../report/index.ts';
import type { Pipeline } from '../../schema/pipeline.ts';
import type { AnyNodeSpec } from '../../spec/define-node.ts';
import { FlowlineError } from '../../spec/errors.ts';
import type { RunSummary } from '../../spec/run-events.ts';
import type { ReportRequest, ReportWritten } from '../api.ts';
import { runRecordOf, writeRunReport } from '../cli-report.ts';
import { readPipelineFile } from '../pipeline-file.ts';

export interface ReportDeps {
  nodes: readonly AnyNodeSpec[];
  cwd: string;
  /** The last run of this pipeline as the studio shows it (null before the first). */
  lastRun: RunSummary | null;
  runsDir: string;
  /** Throws PATH_NOT_ALLOWED for a place the studio may not write. */
  checkWritable: (abs: string) => void;
  /** Draws the charts off the process that answers the window (the worker pool). */
  render: (input: ReportInput) => Promise<string>;
}

/** Where the file goes: as given, relative paths against the pipeline's folder (the studio's folder when unsaved). */
export function reportPath(request: Pick<ReportRequest, 'path' | 'out'>, cwd: string): string {
  if (isAbsolute(request.out)) return resolve(request.out);
  return resolve(request.path ? dirname(resolve(cwd, request.path)) : cwd, request.out);
}

export async function writeStudioReport(request: ReportRequest, fallback: Pipeline, deps: ReportDeps): Promise<ReportWritten> {
  const out = reportPath(request, deps.cwd);
  if (!/\.html?$/i.test(out)) {
    throw new FlowlineError({ code: 'INVALID_PARAM', file: out, message: `Cannot write the report to ${out}: a report is an .html file.`, hint: 'Choose a name ending in .html.' });
  }
  deps.checkWritable(out);
  const summary = deps.lastRun;
  if (!summary) {
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'This pipeline has not run yet, so there is no run to report.', hint: 'Run it (Ctrl+Enter), then write its report.' });
  }
  // The pipeline as it was run (the run log's copy), so the diagram matches the results even
  // after edits; the editor's pipeline when the run could not be recorded.
  const record = await runRecordOf(deps.runsDir, summary.runId);
  const pipeline = record ? await readPipelineFile(record.pipeline.copy).then((f) => f.pipeline, () => fallback) : fallback;
  const file = await writeRunReport(out, { pipeline, nodes: deps.nodes, summary, runsDir: deps.runsDir, record }, deps.render);
  return { file, runId: summary.runId, html: await readFile(file, 'utf8') };
}
