import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowlineError, type RunContext, type WorkerTask } from '../../core/spec/index.ts';

/**
 * A RunContext for calling one node's or one algorithm's code directly in a unit test.
 * Worker tasks run in-process here; the executor's tests cover the real worker pool.
 */
export function fakeContext(overrides: Partial<RunContext> = {}): RunContext & { logs: string[] } {
  const logs: string[] = [];
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
    progress: () => {},
    async runInWorker<T>(task: WorkerTask, payload: unknown): Promise<T> {
      const mod = (await import(task.module)) as Record<string, (p: unknown, io: unknown) => Promise<T>>;
      return mod[task.fn](payload, { progress: () => {}, log: (m: string) => logs.push(m) });
    },
    throwIfCancelled() {
      if ((overrides.signal ?? controller.signal).aborted) throw new FlowlineError({ code: 'CANCELLED', message: 'Run cancelled.', nodeId });
    },
    error: (info) => new FlowlineError({ ...info, nodeId }),
  };
}
