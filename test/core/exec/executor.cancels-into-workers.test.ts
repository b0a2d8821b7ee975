import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../core/host/api.ts';
import type { MetricsValue } from '../../../core/spec/index.ts';
import { runPipeline } from '../../support/run-pipeline.ts';
import { TOY_NODES } from '../../support/toy-nodes.ts';

const pipeline = (spinMs: number) => ({
  nodes: [
    { id: 'one', type: 'toy.constant', version: 1, params: { value: 7 } },
    { id: 'sq', type: 'toy.square_in_worker', version: 1, params: { spinMs } },
  ],
  edges: [{ from: 'one.out', to: 'sq.a' }],
});

describe('executor worker threads', () => {
  it('runs CPU work in a worker thread and caches the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-exec-'));
    const run = await runPipeline(pipeline(0), { dir, nodes: TOY_NODES });
    expect(run.output<MetricsValue>('sq', 'out').values.v).toBe(49);
    expect((await runPipeline(pipeline(0), { dir, nodes: TOY_NODES })).node('sq').status).toBe('cached');
  });

  it('cancelling stops a tight loop inside a worker and leaves no cache entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-exec-'));
    const controller = new AbortController();
    // Cancel once the worker is inside its loop (it says so), not after a delay that a loaded
    // machine may not have reached the loop by. The loop would spin for hours: if cancelling did
    // not stop it, the test would time out.
    const onEvent = (e: RunEvent) => {
      if (e.type === 'node:progress' && e.nodeId === 'sq' && e.message === 'spinning') controller.abort();
    };
    const run = await runPipeline(pipeline(4 * 3600_000), { dir, nodes: TOY_NODES, signal: controller.signal, onEvent });
    expect(run.status).toBe('cancelled');
    expect(run.node('sq').status).toBe('cancelled');
    expect(run.node('one').status).toBe('done');
    // The cache stays consistent: the cancelled node re-runs next time, its upstream is cached.
    const next = await runPipeline(pipeline(0), { dir, nodes: TOY_NODES });
    expect(next.node('one').status).toBe('cached');
    expect(next.node('sq').status).toBe('done');
  });
});
