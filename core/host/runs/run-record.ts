/**
 * One `run.json` per run folder, beside a copy of the pipeline file as it was run; the record's
 * type is core/spec/run-log.ts (the studio reads it too).
 */
import type { RunSummary } from '../../spec/run-events.ts';
import type { RunRecord } from '../../spec/run-log.ts';
import type { RunInfo } from '../../spec/context.ts';

export { RUN_FORMAT, type RecordedDataFile, type RecordedNode, type RunRecord, type RunRecordStatus } from '../../spec/run-log.ts';

/** Metrics and artifacts of a finished run, by node (shared with `flowline run --json`). */
export function outcomesOf(summary: RunSummary): Pick<RunRecord, 'metrics' | 'artifacts'> {
  const metrics: RunRecord['metrics'] = {};
  const artifacts: RunRecord['artifacts'] = [];
  for (const n of summary.nodes) {
    for (const value of Object.values(n.outputs ?? {})) {
      if (value.kind === 'metrics') metrics[n.id] = { ...(metrics[n.id] ?? {}), ...value.values };
      if (value.kind === 'artifact') artifacts.push({ nodeId: n.id, kind: value.format, path: value.path });
    }
  }
  return { metrics, artifacts };
}

/**
 * What a recorded run tells a model card made after it (`flowline export`, the Export dialog): the
 * run as its nodes saw it (RunContext.run) — id, pipeline hash, data files — and the pipeline's gates.
 */
export function runInfoOf(record: RunRecord, gates: readonly unknown[] = []): RunInfo {
  return { id: record.id, pipelineHash: record.pipeline.hash, data: record.data, gates };
}
