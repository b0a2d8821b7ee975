/**
 * Load PostgreSQL knows its query's columns before running — but describing a query contacts the
 * database, so only for a pipeline that is trusted. `flowline validate` (--trust, or a file this
 * machine trusted) and the studio (a query the user wrote, or trusted) name a misspelt column
 * downstream with "did you mean"; an untrusted file never opens a connection and its columns are
 * "known after run". Connections are counted by a TCP listener standing in for the database.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { createService } from '../../../core/host/service.ts';
import { StateStore } from '../../../core/host/service/state.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { CURRENT_VERSION, type Pipeline } from '../../../core/schema/index.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';
import { tempDir } from './host-fixtures.ts';

const url = process.env.FLOWLINE_TEST_PG_URL;
if (!url) console.warn('\n*** FLOWLINE_TEST_PG_URL is not set: the trusted PostgreSQL column tests are SKIPPED (bash .ci/run sets up postgresql) ***\n');

const stateDir = mkdtempSync(join(tmpdir(), 'flowline-pg-known-state-'));
const previousStateDir = process.env.FLOWLINE_STATE_DIR;
process.env.FLOWLINE_STATE_DIR = stateDir;

/** A listener that counts the connections made to it and closes each at once. */
let counter: Server;
let connections = 0;
beforeAll(async () => {
  counter = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((done) => counter.listen(0, '127.0.0.1', done));
  const { port } = counter.address() as { port: number };
  process.env.FLOWLINE_TEST_COUNTED_PG_URL = `postgres://nobody:secret@127.0.0.1:${port}/nothing`;
});
afterAll(async () => {
  await new Promise((done) => counter.close(done));
  if (previousStateDir === undefined) delete process.env.FLOWLINE_STATE_DIR;
  else process.env.FLOWLINE_STATE_DIR = previousStateDir;
});

/** Load PostgreSQL → Group Aggregates by `key`; nothing run. */
function pipeline(query: string, connection: string, key: string): Pipeline {
  return {
    format: 'flowline.pipeline',
    version: CURRENT_VERSION,
    name: 'pg',
    seed: 42,
    nodes: [
      { id: 'db', type: 'data.load_postgres', version: 1, params: { query, connection } },
      { id: 'agg', type: 'prep.group_features', version: 1, params: { keys: [key], column: 'amount', aggs: ['mean'] } },
    ],
    edges: [{ from: 'db.table', to: 'agg.table' }],
    layout: { positions: {}, notes: [], groups: [] },
  } as Pipeline;
}

function saved(p: Pipeline): string {
  const path = join(mkdtempSync(join(tmpdir(), 'flowline-pg-known-')), 'p.flow.json');
  writeFileSync(path, JSON.stringify(p));
  return path;
}

async function validate(...args: string[]) {
  const { io, out } = captureIo();
  const code = await main(['validate', ...args, '--json'], { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...(JSON.parse(out.stdout) as { valid: boolean; diagnostics: Record<string, unknown>[] }) };
}

describe('flowline validate and Load PostgreSQL columns: the trust gate comes first', () => {
  it('an untrusted file opens no connection to the database and its columns are known after run', async () => {
    const path = saved(pipeline('SELECT region, amount FROM sales', 'FLOWLINE_TEST_COUNTED_PG_URL', 'regoin'));
    connections = 0;
    const r = await validate(path);
    expect(connections).toBe(0);
    // Known after run: the misspelt key cannot be judged yet, and nothing else is wrong.
    expect(r).toMatchObject({ code: 0, valid: true, diagnostics: [] });
    // The same file with --trust does try the database (the listener hangs up: still known after run).
    const trusted = await validate(path, '--trust');
    expect(connections).toBeGreaterThan(0);
    expect(trusted).toMatchObject({ code: 0, valid: true });
  });

  describe.skipIf(!url)('against the real PostgreSQL server', () => {
    const table = `flowline_known_${process.pid}`;
    let client: pg.Client;
    beforeAll(async () => {
      client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`CREATE TABLE ${table} (region text, amount numeric(10,2), day date, paid boolean, n integer)`);
    });
    afterAll(async () => {
      await client?.query(`DROP TABLE IF EXISTS ${table}`);
      await client?.end();
    });

    it('trusted with --trust, a misspelt column downstream exits 2 with "did you mean"', async () => {
      const path = saved(pipeline(`SELECT * FROM ${table};`, 'FLOWLINE_TEST_PG_URL', 'regoin'));
      expect((await validate(path)).code).toBe(0);
      const r = await validate(path, '--trust');
      expect(r.code).toBe(2);
      expect(r.diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'agg', path: ['keys', 0], column: 'regoin' }]);
      expect(String(r.diagnostics[0].message)).toContain('Did you mean "region"?');
    });

    it('a file this machine trusted needs no --trust, and the right column is valid', async () => {
      const bad = saved(pipeline(`SELECT * FROM ${table}`, 'FLOWLINE_TEST_PG_URL', 'Region'));
      await new StateStore(stateDir).trust(bad, readFileSync(bad, 'utf8'));
      expect((await validate(bad)).diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', column: 'Region' }]);
      const good = saved(pipeline(`SELECT * FROM ${table}`, 'FLOWLINE_TEST_PG_URL', 'region'));
      expect(await validate(good, '--trust')).toMatchObject({ code: 0, valid: true });
    });
  });
});

describe('the studio and Load PostgreSQL columns', () => {
  const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web' });
  afterAll(() => service.dispose());

  it('an opened file that is not trusted opens no connection while it is edited and validated', async () => {
    const path = saved(pipeline('SELECT region, amount FROM sales', 'FLOWLINE_TEST_COUNTED_PG_URL', 'regoin'));
    const opened = await service.openPipeline(path);
    expect(opened.needsTrust).toBe(true);
    connections = 0;
    const r = await service.validatePipeline(opened.pipeline, path);
    expect(connections).toBe(0);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.schemas.db).toBeUndefined();
  });

  it.skipIf(!url)('a query the user wrote is described: its columns and types, and "did you mean" for a misspelt key', async () => {
    const table = `flowline_studio_known_${process.pid}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE TABLE ${table} (region text, amount numeric(10,2), day date, seen timestamptz, paid boolean, n integer)`);
      const r = await service.validatePipeline(pipeline(`SELECT * FROM ${table}`, 'FLOWLINE_TEST_PG_URL', 'regoin'), undefined);
      expect(r.schemas.db.table.map((c) => [c.name, c.type])).toEqual([['region', 'string'], ['amount', 'number'], ['day', 'date'], ['seen', 'timestamp'], ['paid', 'boolean'], ['n', 'integer']]);
      expect(r.diagnostics).toMatchObject([{ severity: 'error', code: 'COLUMN_NOT_FOUND', nodeId: 'agg', column: 'regoin' }]);
      expect(r.diagnostics[0].message).toContain('Did you mean "region"?');
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});
