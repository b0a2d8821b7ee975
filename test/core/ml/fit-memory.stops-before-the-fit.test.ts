import { afterEach, describe, expect, it, vi } from 'vitest';
import { LEARNERS } from '../../../core/ml/learners/index.ts';
import { fitMemoryBytes, hasMemoryEstimate } from '../../../core/ml/learners/memory.ts';
import { fitLearnerTask, type FitPayload } from '../../../core/ml/tasks.ts';
import { learnerPipeline } from '../../support/learner-pipeline.ts';
import { runPipeline } from '../../support/run-pipeline.ts';

const io = { progress: () => {}, log: () => {} };

describe('a fit that would not fit in memory stops with a clear error before it starts', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('ridge on 120,000 features (a 115 GB system of equations) is refused at once, naming the sizes', () => {
    // Whatever this machine has, at most 64 GB counts: the test does not depend on it.
    vi.stubEnv('FLOWLINE_FIT_MEMORY_LIMIT', '64GB');
    const rows = 8;
    const cols = 120_000;
    const payload: FitPayload = {
      kind: 'ridge',
      params: {},
      task: 'regression',
      seed: 1,
      X: { data: new Float64Array(rows * cols).fill(1), rows, cols },
      y: Float64Array.from({ length: rows }, (_, i) => i),
      featureNames: Array.from({ length: cols }, (_, j) => `f${j}`),
    };
    let caught: unknown;
    try {
      fitLearnerTask.run(payload, io);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'NOT_ENOUGH_MEMORY' });
    expect((caught as Error).message).toMatch(/^Fitting Ridge regression on 8 rows × 120,000 features would need about 1\d\d GB of memory; (\d+(\.\d)? GB) is available\.$/);
  });

  it('through ml.train the node fails with NOT_ENOUGH_MEMORY when the memory it may use is too small', async () => {
    vi.stubEnv('FLOWLINE_FIT_MEMORY_LIMIT', '1MB');
    const { pipeline, dir } = learnerPipeline('breast_cancer', 'random_forest', { n_estimators: 500 }, { seed: 1, evaluate: false });
    const run = await runPipeline(pipeline, { dir });
    expect(run.node('train').status).toBe('error');
    expect(run.node('train').error).toMatchObject({ code: 'NOT_ENOUGH_MEMORY', nodeId: 'train', message: expect.stringMatching(/Random forest on \d+ rows × 30 features would need about [\d.]+ MB of memory; 1\.0 MB is available/) });
  });

  it('every learner has an estimate, and it grows with the rows, the features and the work asked for', () => {
    for (const l of LEARNERS) {
      expect(hasMemoryEstimate(l.kind), l.kind).toBe(true);
      const p = l.params.parse({}) as Record<string, unknown>;
      const small = fitMemoryBytes(l.kind, { rows: 1000, cols: 10, classes: 2 }, p);
      expect(fitMemoryBytes(l.kind, { rows: 100_000, cols: 10, classes: 2 }, p), l.kind).toBeGreaterThan(small);
      expect(fitMemoryBytes(l.kind, { rows: 1000, cols: 1000, classes: 2 }, p), l.kind).toBeGreaterThan(small);
    }
    const rf = (n: number) => fitMemoryBytes('random_forest', { rows: 10_000, cols: 10, classes: 2 }, { n_estimators: n, min_samples_leaf: 1, max_depth: null });
    expect(rf(1000)).toBeGreaterThan(5 * rf(100));
  });
});
