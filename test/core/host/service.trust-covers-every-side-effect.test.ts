import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent, RunRequest } from '../../../core/host/api.ts';
import { createService, type FlowlineService } from '../../../core/host/service.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { serializePipeline, type Pipeline } from '../../../core/schema/index.ts';
import { NODES } from '../../../nodes/index.ts';
import { tempDir, waitForRunEnd } from './host-fixtures.ts';

const PEOPLE = resolve(import.meta.dirname, '../../fixtures/data/people.csv');

let services: FlowlineService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  services = [];
});

function makeService(stateDir = tempDir(), cwd = tempDir()) {
  const s = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir, templatesDir: tempDir(), host: 'web', cwd });
  services.push(s);
  return s;
}

async function runToEnd(service: FlowlineService, request: RunRequest) {
  const run: { id?: string } = {};
  const ended = waitForRunEnd(service.onEvent, () => run.id);
  run.id = (await service.run(request)).runId;
  const end = (await ended).at(-1) as Extract<RunEvent, { type: 'run:end' }>;
  return end.summary;
}

function pipeline(nodes: Pipeline['nodes'], edges: Pipeline['edges'] = []): Pipeline {
  return { format: 'flowline.pipeline', version: 1, name: 'sent to you', seed: 42, nodes, edges, layout: { positions: {}, notes: [], groups: [] } } as Pipeline;
}

const load = (path = 'people.csv') => ({ id: 'load', type: 'data.load_csv', version: 1, params: { path } });
const save = (path: string) => ({ id: 'save', type: 'data.write_csv', version: 1, params: { path } });
const loadThenSave = (target: string) => pipeline([load(), save(target)], [{ from: 'load.table', to: 'save.table' }]);

/** A folder holding a pipeline file someone sent (and its data). */
function foreignFile(doc: Pipeline): { dir: string; path: string } {
  const dir = tempDir();
  copyFileSync(PEOPLE, join(dir, 'people.csv'));
  const path = join(dir, 'sent.flow.json');
  writeFileSync(path, serializePipeline(doc));
  return { dir, path };
}

describe('the trust gate covers every side effect', () => {
  it('a pipeline with no Code or SQL that writes outside its folder is refused by name before the run, and nothing is written', async () => {
    const victim = join(tempDir(), '.bashrc');
    writeFileSync(victim, 'export PATH=$PATH\n');
    const { path } = foreignFile(loadThenSave(victim));
    const service = makeService();
    const opened = await service.openPipeline(path);
    expect(opened.needsTrust).toBe(true);
    expect(opened.sideEffects).toEqual([{ nodeId: 'save', kind: 'write', what: `node "save" (Write CSV) writes ${victim}, outside the pipeline's folder` }]);
    const refused = await service.run({ pipeline: opened.pipeline, path }).catch((e: Error & { code?: string }) => e);
    expect(refused).toMatchObject({ code: 'NOT_TRUSTED' });
    expect((refused as Error).message).toContain(`node "save" (Write CSV) writes ${victim}`);
    expect(readFileSync(victim, 'utf8')).toBe('export PATH=$PATH\n');

    // Once trusted (after reading what it does), it runs.
    await service.trustRun({ pipeline: opened.pipeline, path });
    expect((await runToEnd(service, { pipeline: opened.pipeline, path })).status).toBe('done');
    expect(readFileSync(victim, 'utf8')).toMatch(/^id,name,age/);
  });

  it('a load from outside the pipeline folder, a database query and a symlink out of the folder need trust too', async () => {
    const elsewhere = join(tempDir(), 'private.csv');
    copyFileSync(PEOPLE, elsewhere);
    const outsideRead = foreignFile(pipeline([load(elsewhere)]));
    const service = makeService();
    expect((await service.openPipeline(outsideRead.path)).sideEffects).toEqual([{ nodeId: 'load', kind: 'read', what: `node "load" (Load CSV) reads ${elsewhere}, outside the pipeline's folder` }]);
    await expect(service.run({ pipeline: loadThenSave('x.csv'), path: outsideRead.path }).then(() => 'ran', () => 'refused')).resolves.toBe('ran');
    await expect(service.run({ pipeline: pipeline([load(elsewhere)]), path: outsideRead.path })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });

    const query = foreignFile(pipeline([{ id: 'db', type: 'data.load_postgres', version: 1, params: { query: 'DELETE FROM accounts RETURNING *', connection: 'DATABASE_URL' } }]));
    const opened = await service.openPipeline(query.path);
    expect(opened.sideEffects).toEqual([{ nodeId: 'db', kind: 'query', what: 'node "db" (Load from PostgreSQL) sends a query to the database named by DATABASE_URL: "DELETE FROM accounts RETURNING *"' }]);
    await expect(service.run({ pipeline: opened.pipeline, path: query.path })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });

    const linked = foreignFile(loadThenSave('out/result.csv'));
    const target = tempDir();
    symlinkSync(target, join(linked.dir, 'out'));
    expect((await service.openPipeline(linked.path)).sideEffects?.map((e) => e.kind)).toEqual(['write']);
    await expect(service.run({ pipeline: loadThenSave('out/result.csv'), path: linked.path })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });
    expect(existsSync(join(target, 'result.csv'))).toBe(false);
  });

  it('writes and reads inside the pipeline folder, or in a folder the user trusted, need no trust', async () => {
    const inside = foreignFile(loadThenSave('results/people-out.csv'));
    const service = makeService();
    expect((await service.openPipeline(inside.path)).needsTrust).toBe(false);
    const exports = tempDir();
    const toExports = foreignFile(loadThenSave(join(exports, 'out.csv')));
    expect((await service.openPipeline(toExports.path)).needsTrust).toBe(true);
    await service.trustFolder(exports);
    expect((await service.openPipeline(toExports.path)).needsTrust).toBe(false);
    expect((await runToEnd(service, { pipeline: loadThenSave(join(exports, 'out.csv')), path: toExports.path })).status).toBe('done');
    expect(existsSync(join(exports, 'out.csv'))).toBe(true);
  });

  it('saving an untrusted pipeline does not trust it, under its own name or another', async () => {
    const victim = join(tempDir(), 'victim.csv');
    const { dir, path } = foreignFile(loadThenSave(victim));
    const stateDir = tempDir();
    const service = makeService(stateDir);
    const opened = await service.openPipeline(path);
    await service.savePipeline(path, opened.pipeline);
    const copy = join(dir, 'my-copy.flow.json');
    await service.savePipeline(copy, { ...opened.pipeline, name: 'mine now' });
    const again = makeService(stateDir);
    expect((await again.openPipeline(path)).needsTrust).toBe(true);
    expect((await again.openPipeline(copy)).needsTrust).toBe(true);
    await expect(again.run({ pipeline: (await again.openPipeline(copy)).pipeline, path: copy })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });
    expect(existsSync(victim)).toBe(false);
  });

  it('unsaved, recovered or pasted work from an untrusted file stays untrusted; what the user writes runs', async () => {
    const victim = join(tempDir(), 'victim.csv');
    const { path } = foreignFile(loadThenSave(victim));
    const stateDir = tempDir();
    const service = makeService(stateDir);
    const opened = await service.openPipeline(path);
    // Run without a path: an unsaved copy.
    await expect(service.run({ pipeline: opened.pipeline })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });
    // Recovered after a crash, by a new session.
    await service.autosave('studio', opened.pipeline);
    const next = makeService(stateDir);
    const recovered = (await next.recoverAutosave('studio'))!;
    await expect(next.run({ pipeline: recovered })).rejects.toMatchObject({ code: 'NOT_TRUSTED', message: expect.stringContaining('This pipeline (not saved) has not been trusted') });
    // Its Write node pasted into a pipeline the user trusts.
    const mineDir = tempDir();
    copyFileSync(PEOPLE, join(mineDir, 'people.csv'));
    const mine = join(mineDir, 'mine.flow.json');
    await next.savePipeline(mine, loadThenSave('local.csv'));
    await expect(next.run({ pipeline: loadThenSave(victim), path: mine })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });
    expect(existsSync(victim)).toBe(false);

    // A write outside the folder the user typed in themselves was never in a foreign file: it runs.
    const chosen = join(tempDir(), 'chosen.csv');
    expect((await runToEnd(next, { pipeline: loadThenSave(chosen), path: mine })).status).toBe('done');
    expect(existsSync(chosen)).toBe(true);
  });

  it('opening a pipeline with a Code node from elsewhere asks, and a new folder for its run does not launder it', async () => {
    const code = { id: 'code', type: 'prep.code', version: 1, params: { code: '(df) => df' } };
    const { path } = foreignFile(pipeline([load(), code], [{ from: 'load.table', to: 'code.table' }]));
    const service = makeService();
    const opened = await service.openPipeline(path);
    expect(opened.sideEffects).toEqual([{ nodeId: 'code', kind: 'code', what: 'node "code" (Run Code) runs JavaScript code: "(df) => df"' }]);
    const moved = join(tempDir(), 'moved.flow.json');
    mkdirSync(resolve(moved, '..'), { recursive: true });
    writeFileSync(moved, readFileSync(path));
    await expect(service.run({ pipeline: opened.pipeline, path: moved })).rejects.toMatchObject({ code: 'NOT_TRUSTED' });
  });
});
