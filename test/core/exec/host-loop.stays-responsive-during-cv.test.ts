/**
 * Nothing heavy on a host's event loop: while a 5-fold cross-validation re-fits a full recipe
 * (impute, formula, one-hot, scale, bins) on 100k rows, the process running the executor — the
 * one that answers the studio — keeps answering. The loop's delay is sampled with
 * perf_hooks.monitorEventLoopDelay over the cross-validation node only (its upstream steps read
 * and write tables). The bar is 100 ms; before the refits moved to workers the loop stalled for
 * over a second.
 *
 * Measured on the host's loop only, and robust to a busy machine: a tick can also come late
 * because other processes kept this thread off the CPU (CI runners, a shared 2-core box), which
 * no code of ours causes. So on Linux the bar applies to the CPU the main thread itself spent
 * between two ticks (HostLoopWatch.blockedMs); elsewhere to perf_hooks' maximum. And the heavy
 * work is counted where it must happen: as tasks run by the pool's worker threads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../core/compile/index.ts';
import { execute, WorkerPool } from '../../../core/exec/index.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { Pipeline } from '../../../core/schema/index.ts';
import { Rng } from '../../../core/spec/random.ts';
import { NODES } from '../../../nodes/index.ts';
import { HostLoopWatch } from '../../support/host-loop.ts';

const ROWS = 100_000;

function writeData(dir: string): void {
  const rng = new Rng(7);
  const cities = ['north', 'south', 'east', 'west', 'centre'];
  const lines = ['age,income,city,visits,churned'];
  for (let i = 0; i < ROWS; i++) {
    const age = 18 + Math.floor(rng.next() * 60);
    const income = rng.next() < 0.05 ? '' : (20 + rng.next() * 80).toFixed(2);
    const city = cities[Math.floor(rng.next() * cities.length)];
    const visits = Math.floor(rng.next() * 20);
    const churned = rng.next() < 1 / (1 + Math.exp(-(visits - 10) / 3)) ? 'yes' : 'no';
    lines.push(`${age},${income},${city},${visits},${churned}`);
  }
  writeFileSync(join(dir, 'customers.csv'), `${lines.join('\n')}\n`);
}

const pipeline = Pipeline.parse({
  format: 'flowline.pipeline',
  version: 1,
  seed: 3,
  nodes: [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'customers.csv' } },
    { id: 'impute', type: 'prep.impute', version: 1, params: { columns: ['income'], strategy: 'median' } },
    { id: 'ratio', type: 'prep.formula', version: 1, params: { output: 'income_per_visit', expression: 'income / (visits + 1)' } },
    { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['city'], method: 'onehot' } },
    { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['age', 'income', 'income_per_visit'], method: 'standard' } },
    { id: 'bins', type: 'prep.discretize', version: 1, params: { columns: ['visits'], strategy: 'quantile', n_bins: 4 } },
    { id: 'cv', type: 'ml.cross_validate', version: 1, params: { target: 'churned', learner: 'decision_tree', learner_params: { max_depth: 4 }, folds: 5 } },
  ],
  edges: [
    { from: 'load.table', to: 'impute.table' },
    { from: 'impute.table', to: 'ratio.table' },
    { from: 'ratio.table', to: 'encode.table' },
    { from: 'encode.table', to: 'scale.table' },
    { from: 'scale.table', to: 'bins.table' },
    { from: 'bins.table', to: 'cv.table' },
  ],
});

describe("the host's event loop during heavy work", () => {
  it('stays under 100 ms of delay through a 5-fold CV with a full recipe on 100k rows, the refits and fits counted in workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-loop-'));
    writeData(dir);
    const { plan, diagnostics } = compile(pipeline, NODES);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pool = new WorkerPool(WORKER_TASKS, 2);
    const watch = new HostLoopWatch(10);
    let cvStarted = 0;
    try {
      const summary = await execute(plan!, {
        cacheDir: join(dir, 'cache'),
        pipelineDir: dir,
        pool,
        onEvent: (e) => {
          // Measure the cross-validation node alone: its upstream steps read and write tables.
          if (e.type === 'node:start' && e.nodeId === 'cv') {
            cvStarted = performance.now();
            watch.start();
          }
          if ((e.type === 'node:done' || e.type === 'node:error') && e.nodeId === 'cv') watch.stop();
        },
      });
      expect(summary.nodes.map((n) => `${n.id}:${n.status}${n.error ? ` ${n.error.message}` : ''}`)).toEqual(plan!.nodes.map((n) => `${n.id}:done`));
      const cvMs = performance.now() - cvStarted;
      const { maxMs, p99Ms, samples } = watch.delay;
      const report = `CV of 100k rows: ${cvMs.toFixed(0)} ms; event-loop delay max ${maxMs.toFixed(1)} ms, p99 ${p99Ms.toFixed(1)} ms; longest the main thread ran between ticks ${watch.blockedMs} ms`;
      console.log(report);
      // The loop was sampled all along, and never stalled past the bar.
      expect(samples).toBeGreaterThan(cvMs / 100);
      if (Number.isNaN(watch.blockedMs)) expect(maxMs, report).toBeLessThan(100);
      else expect(watch.blockedMs, report).toBeLessThan(100);
      // The reads, recipe re-fits and matrices of all 5 folds (on 2 workers), the 5 fold fits and
      // the out-of-fold report ran on worker threads.
      expect(pool.completedTasks()).toMatchObject({ 'ml.prepareFolds': 2, 'ml.fitScoreFold': 5, 'ml.evaluationReport': 1 });
    } finally {
      watch.stop();
      await pool.close();
    }
  }, 180_000);
});
