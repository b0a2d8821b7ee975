/** The whole path with the real engines: compile → execute (Parquet via DuckDB) → preview page + profile. */
import { TOY_TASKS } from '../../support/toy-tasks.ts';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../core/host/api.ts';
import { createService } from '../../../core/host/service.ts';
import { HOST_TEST_NODES, tempDir, waitForRunEnd } from './host-fixtures.ts';

const service = createService({ nodes: HOST_TEST_NODES, tasks: TOY_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web' });
afterAll(() => service.dispose());

describe('preview with the real table engine', () => {
  it('pages, sorts and profiles the output of a node that ran', async () => {
    const pipeline = {
      format: 'flowline.pipeline' as const,
      version: 1,
      name: 'Range',
      seed: 42,
      nodes: [{ id: 'numbers', type: 'hosttest.range', version: 1, params: { rows: 7 } }],
      edges: [],
      layout: { positions: {}, notes: [], groups: [] },
    };
    const run: { id?: string } = {};
    const ended = waitForRunEnd(service.onEvent, () => run.id);
    run.id = (await service.run({ pipeline })).runId;
    const end = (await ended).at(-1) as Extract<RunEvent, { type: 'run:end' }>;
    expect(end.summary.status).toBe('done');

    const page = await service.preview({ nodeId: 'numbers', offset: 2, limit: 3, withProfile: true });
    expect(page.columns.map((c) => [c.name, c.type])).toEqual([['x', 'integer'], ['y', 'number'], ['label', 'string']]);
    expect(page.totalRows).toBe(7);
    expect(page.rows).toEqual([[2, 4, 'a'], [3, 6, 'b'], [4, 8, 'a']]);
    const y = page.profile!.find((p) => p.name === 'y')!;
    expect(y).toMatchObject({ count: 7, missing: 0, min: 0, max: 12, mean: 6 });

    const sorted = await service.preview({ nodeId: 'numbers', offset: 0, limit: 2, orderBy: { column: 'x', descending: true } });
    expect(sorted.rows).toEqual([[6, 12, 'a'], [5, 10, 'b']]);
    await expect(service.preview({ nodeId: 'numbers', offset: 0, limit: 2, orderBy: { column: 'nope' } })).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
  });
});
