import { TOY_TASKS } from '../../support/toy-tasks.ts';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../core/host/api.ts';
import { createService, type FlowlineService } from '../../../core/host/service.ts';
import { chainPipeline, fakeData, HOST_TEST_NODES, tempDir, waitForRunEnd } from './host-fixtures.ts';

let services: FlowlineService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  services = [];
});

function makeService() {
  const s = createService({ nodes: HOST_TEST_NODES, tasks: TOY_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web', engine: fakeData });
  services.push(s);
  return s;
}

async function runAndWait(service: FlowlineService, request: Parameters<FlowlineService['run']>[0]) {
  const run: { id?: string } = {};
  const ended = waitForRunEnd(service.onEvent, () => run.id);
  run.id = (await service.run(request)).runId;
  const events = await ended;
  return { runId: run.id!, events, end: events.at(-1) as Extract<RunEvent, { type: 'run:end' }> };
}

describe('run', () => {
  it('returns a run id at once, reports events in order, and the table previews', async () => {
    const service = makeService();
    const path = join(tempDir(), 'chain.flow.json');
    await service.savePipeline(path, chainPipeline());
    const { runId, events, end } = await runAndWait(service, { pipeline: chainPipeline(), path });

    expect(runId).toMatch(/^run-/);
    expect(events.every((e) => e.runId === runId)).toBe(true);
    expect(events[0]).toEqual({ type: 'run:start', runId, nodes: ['one', 'sum', 'rows'] });
    const finished = events.filter((e) => e.type === 'node:done').map((e) => (e as { nodeId: string }).nodeId);
    expect(finished).toEqual(['one', 'sum', 'rows']);
    for (const id of ['one', 'sum', 'rows']) {
      const start = events.findIndex((e) => e.type === 'node:start' && e.nodeId === id);
      const done = events.findIndex((e) => e.type === 'node:done' && e.nodeId === id);
      expect(start).toBeGreaterThan(0);
      expect(done).toBeGreaterThan(start);
    }
    expect(end.type).toBe('run:end');
    expect(end.summary.status).toBe('done');

    const last = await service.lastRun(path);
    expect(last?.runId).toBe(runId);
    expect(last?.nodes.find((n) => n.id === 'sum')?.outputs?.out).toMatchObject({ kind: 'metrics', values: { v: 5 } });

    const page = await service.preview({ nodeId: 'rows', offset: 1, limit: 10, withProfile: true });
    expect(page).toMatchObject({ offset: 1, totalRows: 3, rows: [[10], [20]], columns: [{ name: 'x' }] });
    expect(page.profile?.[0]).toMatchObject({ name: 'x', count: 3 });
    // The same page by run id, and the schema is known to validate afterwards.
    expect((await service.preview({ runId, nodeId: 'rows', offset: 0, limit: 1 })).rows).toEqual([[0]]);
    const { diagnostics, schemas } = await service.validatePipeline(chainPipeline(), path);
    expect(diagnostics).toEqual([]);
    expect(schemas.rows.table).toEqual([{ name: 'x', type: 'integer', dbType: 'BIGINT' }]);

    // Unchanged rerun: nodes come from the cache (the fake table has no file, so the cache re-runs it).
    const again = await runAndWait(service, { pipeline: chainPipeline(), path });
    expect(again.events.filter((e) => e.type === 'node:cached').map((e) => (e as { nodeId: string }).nodeId)).toEqual(['one', 'sum']);
  });

  it('keeps the previous results when a later run fails', async () => {
    const service = makeService();
    await runAndWait(service, { pipeline: chainPipeline() });
    const failed = await runAndWait(service, { pipeline: chainPipeline({ fail: true }) });
    expect(failed.end.summary.status).toBe('error');
    expect(failed.events.find((e) => e.type === 'node:error')).toMatchObject({ nodeId: 'sum', error: { code: 'BAD_DATA' } });

    const last = (await service.lastRun())!;
    const byId = Object.fromEntries(last.nodes.map((n) => [n.id, n]));
    expect(byId.sum.status).toBe('error');
    expect(byId.sum.outputs?.out).toMatchObject({ values: { v: 5 } }); // the error shows, the data stays
    expect(byId.rows.status).toBe('done'); // skipped this time: the previous result still stands
    expect((await service.preview({ nodeId: 'rows', offset: 0, limit: 5 })).totalRows).toBe(3);
  });

  it('cancels the run in flight when the same pipeline is run again', async () => {
    const service = makeService();
    const seen: RunEvent[] = [];
    service.onEvent((e) => seen.push(e));
    // Sleeps for an hour: only the cancel can end it (a test that times out failed).
    const slow = await service.run({ pipeline: chainPipeline({ sleepMs: 3600_000 }) });
    const { end } = await runAndWait(service, { pipeline: chainPipeline() });
    expect(end.summary.status).toBe('done');
    const slowEnd = seen.find((e) => e.type === 'run:end' && e.runId === slow.runId) as Extract<RunEvent, { type: 'run:end' }>;
    expect(slowEnd.summary.status).toBe('cancelled');
    expect(seen.indexOf(slowEnd)).toBeLessThan(seen.findIndex((e) => e.type === 'run:start' && e.runId !== slow.runId));
  });

  it('cancel() stops a run', async () => {
    const service = makeService();
    const run: { id?: string } = {};
    const ended = waitForRunEnd(service.onEvent, () => run.id);
    // Cancel while the node sleeps (for an hour: only the cancel can end it), not after a delay.
    const off = service.onEvent((e) => {
      if (e.type === 'node:start' && e.nodeId === 'sum') void service.cancel(e.runId);
    });
    run.id = (await service.run({ pipeline: chainPipeline({ sleepMs: 3600_000 }) })).runId;
    const events = await ended;
    off();
    expect((events.at(-1) as Extract<RunEvent, { type: 'run:end' }>).summary.status).toBe('cancelled');
  });

  it('refuses to run an invalid pipeline, naming the problem', async () => {
    const service = makeService();
    const broken = { ...chainPipeline(), edges: [{ from: 'sum.out', to: 'rows.a' }] };
    await expect(service.run({ pipeline: broken })).rejects.toMatchObject({ code: 'MISSING_INPUT', nodeId: 'sum' });
    const { diagnostics } = await service.validatePipeline(broken);
    expect(diagnostics).toMatchObject([{ severity: 'error', code: 'MISSING_INPUT', nodeId: 'sum' }]);
    // A half-edited document still gets diagnostics rather than an exception.
    const half = await service.validatePipeline({ format: 'flowline.pipeline', version: 1, nodes: [{ id: 'x' }] } as never);
    expect(half.diagnostics[0]).toMatchObject({ severity: 'error', code: 'PIPELINE_INVALID' });
  });

  it('says clearly when a node has not run yet', async () => {
    await expect(makeService().preview({ nodeId: 'rows', offset: 0, limit: 10 })).rejects.toThrow(/"rows" has not run yet/);
  });
});
