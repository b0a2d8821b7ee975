/**
 * `flowline run FILE --report report.html`: the finished run as one self-contained HTML file
 * (core/report). The path is the user's own choice on the command line, like --out, so it needs no
 * trust; the file is written atomically, and a failed run still gets its report (it shows why).
 * The studio's Report button writes its file with this same function (service/report.ts).
 */
import { resolve } from 'node:path';
import { FLOWLINE_VERSION } from '../export/version.ts';
import { renderRunReport, reportOfRun, writeReportFile, type ReportInput } from '../report/index.ts';
import type { Pipeline } from '../schema/pipeline.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import type { RunRecord } from '../spec/run-log.ts';
import type { RunSummary } from '../spec/run-events.ts';
import { RunStore } from './runs/run-store.ts';

/** `render`: where the charts are drawn (the studio passes its worker pool; the CLI answers no window and draws them itself). */
export async function writeRunReport(
  path: string,
  run: { pipeline: Pipeline; nodes: readonly AnyNodeSpec[]; summary: RunSummary; runsDir: string; record?: RunRecord | null },
  render: (input: ReportInput) => Promise<string> = renderRunReport,
): Promise<string> {
  const abs = resolve(path);
  // The run log's record has the pipeline hash, params as run and data fingerprints; a run that
  // could not be recorded still gets a report, without those sections. A caller that has read it
  // already passes it (null: not recorded).
  const record = run.record !== undefined ? run.record : await runRecordOf(run.runsDir, run.summary.runId);
  const input = await reportOfRun({ pipeline: run.pipeline, specs: run.nodes, summary: run.summary, record, flowlineVersion: FLOWLINE_VERSION });
  await writeReportFile(abs, await render(input));
  return abs;
}

/** A run's record in the run log, or null when it was not recorded. */
export function runRecordOf(runsDir: string, runId: string): Promise<RunRecord | null> {
  return new RunStore(runsDir).get(runId).catch(() => null);
}
