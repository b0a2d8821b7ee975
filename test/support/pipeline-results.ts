import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../core/compile/index.ts';
import { readColumns } from '../../core/data/tables.ts';
import { execute } from '../../core/exec/index.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import type { Pipeline } from '../../core/schema/index.ts';
import { NODES } from '../../nodes/index.ts';

/**
 * What a pipeline's run produced, as plain numbers to compare exactly: every metrics output by
 * "node.port", and for each Predict node a SHA-256 of its prediction column (clustering and
 * anomaly models have no metrics to compare). Keyed by a node id mapping so that a run of the
 * same pipeline under other node ids can be compared with the original.
 */
export async function pipelineResults(pipeline: Pipeline, pipelineDir: string, originalId: (id: string) => string = (id) => id): Promise<Record<string, unknown>> {
  const { plan, diagnostics } = compile(pipeline, NODES);
  if (!plan) throw new Error(`does not compile: ${diagnostics.map((d) => `[${d.code}] ${d.message}`).join('; ')}`);
  const summary = await execute(plan, { cacheDir: mkdtempSync(join(tmpdir(), 'flowline-results-')), pipelineDir, tasks: WORKER_TASKS });
  const out: Record<string, unknown> = {};
  for (const n of summary.nodes) {
    if (n.status !== 'done') throw new Error(`node ${n.id}: ${n.status} ${n.error?.message ?? ''}`);
    const id = originalId(n.id);
    for (const [port, v] of Object.entries(n.outputs ?? {})) {
      if (v.kind === 'metrics') out[`${id}.${port}`] = v.values;
      if (n.type === 'ml.predict' && v.kind === 'table') {
        const r = await readColumns(v, ['prediction']);
        out[`${id}.prediction_sha256`] = createHash('sha256').update(JSON.stringify(Array.from(r.columns.prediction as ArrayLike<number>))).digest('hex');
      }
    }
  }
  return out;
}
