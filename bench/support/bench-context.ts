/** What the data benchmarks share: a numeric --name value from the command line, and a RunContext for calling a loader directly. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowlineError, type RunContext } from '../../core/spec/index.ts';

export const numberArg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

/** A RunContext rooted at `pipelineDir`, its own output folder, silent; worker tasks are not used. */
export function benchContext(pipelineDir: string): RunContext {
  const controller = new AbortController();
  return {
    nodeId: 'bench',
    pipelineDir,
    outDir: mkdtempSync(join(tmpdir(), 'flowline-bench-')),
    seed: 42,
    signal: controller.signal,
    log: () => {},
    warn: () => {},
    progress: () => {},
    runInWorker: () => Promise.reject(new Error('not used')),
    throwIfCancelled: () => {},
    error: (info) => new FlowlineError({ ...info, nodeId: 'bench' }),
  };
}
