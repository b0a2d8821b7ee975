import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineNode, type ArtifactValue } from '../../../core/spec/index.ts';
import { runPipeline } from '../../support/run-pipeline.ts';
import { runCounts, TOY_NODES } from '../../support/toy-nodes.ts';

/**
 * A node that writes a file into its cache folder, waits at a gate the test opens, then reads its
 * file back and outputs it as an artifact: the test decides exactly how two runs interleave.
 */
const gate = { arrived: [] as (() => void)[], waiting: [] as Promise<void>[], open: () => {} };
function resetGate(): void {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  Object.assign(gate, { arrived: [], waiting: [opened], open });
}
const arrivals: string[] = [];
let onArrive: () => void = () => {};

const writeWaitRead = defineNode({
  type: 'toy.write_wait_read',
  version: 1,
  title: 'Write, wait, read',
  category: 'Utility',
  description: 'Writes a file in its output folder, waits at the test gate, reads it back.',
  inputs: {},
  outputs: { out: { type: 'artifact', label: 'File' } },
  params: z.object({ text: z.string().default('hello') }),
  exportable: false,
  async run({ params, ctx }) {
    const file = join(ctx.outDir, 'part.txt');
    writeFileSync(file, params.text);
    arrivals.push(ctx.outDir);
    onArrive();
    await gate.waiting[0];
    if (readFileSync(file, 'utf8') !== params.text) throw new Error('my file changed under me');
    return { out: { kind: 'artifact', path: file, format: 'txt' } satisfies ArtifactValue };
  },
});
const NODES = [...TOY_NODES, writeWaitRead];
const pipeline = { nodes: [{ id: 'w', type: 'toy.write_wait_read', version: 1, params: { text: 'same key' } }] };

const arrived = (n: number) => new Promise<void>((resolve) => {
  onArrive = () => arrivals.length >= n && resolve();
  onArrive();
});

describe('the cache shared by runs at once', () => {
  it('two runs of the same pipeline at once both succeed, and the next run is served from the cache', async () => {
    resetGate();
    arrivals.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'flowline-shared-cache-'));
    const cacheDir = join(dir, 'cache');
    // The second run starts once the first is inside its node, having written its file: before
    // the fix, preparing the same key again emptied the first run's folder (ENOENT for it).
    const first = runPipeline(pipeline, { dir, cacheDir, nodes: NODES });
    await arrived(1);
    const second = runPipeline(pipeline, { dir, cacheDir, nodes: NODES });
    await arrived(2);
    gate.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.node('w')).toMatchObject({ status: 'done' });
    expect(b.node('w')).toMatchObject({ status: 'done' });
    expect(arrivals[0]).not.toBe(arrivals[1]); // each writer had a folder of its own
    for (const run of [a, b]) {
      const { path } = run.output<ArtifactValue>('w', 'out');
      expect(readFileSync(path, 'utf8')).toBe('same key'); // what each run hands on is there
    }
    resetGate();
    gate.open();
    const third = await runPipeline(pipeline, { dir, cacheDir, nodes: NODES });
    expect(third.node('w').status).toBe('cached');
    expect(readFileSync(third.output<ArtifactValue>('w', 'out').path, 'utf8')).toBe('same key');
  });

  it('--no-cache recomputes without deleting the entry the next normal run uses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-no-cache-'));
    const p = { nodes: [{ id: 'one', type: 'toy.constant', version: 1, params: { value: 4 } }] };
    runCounts.clear();
    expect((await runPipeline(p, { dir, nodes: TOY_NODES })).node('one').status).toBe('done');
    const fresh = await runPipeline(p, { dir, nodes: TOY_NODES, useCache: false });
    expect(fresh.node('one').status).toBe('done');
    expect(runCounts.get('one')).toBe(2); // it did recompute
    expect((await runPipeline(p, { dir, nodes: TOY_NODES })).node('one').status).toBe('cached');
  });

  it('a failed node leaves nothing behind in the cache folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-failed-'));
    const cacheDir = join(dir, 'cache');
    const p = { nodes: [{ id: 'one', type: 'toy.constant', version: 1, params: {} }, { id: 'boom', type: 'toy.add', version: 1, params: { fail: true } }], edges: [{ from: 'one.out', to: 'boom.a' }] };
    await runPipeline(p, { dir, cacheDir, nodes: TOY_NODES });
    const leftovers = existsSync(join(cacheDir, 'tmp')) ? readdirSync(join(cacheDir, 'tmp')) : [];
    expect(leftovers).toEqual([]);
  });
});
