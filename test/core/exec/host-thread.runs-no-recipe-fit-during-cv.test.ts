/**
 * Nothing heavy on a host's event loop: a 5-fold cross-validation re-fits a full recipe (impute,
 * formula, one-hot, scale, bins) once per fold, and none of that work may run on the process that
 * answers the studio. Counted, not timed: every recipe step fitted or applied on this (the host's)
 * thread is counted through the module that does it, and the pool reports the tasks its worker
 * threads ran. (Before the refits moved to workers, the host fitted 25 steps itself: 5 folds x 5 steps.) The loop's
 * delay on 100k rows, a timing, is measured by bench/host-loop.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { compile } from '../../../core/compile/index.ts';
import { execute, WorkerPool } from '../../../core/exec/index.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { churnCvPipeline, writeChurnCsv } from '../../support/churn-cv-fixture.ts';

/** Recipe steps fitted (fitApplyStep) or applied (applyRecipe) on this thread, by the executor's modules. */
const onHost = vi.hoisted(() => ({ fits: 0, applies: 0 }));
vi.mock('../../../core/ml/prep/fit.ts', async (importOriginal) => {
  const fit = await importOriginal<typeof import('../../../core/ml/prep/fit.ts')>();
  return {
    ...fit,
    fitApplyStep: (...args: Parameters<typeof fit.fitApplyStep>) => {
      onHost.fits++;
      return fit.fitApplyStep(...args);
    },
    applyRecipe: (...args: Parameters<typeof fit.applyRecipe>) => {
      onHost.applies++;
      return fit.applyRecipe(...args);
    },
  };
});

const ROWS = 5_000;

describe("the host's thread during heavy work", () => {
  it('runs no recipe fit of a 5-fold CV with a full recipe: the 5 refits and fits are counted in worker threads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-loop-'));
    writeChurnCsv(dir, ROWS);
    const { plan, diagnostics } = compile(churnCvPipeline, NODES);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pool = new WorkerPool(WORKER_TASKS, 2);
    try {
      const summary = await execute(plan!, { cacheDir: join(dir, 'cache'), pipelineDir: dir, pool });
      expect(summary.nodes.map((n) => `${n.id}:${n.status}${n.error ? ` ${n.error.message}` : ''}`)).toEqual(plan!.nodes.map((n) => `${n.id}:done`));
      // The reads, recipe re-fits and matrices of all 5 folds (on 2 workers), the 5 fold fits and
      // the out-of-fold report ran on worker threads...
      expect(pool.completedTasks()).toMatchObject({ 'ml.prepareFolds': 2, 'ml.fitScoreFold': 5, 'ml.evaluationReport': 1 });
      // ...and not one recipe step was fitted or applied on the host's thread.
      expect(onHost).toEqual({ fits: 0, applies: 0 });
    } finally {
      await pool.close();
    }
  }, 120_000);
});
