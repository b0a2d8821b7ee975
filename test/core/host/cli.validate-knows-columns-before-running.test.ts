import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

const PENGUINS = new URL('../../../templates/data/penguins.csv', import.meta.url).pathname;

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out };
};

type Node = { id: string; type: string; version: number; params: Record<string, unknown> };

/** penguins.csv beside a pipeline: Load CSV → (between…) → Train, nothing run. */
function pipelineFile(train: Record<string, unknown>, between: Node[] = [], withData = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-known-'));
  if (withData) copyFileSync(PENGUINS, join(dir, 'penguins.csv'));
  const nodes: Node[] = [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'penguins.csv' } },
    ...between,
    { id: 'train', type: 'ml.train', version: 3, params: { learner: 'random_forest', ...train } },
  ];
  const port = (n: Node) => (n.type === 'data.split' ? 'train' : 'table');
  const edges = nodes.slice(1).map((n, i) => ({ from: `${nodes[i].id}.${port(nodes[i])}`, to: `${n.id}.table` }));
  const path = join(dir, 'p.flow.json');
  writeFileSync(path, JSON.stringify({ format: 'flowline.pipeline', version: 2, name: 't', nodes, edges }));
  return path;
}

const json = async (path: string) => {
  const r = await cli('validate', path, '--json');
  return { code: r.code, ...(JSON.parse(r.stdout) as { valid: boolean; diagnostics: Record<string, unknown>[] }) };
};

describe('flowline validate knows the source file\'s columns before anything runs', () => {
  it('a misspelt target exits 2 naming node, field and column, with "did you mean"', async () => {
    const path = pipelineFile({ target: 'specis' });
    const r = await cli('validate', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('node "train"');
    expect(r.stderr).toContain('column "specis"');
    expect(r.stderr).toContain('Did you mean "species"?');
    expect((await json(path)).diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'train', path: ['target'], column: 'specis' }]);
  });

  it('a misspelt feature column exits 2 naming its place in the list, even past feature steps', async () => {
    const scale = { id: 'scale', type: 'prep.scale', version: 1, params: { columns: { type: 'numeric' } } };
    const r = await json(pipelineFile({ target: 'species', features: ['island', 'body_mas_g'] }, [scale]));
    expect(r.code).toBe(2);
    expect(r.diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'train', path: ['features', 1], column: 'body_mas_g' }]);
    expect(r.diagnostics[0].hint).toContain('Did you mean "body_mass_g"?');
  });

  it('task binary on the three-class species column exits 2, also past a stratified split; after a filter it may be two classes', async () => {
    const direct = await json(pipelineFile({ target: 'species', task: 'binary' }));
    expect(direct.code).toBe(2);
    expect(direct.diagnostics).toMatchObject([{ code: 'BAD_TARGET', nodeId: 'train', path: ['task'], column: 'species' }]);
    expect(direct.diagnostics[0].message).toContain('has 3 classes');

    const split = { id: 'split', type: 'data.split', version: 2, params: { method: 'stratified', column: 'species' } };
    expect((await json(pipelineFile({ target: 'species', task: 'binary' }, [split]))).diagnostics).toMatchObject([{ code: 'BAD_TARGET', nodeId: 'train' }]);

    const filter = { id: 'two', type: 'data.filter_rows', version: 1, params: { condition: "species <> 'Gentoo'" } };
    expect(await json(pipelineFile({ target: 'species', task: 'binary' }, [filter]))).toMatchObject({ code: 0, valid: true });
  });

  it('task regression on a text target exits 2', async () => {
    expect((await json(pipelineFile({ target: 'island', task: 'regression' }))).diagnostics).toMatchObject([{ code: 'COLUMN_TYPE', nodeId: 'train', path: ['task'], column: 'island' }]);
  });

  it('columns a run will name (one-hot) are not flagged; a name they cannot have is', async () => {
    const encode = { id: 'encode', type: 'prep.encode', version: 2, params: { columns: ['island', 'sex'], method: 'onehot' } };
    expect(await json(pipelineFile({ target: 'species', features: ['island_Dream', 'sex_MALE', 'beak_length_mm'] }, [encode]))).toMatchObject({ code: 0, valid: true });
    const r = await json(pipelineFile({ target: 'species', features: ['island', 'beak_length_mm'] }, [encode]));
    expect(r.diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', path: ['features', 0], column: 'island' }]);
  });

  it('a column a filter or formula expression reads is checked too', async () => {
    const filter = { id: 'adults', type: 'data.filter_rows', version: 1, params: { condition: 'body_mas_g > 3000' } };
    const r = await json(pipelineFile({ target: 'species' }, [filter]));
    // Every feature is used here, sex among them: its protected-attribute warning is not the point.
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'adults', path: ['condition'], column: 'body_mas_g' }]);
    expect(String(errors[0].hint)).toContain('Did you mean "body_mass_g"?');
    const ratio = { id: 'ratio', type: 'prep.formula', version: 1, params: { output: 'ratio', expression: 'beak_length_mm / beak_dept_mm' } };
    expect((await json(pipelineFile({ target: 'species', features: ['ratio'] }, [ratio]))).diagnostics).toMatchObject([{ code: 'COLUMN_NOT_FOUND', nodeId: 'ratio', path: ['expression'], column: 'beak_dept_mm' }]);
    // the formula's own output is a column downstream
    const fine = { ...ratio, params: { output: 'ratio', expression: 'beak_length_mm / beak_depth_mm' } };
    expect(await json(pipelineFile({ target: 'species', features: ['ratio'] }, [fine]))).toMatchObject({ code: 0, valid: true });
  });

  it('a correct pipeline is valid; without its data file nothing is known and nothing is flagged', async () => {
    expect(await json(pipelineFile({ target: 'species', task: 'multiclass' }))).toMatchObject({ code: 0, valid: true });
    expect(await json(pipelineFile({ target: 'specis' }, [], false))).toMatchObject({ code: 0, valid: true });
  });
});
