import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowlineError, type RunContext, type WorkerTask } from '../../core/spec/index.ts';

/**
 * A RunContext for calling one node's or one algorithm's code directly in a unit test.
 * Worker tasks run in-process here (on a copy of the payload); the executor's tests cover the
 * real worker pool.
 */
export function fakeContext(overrides: Partial<RunContext> = {}): RunContext & { logs: string[]; warnings: string[] } {
  const logs: string[] = [];
  const warnings: string[] = [];
  const controller = new AbortController();
  const nodeId = overrides.nodeId ?? 'node';
  return {
    nodeId,
    pipelineDir: overrides.pipelineDir ?? process.cwd(),
    outDir: overrides.outDir ?? mkdtempSync(join(tmpdir(), 'flowline-test-')),
    seed: overrides.seed ?? 42,
    signal: overrides.signal ?? controller.signal,
    logs,
    log: (m) => logs.push(m),
    warnings,
    warn: (m) => warnings.push(m),
    progress: () => {},
    async runInWorker<P, R>(task: WorkerTask<P, R>, payload: P): Promise<R> {
      // A structured clone, as the trip to a worker makes: a task must not rely on sharing memory.
      return task.run(structuredClone(payload), { progress: () => {}, log: (m: string) => logs.push(m) });
    },
    throwIfCancelled() {
      if ((overrides.signal ?? controller.signal).aborted) throw new FlowlineError({ code: 'CANCELLED', message: 'Run cancelled.', nodeId });
    },
    error: (info) => new FlowlineError({ ...info, nodeId }),
  };
}
