import { TOY_TASKS } from '../../support/toy-tasks.ts';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createService, type FlowlineService } from '../../../core/host/service.ts';
import { serializePipeline, type Pipeline } from '../../../core/schema/index.ts';
import { chainPipeline, fakeData, HOST_TEST_NODES, tempDir } from './host-fixtures.ts';

let services: FlowlineService[] = [];
afterEach(async () => {
  await Promise.all(services.map((s) => s.dispose()));
  services = [];
});

function makeService(stateDir = tempDir(), templatesDir = tempDir()) {
  const s = createService({ nodes: HOST_TEST_NODES, tasks: TOY_TASKS, stateDir, templatesDir, host: 'web', engine: fakeData });
  services.push(s);
  return s;
}

const codePipeline = (): Pipeline => ({
  ...chainPipeline(),
  nodes: [{ id: 'query', type: 'hosttest.code', version: 1, params: { sql: 'select 2', column: 'x' } }],
  edges: [],
});

describe('catalog', () => {
  it('describes ports, params as JSON Schema, defaults and inspector hints', async () => {
    const catalog = await makeService().catalog();
    expect(catalog.map((c) => c.type)).toEqual(HOST_TEST_NODES.map((n) => n.type));
    const add = catalog.find((c) => c.type === 'toy.add')!;
    expect(add.inputs).toEqual([
      { name: 'a', type: 'metrics', label: 'A', required: true, multiple: false },
      { name: 'b', type: 'metrics', label: 'B', required: false, multiple: false },
    ]);
    expect(add.outputs.map((o) => [o.name, o.type])).toEqual([['out', 'metrics']]);
    expect(add.defaults).toEqual({ plus: 0, fail: false, sleepMs: 0 });
    expect(add.paramsSchema).toMatchObject({ type: 'object', properties: { plus: { type: 'number', default: 0 } } });
    expect(add.runsUserCode).toBe(false);

    const code = catalog.find((c) => c.type === 'hosttest.code')!;
    expect(code.runsUserCode).toBe(true);
    // A column the user must pick has no default; the others keep theirs.
    expect(code.defaults).toEqual({ sql: 'select 1' });
    expect(code.paramsUi.sql).toEqual({ widget: 'code', language: 'sql' });
    expect(code.paramsUi.column).toMatchObject({ widget: 'column', port: 'table' });
    expect((code.paramsSchema.properties as Record<string, { description?: string }>).column.description).toBe('A column.');
  });
});

describe('open and save', () => {
  it('saves stable text atomically: same bytes twice, no temp files left, reopens identical', async () => {
    const service = makeService();
    const dir = tempDir();
    const path = join(dir, 'chain.flow.json');
    const first = await service.savePipeline(path, chainPipeline());
    expect(first.text).toBe(serializePipeline(chainPipeline()));
    expect(readFileSync(path, 'utf8')).toBe(first.text);
    const again = await service.savePipeline(path, chainPipeline());
    expect(again.text).toBe(first.text);
    expect(readdirSync(dir)).toEqual(['chain.flow.json']);
    const opened = await service.openPipeline(path);
    expect(opened.text).toBe(first.text);
    expect(opened.pipeline).toEqual(chainPipeline());
    expect(opened.needsTrust).toBe(false);
    expect((await service.recentFiles()).map((r) => r.path)).toEqual([path]);
    rmSync(path);
    expect(await service.recentFiles()).toEqual([]);
  });

  it('leaves the file on disk untouched when the pipeline to save is invalid', async () => {
    const service = makeService();
    const dir = tempDir();
    const path = join(dir, 'chain.flow.json');
    await service.savePipeline(path, chainPipeline());
    const before = readFileSync(path, 'utf8');
    const broken = { ...chainPipeline(), nodes: [{ id: 'bad id!', type: 'toy.constant', version: 1, params: {} }] } as Pipeline;
    await expect(service.savePipeline(path, broken)).rejects.toMatchObject({ code: 'PIPELINE_INVALID' });
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['chain.flow.json']);
  });

  it('refuses a file from a newer Flowline with a clear message and writes nothing', async () => {
    const stateDir = tempDir();
    const service = makeService(stateDir);
    const dir = tempDir();
    const path = join(dir, 'future.flow.json');
    const text = JSON.stringify({ ...chainPipeline(), version: 99, futureField: true }, null, 2);
    writeFileSync(path, text);
    const err = await service.openPipeline(path).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PIPELINE_TOO_NEW', file: path });
    expect((err as Error).message).toMatch(/newer Flowline.*version 99.*nothing in it was changed/s);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['future.flow.json']);
    expect(await service.recentFiles()).toEqual([]);
    expect(readdirSync(stateDir)).toEqual([]);
  });

  it('names the file when it does not exist', async () => {
    const path = join(tempDir(), 'missing.flow.json');
    await expect(makeService().openPipeline(path)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', file: path });
  });
});

describe('trust', () => {
  it('asks before running a foreign pipeline with user code; trusts what this app saved', async () => {
    const stateDir = tempDir();
    const service = makeService(stateDir);
    const dir = tempDir();
    const path = join(dir, 'foreign.flow.json');
    writeFileSync(path, serializePipeline(codePipeline()));

    const opened = await service.openPipeline(path);
    expect(opened.needsTrust).toBe(true);
    await expect(service.run({ pipeline: opened.pipeline, path })).rejects.toThrow(/has not been trusted/);

    await service.trustPipeline(path);
    expect((await service.openPipeline(path)).needsTrust).toBe(false);
    // Remembered across sessions (same state folder)...
    expect((await makeService(stateDir).openPipeline(path)).needsTrust).toBe(false);
    // ...but only for that content: an outside edit asks again.
    writeFileSync(path, serializePipeline({ ...codePipeline(), name: 'changed elsewhere' }));
    expect((await makeService(stateDir).openPipeline(path)).needsTrust).toBe(true);

    // Saved from the app (code the user wrote, not the foreign file's): trusted without asking.
    const mine = join(dir, 'mine.flow.json');
    const own = codePipeline();
    own.nodes[0].params = { sql: 'select 3', column: 'x' };
    await service.savePipeline(mine, own);
    expect((await makeService(stateDir).openPipeline(mine)).needsTrust).toBe(false);
    // A pipeline without user code never needs trust.
    const plain = join(dir, 'plain.flow.json');
    writeFileSync(plain, serializePipeline(chainPipeline()));
    expect((await makeService(stateDir).openPipeline(plain)).needsTrust).toBe(false);
  });
});

describe('state, templates, folders', () => {
  it('autosaves and recovers by key, and clears the slot with null', async () => {
    const stateDir = tempDir();
    const service = makeService(stateDir);
    expect(await service.recoverAutosave('untitled-1')).toBeNull();
    await service.autosave('untitled-1', chainPipeline());
    expect(await makeService(stateDir).recoverAutosave('untitled-1')).toEqual(chainPipeline());
    expect(await service.recoverAutosave('other')).toBeNull();
    await service.autosave('untitled-1', null);
    expect(await service.recoverAutosave('untitled-1')).toBeNull();
  });

  it('recovers autosaved work with the file and the example it belongs to', async () => {
    const stateDir = tempDir();
    const service = makeService(stateDir);
    expect(await service.recoverWork('studio')).toBeNull();
    const file = join(tempDir(), 'mine.flow.json');
    await service.autosave('studio', chainPipeline(), { path: file });
    const back = await makeService(stateDir).recoverWork('studio');
    expect(back).toMatchObject({ pipeline: chainPipeline(), path: file });
    expect(back?.origin).toBeUndefined();
    expect(Number.isNaN(Date.parse(back!.savedAt))).toBe(false);
    // An unsaved copy of an example keeps the example's path as its origin.
    await service.autosave('studio', chainPipeline(), { origin: file });
    expect(await service.recoverWork('studio')).toMatchObject({ origin: file });
    expect((await service.recoverWork('studio'))?.path).toBeUndefined();
    // Without `where` (older callers) the slot still recovers, with no file.
    await service.autosave('studio', chainPipeline());
    expect(await service.recoverWork('studio')).toMatchObject({ pipeline: chainPipeline() });
    expect(await service.recoverAutosave('studio')).toEqual(chainPipeline());
  });

  it('lists templates with their name, description, tags, task, difficulty, stages, threshold, data files and a thumbnail, skipping broken ones', async () => {
    const templates = tempDir();
    const template = { task: 'binary classification', difficulty: 'beginner', stages: ['load', 'train'], threshold: { metric: 'evaluate.roc_auc', min: 0.8 } };
    const churn = chainPipeline();
    churn.nodes.push({ id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data.csv' } }, { id: 'gone', type: 'data.load_csv', version: 1, params: { path: 'missing.csv' } });
    writeFileSync(join(templates, 'b-churn.flow.json'), JSON.stringify({ ...churn, name: 'Churn', description: 'Predict churn.', tags: ['classification'], template, layout: { positions: { one: { x: 10, y: 20 } }, notes: [{ id: 'n', text: 'why', x: 0, y: 0 }], groups: [] } }));
    writeFileSync(join(templates, 'a-house.flow.json'), JSON.stringify({ ...chainPipeline(), name: 'House prices' }));
    writeFileSync(join(templates, 'broken.flow.json'), '{ not json');
    writeFileSync(join(templates, 'data.csv'), 'x\n1\n');
    const list = await makeService(tempDir(), templates).listTemplates();
    expect(list).toMatchObject([
      { id: 'a-house', name: 'House prices', description: '', path: join(templates, 'a-house.flow.json'), tags: [], task: '', stages: [], dataFiles: [] },
      { id: 'b-churn', name: 'Churn', description: 'Predict churn.', path: join(templates, 'b-churn.flow.json'), tags: ['classification'], ...template, dataFiles: ['data.csv'] },
    ]);
    expect(list[0].difficulty).toBeUndefined();
    // the gallery's thumbnail: every node at its canvas position (or in a row), the edges, the notes
    expect(list[1].preview.nodes.slice(0, 2)).toEqual([{ id: 'one', group: 'toy', x: 10, y: 20 }, { id: 'sum', group: 'toy', x: 280, y: 0 }]);
    expect(list[1].preview.edges).toEqual([['one', 'sum'], ['sum', 'rows']]);
    expect(list[1].preview.notes).toBe(1);
  });

  it('"Use this template" copies the template and its data into the chosen folder, never over a file, and the copy opens trusted', async () => {
    const templates = tempDir();
    mkdirSync(join(templates, 'data'));
    writeFileSync(join(templates, 'data', 'rows.csv'), 'x\n1\n');
    const pipeline = chainPipeline();
    pipeline.nodes.push({ id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data/rows.csv' } });
    writeFileSync(join(templates, 'churn.flow.json'), JSON.stringify({ ...pipeline, name: 'Churn' }));
    const service = makeService(tempDir(), templates);
    const dest = join(tempDir(), 'my project');
    const copy = await service.copyTemplate('churn', dest);
    expect(copy).toEqual({ path: join(dest, 'churn.flow.json'), files: ['churn.flow.json', 'data/rows.csv'] });
    expect(readFileSync(join(dest, 'data', 'rows.csv'), 'utf8')).toBe('x\n1\n');
    expect((await service.openPipeline(copy.path)).pipeline.name).toBe('Churn');
    expect((await service.recentFiles())[0].path).toBe(copy.path);
    // a second copy into the same folder names the file in the way and changes nothing
    writeFileSync(join(dest, 'data', 'rows.csv'), 'mine\n');
    await expect(service.copyTemplate('churn', dest)).rejects.toMatchObject({ code: 'INVALID_PARAM', file: join(dest, 'churn.flow.json') });
    expect(readFileSync(join(dest, 'data', 'rows.csv'), 'utf8')).toBe('mine\n');
    await expect(service.copyTemplate('nope', tempDir())).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    await expect(service.copyTemplate('churn', '/etc/flowline-copy')).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect(existsSync('/etc/flowline-copy')).toBe(false);
  });

  it('lists a folder, folders first, hidden files left out', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'zdata'));
    writeFileSync(join(dir, 'a.flow.json'), '{}');
    writeFileSync(join(dir, '.hidden'), '');
    const listing = await makeService().listDirectory(dir);
    expect(listing).toEqual({ path: dir, entries: [{ name: 'zdata', dir: true }, { name: 'a.flow.json', dir: false }] });
    await expect(makeService().listDirectory(join(dir, 'nope'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('says hello with the contract version and host kind', async () => {
    const hello = await makeService().hello();
    expect(hello).toMatchObject({ apiVersion: 1, host: 'web' });
    expect(hello.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('in a browser offers its in-app file browser, and refuses the native dialogs with a reason', async () => {
    const service = makeService();
    expect((await service.hello()).dialogs).toBe('in-app');
    await expect(service.chooseOpenPath()).rejects.toMatchObject({ message: expect.stringMatching(/no native file dialogs.*own file browser/) });
    await expect(service.chooseSavePath('a.flow.json')).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  });
});
