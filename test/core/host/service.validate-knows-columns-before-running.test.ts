/** The studio's validation (validatePipeline): columns and column errors before any run; source headers cached by the file. */
import { copyFileSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { knownSources } from '../../../core/host/known-sources.ts';
import { createService } from '../../../core/host/service.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { CURRENT_VERSION, type Pipeline } from '../../../core/schema/index.ts';
import { defineNode, param } from '../../../core/spec/index.ts';
import { NODES } from '../../../nodes/index.ts';
import { tempDir } from './host-fixtures.ts';

const PENGUINS = new URL('../../../templates/data/penguins.csv', import.meta.url).pathname;
const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir: tempDir(), templatesDir: tempDir(), host: 'web' });
afterAll(() => service.dispose());

function penguins(dataPath: string, target: string): Pipeline {
  return {
    format: 'flowline.pipeline',
    version: CURRENT_VERSION,
    name: 'p',
    seed: 42,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: dataPath } },
      { id: 'encode', type: 'prep.encode', version: 2, params: { columns: ['island'], method: 'onehot' } },
      { id: 'train', type: 'ml.train', version: 3, params: { target } },
    ],
    edges: [
      { from: 'load.table', to: 'encode.table' },
      { from: 'encode.table', to: 'train.table' },
    ],
    layout: { positions: {}, notes: [], groups: [] },
  } as Pipeline;
}

describe('the studio knows columns before running', () => {
  it('a never-run pipeline gets its source columns and what follows from them, and a misspelt target with "did you mean"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-studio-known-'));
    copyFileSync(PENGUINS, join(dir, 'penguins.csv'));
    const path = join(dir, 'p.flow.json');
    const ok = await service.validatePipeline(penguins('penguins.csv', 'species'), path);
    // The penguins' sex column is a feature: the fairness warning (docs/lifecycle.md), nothing else.
    expect(ok.diagnostics.map((d) => `${d.severity}:${d.code}:${d.column}`)).toEqual(['warning:PROTECTED_ATTRIBUTE:sex']);
    expect(ok.schemas.load.table.map((c) => [c.name, c.type])).toEqual([
      ['species', 'string'], ['island', 'string'], ['beak_length_mm', 'number'], ['beak_depth_mm', 'number'], ['flipper_length_mm', 'integer'], ['body_mass_g', 'integer'], ['sex', 'string'],
    ]);
    // one-hot's new columns are known after a run; the rest is known now
    expect(ok.schemas.encode.table.map((c) => c.name)).toEqual(['species', 'beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex']);

    const bad = await service.validatePipeline(penguins('penguins.csv', 'Species'), path);
    expect(bad.diagnostics).toMatchObject([{ severity: 'error', code: 'COLUMN_NOT_FOUND', nodeId: 'train', path: ['target'], column: 'Species' }]);
    // under the field in the inspector, which shows the message
    expect(bad.diagnostics[0].message).toContain('Did you mean "species"?');
  });

  it("does not read a file outside the pipeline's folder that the pipeline is not trusted to read", async () => {
    const outside = mkdtempSync(join(tmpdir(), 'flowline-outside-'));
    copyFileSync(PENGUINS, join(outside, 'penguins.csv'));
    const path = join(mkdtempSync(join(tmpdir(), 'flowline-studio-known-')), 'p.flow.json');
    const r = await service.validatePipeline(penguins(join(outside, 'penguins.csv'), 'specis'), path);
    expect(r.diagnostics).toEqual([]);
    expect(r.schemas.load).toBeUndefined();
  });
});

describe('source columns are cached by the file', () => {
  let describes = 0;
  const counted = defineNode({
    type: 'knowntest.source',
    version: 1,
    title: 'Counted source',
    category: 'Sources',
    description: 'A source whose header reads are counted.',
    inputs: {},
    outputs: { table: { type: 'table', label: 'Table' } },
    params: z.object({ path: param.file('The file') }),
    exportable: false,
    reads: (p) => [p.path],
    describe: async () => {
      describes++;
      return { columns: [{ name: 'a', type: 'integer', dbType: 'BIGINT' }] };
    },
    run: () => Promise.reject(new Error('not run here')),
  });
  const pipeline = { format: 'flowline.pipeline', version: CURRENT_VERSION, name: 'c', seed: 1, nodes: [{ id: 's', type: 'knowntest.source', version: 1, params: { path: 'data.txt' } }], edges: [] } as unknown as Pipeline;

  it('reads an unchanged file once, again after it changes, and never a file that is missing or not a regular file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-known-cache-'));
    const file = join(dir, 'data.txt');
    writeFileSync(file, 'a\n1\n');
    const where = { path: join(dir, 'p.flow.json'), cwd: dir };
    expect(await knownSources(pipeline, [counted], where)).toEqual({ s: { columns: [{ name: 'a', type: 'integer', dbType: 'BIGINT' }] } });
    await knownSources(pipeline, [counted], where);
    expect(describes).toBe(1);
    writeFileSync(file, 'a\n1\n2\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    await knownSources(pipeline, [counted], where);
    expect(describes).toBe(2);

    expect(await knownSources(pipeline, [counted], { ...where, path: join(dir, 'nowhere', 'p.flow.json') })).toEqual({});
    const devZero = { ...pipeline, nodes: [{ ...pipeline.nodes[0], params: { path: '/dev/zero' } }] } as Pipeline;
    expect(await knownSources(devZero, [counted], where)).toEqual({});
    expect(describes).toBe(2);
  });
});

describe('opening an older file', () => {
  it('shows each old node with the values it runs with: a Train node from before automatic preparation opens with it off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-open-old-'));
    const path = join(dir, 'old.flow.json');
    const nodes = [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'penguins.csv' } },
      { id: 'old', type: 'ml.train', version: 2, params: { target: 'species' } },
      { id: 'new', type: 'ml.train', version: 3, params: { target: 'species' } },
    ];
    const text = JSON.stringify({ format: 'flowline.pipeline', version: 2, name: 'old', nodes, edges: [{ from: 'load.table', to: 'old.table' }, { from: 'load.table', to: 'new.table' }] });
    writeFileSync(path, text);
    const opened = await service.openPipeline(path);
    expect(opened.text).toBe(text);
    const node = (id: string) => opened.pipeline.nodes.find((n) => n.id === id)!;
    expect(node('old')).toMatchObject({ version: 3, params: { target: 'species', auto_prep: false } });
    expect(node('new')).toMatchObject({ version: 3, params: { target: 'species' } });
    expect(node('new').params.auto_prep).toBeUndefined();
  });
});
