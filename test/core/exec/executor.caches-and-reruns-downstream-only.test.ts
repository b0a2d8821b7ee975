import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MetricsValue } from '../../../core/spec/index.ts';
import { runPipeline } from '../../support/run-pipeline.ts';
import { runCounts, TOY_NODES } from '../../support/toy-nodes.ts';

const chain = (value: number, plus = 0) => ({
  nodes: [
    { id: 'one', type: 'toy.constant', version: 1, params: { value } },
    { id: 'two', type: 'toy.constant', version: 1, params: { value: 10 } },
    { id: 'sum', type: 'toy.add', version: 1, params: { plus } },
    { id: 'side', type: 'toy.add', version: 1, params: {} },
  ],
  edges: [
    { from: 'one.out', to: 'sum.a' },
    { from: 'two.out', to: 'sum.b' },
    { from: 'two.out', to: 'side.a' },
  ],
});

describe('executor', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowline-exec-'));
    runCounts.clear();
  });

  it('computes, then serves every node from the on-disk cache', async () => {
    const first = await runPipeline(chain(3), { dir, nodes: TOY_NODES });
    expect(first.status).toBe('done');
    expect(first.output<MetricsValue>('sum', 'out').values.v).toBe(13);
    expect(first.nodes.map((n) => n.status)).toEqual(['done', 'done', 'done', 'done']);

    const second = await runPipeline(chain(3), { dir, nodes: TOY_NODES });
    expect(second.nodes.map((n) => n.status)).toEqual(['cached', 'cached', 'cached', 'cached']);
    expect(second.output<MetricsValue>('sum', 'out').values.v).toBe(13);
    expect(runCounts.get('sum')).toBe(1);
  });

  it('changing one param re-runs that node and its downstream only, and says why', async () => {
    await runPipeline(chain(3), { dir, nodes: TOY_NODES });
    const rerun = await runPipeline(chain(5), { dir, nodes: TOY_NODES });
    expect(Object.fromEntries(rerun.nodes.map((n) => [n.id, n.status]))).toEqual({ one: 'done', two: 'cached', sum: 'done', side: 'cached' });
    expect(rerun.node('one').reason).toBe('params changed: value');
    expect(rerun.node('sum').reason).toBe('input "a" changed');
    expect(rerun.output<MetricsValue>('sum', 'out').values.v).toBe(15);
  });

  it('--set behaves like an edited param', async () => {
    await runPipeline(chain(3), { dir, nodes: TOY_NODES });
    const rerun = await runPipeline(chain(3), { dir, nodes: TOY_NODES, set: ['sum.plus=100'] });
    expect(rerun.node('sum').status).toBe('done');
    expect(rerun.output<MetricsValue>('sum', 'out').values.v).toBe(113);
  });

  it('"run up to node X" runs only its ancestors', async () => {
    const run = await runPipeline(chain(3), { dir, nodes: TOY_NODES, to: 'side' });
    expect(run.nodes.map((n) => n.id).sort()).toEqual(['side', 'two']);
    expect(runCounts.has('one')).toBe(false);
  });

  it('a failing node reports its error; downstream is skipped; other branches finish; nothing is cached for it', async () => {
    const p = chain(3);
    p.nodes[2].params = { fail: true } as never;
    const run = await runPipeline(p, { dir, nodes: TOY_NODES });
    expect(run.status).toBe('error');
    expect(run.node('sum').status).toBe('error');
    expect(run.node('sum').error).toMatchObject({ code: 'BAD_DATA', nodeId: 'sum', message: 'asked to fail' });
    expect(run.node('side').status).toBe('done');
    expect(run.events.some((e) => e.type === 'node:error' && e.nodeId === 'sum')).toBe(true);
    const again = await runPipeline(p, { dir, nodes: TOY_NODES });
    expect(again.node('sum').status).toBe('error');
    expect(runCounts.get('sum')).toBe(2);
  });

  it('emits run:start, per-node events and run:end in order', async () => {
    const run = await runPipeline(chain(3), { dir, nodes: TOY_NODES });
    const types = run.events.map((e) => e.type);
    expect(types[0]).toBe('run:start');
    expect(types.at(-1)).toBe('run:end');
    expect(types.filter((t) => t === 'node:start')).toHaveLength(4);
    expect(types.filter((t) => t === 'node:done')).toHaveLength(4);
  });
});
