/**
 * Worker tasks for explanations (core/spec/worker-task.ts; listed in core/host/worker-tasks.ts):
 * plain data in and out, so they run the same in the executor's pool and in-process in unit
 * tests. Rows are split
 * over several calls by the caller; every method gives a row the same numbers whichever call it
 * lands in (TreeSHAP and linear SHAP are exact, KernelSHAP and LIME are seeded per row id).
 */
import { defineWorkerTask } from '../../spec/worker-task.ts';
import type { Task } from '../../spec/values.ts';
import type { Matrix } from '../learners/types.ts';
import { kernelShap, type Background } from './kernel-shap.ts';
import { lime } from './lime.ts';
import { linearShap, linearViewOf } from './linear-shap.ts';
import { rawOutputs } from './model-output.ts';
import { partialDependence, type PdpCurves, type PdpJob } from './pdp.ts';
import { permutationImportance, type PermutationJob } from './permutation.ts';
import { ensembleExpectation, treeShap } from './tree-shap.ts';
import { treeEnsembleOf } from './tree-view.ts';

export type AttributionMethod = 'tree' | 'linear' | 'kernel' | 'lime';

export interface AttributionJob {
  method: AttributionMethod;
  kind: string;
  task: Task;
  state: unknown;
  outputs: number;
  X: Matrix;
  rowIds: number[];
  /** linear: E[x] over the background rows. */
  mean?: Float64Array;
  /** kernel / lime */
  background?: Background;
  groups?: number[][];
  samples?: number;
  seed?: number;
}

export interface AttributionResult {
  /** rows × outputs × (features, or players for kernel / lime). */
  phi: Float64Array;
  /** rows × outputs. */
  base: Float64Array;
  /** LIME: weighted R² of each row's surrogate (rows × outputs). */
  r2?: Float64Array;
  /** Model evaluations spent (kernel: coalitions × background rows; lime: samples). */
  evaluations: number;
}

function perRow(base: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * base.length);
  for (let r = 0; r < rows; r++) out.set(base, r * base.length);
  return out;
}

export const explainRowsTask = defineWorkerTask('explain.rows', (job: AttributionJob, io): AttributionResult => {
  const { X, outputs } = job;
  const f = (M: Matrix) => rawOutputs(job.kind, job.task, job.state, M);
  switch (job.method) {
    case 'tree': {
      const ens = treeEnsembleOf(job.kind, job.state)!;
      const phi = treeShap(ens, X, { onTree: (done, total) => io.progress(done / total, `TreeSHAP: tree ${done} of ${total}`) });
      return { phi, base: perRow(ensembleExpectation(ens), X.rows), evaluations: 0 };
    }
    case 'linear': {
      const { phi, base } = linearShap(linearViewOf(job.kind, job.state)!, X, job.mean!);
      return { phi, base: perRow(base, X.rows), evaluations: 0 };
    }
    case 'kernel': {
      const r = kernelShap(f, outputs, X, job.rowIds, job.background!, { groups: job.groups!, samples: job.samples ?? 0, seed: job.seed ?? 0 });
      return { phi: r.phi, base: perRow(r.base, X.rows), evaluations: r.evaluations * job.background!.X.rows };
    }
    case 'lime': {
      const r = lime(f, outputs, X, job.rowIds, job.background!, { groups: job.groups!, samples: job.samples ?? 1000, seed: job.seed ?? 0 });
      return { phi: r.phi, base: r.intercept, r2: r.r2, evaluations: X.rows * Math.max(job.samples ?? 1000, job.groups!.length + 2) };
    }
  }
});

export const permutationTask = defineWorkerTask('explain.permutation', (job: PermutationJob) => permutationImportance(job));

export const pdpTask = defineWorkerTask('explain.pdp', (job: PdpJob): PdpCurves => partialDependence(job));
