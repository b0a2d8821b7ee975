/**
 * A PostgreSQL login entered in the studio (saveConnection) is used by Load from PostgreSQL through
 * its name and is never written into the pipeline file. Against the real server (.ci/run sets
 * FLOWLINE_TEST_PG_URL); without it, reported skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pipeline, RunEvent } from '../../../core/host/api.ts';
import { createService } from '../../../core/host/service.ts';
import { pgConfig } from '../../../core/data/postgres.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { tempDir, waitForRunEnd } from './host-fixtures.ts';

const url = process.env.FLOWLINE_TEST_PG_URL;
if (!url) console.warn('\n*** FLOWLINE_TEST_PG_URL is not set: the saved-connection PostgreSQL test is SKIPPED (bash .ci/run sets it up) ***\n');

const pipeline = (connection: string): Pipeline => ({
  format: 'flowline.pipeline',
  version: 2,
  name: 'From the database',
  seed: 42,
  nodes: [{ id: 'db', type: 'data.load_postgres', version: 1, params: { query: 'SELECT 41 + 1 AS answer', connection } }],
  edges: [],
  layout: { positions: { db: { x: 0, y: 0 } }, notes: [], groups: [] },
});

describe('database connections saved in the studio', () => {
  it('take second place to an environment variable of the same name, which the CLI keeps using', () => {
    const saved = { host: 'h', port: 5433, database: 'd', user: 'u', password: 'p' };
    const ctx = { nodeId: 'db', savedConnection: (name: string) => (name === 'SALES' ? saved : undefined) };
    expect(pgConfig(ctx, 'SALES', {})).toEqual(saved);
    expect(pgConfig(ctx, 'SALES', { SALES: 'postgres://env/db' })).toEqual({ connectionString: 'postgres://env/db' });
    expect(() => pgConfig(ctx, 'OTHER', {})).toThrow('No connection "OTHER" is saved in the studio, and the environment variable OTHER is not set.');
  });

  describe.skipIf(!url)('real server', () => {
    const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web' });
    afterAll(() => service.dispose());

    it('are used by Load from PostgreSQL by name, listed without the password, and never saved in the pipeline file', async () => {
      const u = new URL(url!);
      const password = decodeURIComponent(u.password);
      const login = { name: 'STUDIO_PG', host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username), password };
      expect(await service.saveConnection(login)).toEqual({ ...login, password: undefined, storedIn: 'session' });
      expect(await service.listConnections()).toEqual([{ name: 'STUDIO_PG', host: login.host, port: login.port, database: login.database, user: login.user, storedIn: 'session' }]);

      const path = join(tempDir(), 'db.flow.json');
      await service.savePipeline(path, pipeline('STUDIO_PG'));
      const request = { pipeline: pipeline('STUDIO_PG'), path };
      await service.trustRun(request);
      const run: { id?: string } = {};
      const ended = waitForRunEnd((l: (e: RunEvent) => void) => service.onEvent(l), () => run.id);
      run.id = (await service.run(request)).runId;
      const events = await ended;
      expect(events.find((e) => e.type === 'node:error')).toBeUndefined();
      expect(events.filter((e) => e.type === 'node:log').map((e) => (e as { message: string }).message)).toContain('Read 1 rows from the database.');
      expect((await service.preview({ nodeId: 'db', offset: 0, limit: 1 })).rows).toEqual([[42]]);

      // Saved again after the run: the file names the connection, and holds nothing of the login.
      await service.savePipeline(path, pipeline('STUDIO_PG'));
      const text = readFileSync(path, 'utf8');
      expect(text).toContain('"connection": "STUDIO_PG"');
      for (const secret of [`:${password}@`, login.host, '"password"', '5432']) expect(text).not.toContain(secret);
      // (The test server's password, "flowline", is also the start of the format's name: compare values.)
      const values: unknown[] = [];
      JSON.parse(text, (_key, value: unknown) => (values.push(value), value));
      expect(values).not.toContain(password);
      expect(values).not.toContain(login.user);

      // Forgotten: the next run says what to do.
      await service.forgetConnection('STUDIO_PG');
      expect(await service.listConnections()).toEqual([]);
      const again: { id?: string } = {};
      const endedAgain = waitForRunEnd((l: (e: RunEvent) => void) => service.onEvent(l), () => again.id);
      again.id = (await service.run(request)).runId;
      const failure = (await endedAgain).find((e) => e.type === 'node:error') as { error: { message: string; nodeId?: string } } | undefined;
      expect(failure?.error).toMatchObject({ nodeId: 'db', message: expect.stringContaining('No connection "STUDIO_PG" is saved in the studio') });
    });
  });
});
