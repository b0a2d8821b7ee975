import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readColumns } from '../../core/data/tables.ts';
import type { TableRef } from '../../core/spec/index.ts';
import { expressionLabel } from '../../core/spec/expression.ts';
import { runPipeline } from '../support/run-pipeline.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/data');

function dir() {
  const d = mkdtempSync(join(tmpdir(), 'flowline-ops-'));
  for (const f of ['people.csv', 'orders.csv']) copyFileSync(join(FIXTURES, f), join(d, f));
  return d;
}

type Node = { id: string; type: string; params?: Record<string, unknown> };

/** people.csv → (optional orders.csv) → the given chain of nodes, each fed by the previous one. */
async function chain(nodes: Node[], extra: { nodes?: Node[]; edges?: { from: string; to: string }[] } = {}) {
  const all = [{ id: 'people', type: 'data.load_csv', params: { path: 'people.csv' } }, ...nodes, ...(extra.nodes ?? [])];
  const edges = nodes.map((n, i) => ({ from: `${i === 0 ? 'people' : nodes[i - 1].id}.table`, to: `${n.id}.table` }));
  return runPipeline({ nodes: all.map((n) => ({ version: 1, params: {}, ...n })), edges: [...edges, ...(extra.edges ?? [])] }, { dir: dir() });
}

const col = async (t: TableRef, name: string) => (await readColumns(t, [name])).columns[name];
const ids = async (t: TableRef) => Array.from((await readColumns(t, [])).rowIds);

describe('table operation nodes, headless', () => {
  it('data.filter_rows keeps matching rows with their row ids', async () => {
    const r = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: "city = 'Paris' AND age > 30" } }]);
    const t = r.output<TableRef>('f', 'table');
    expect(await col(t, 'name')).toEqual(['Ana', 'Fay']);
    expect(await ids(t)).toEqual([0, 5]);
  });

  it('data.filter_rows names an unknown column, and refuses a non-condition or broken syntax', async () => {
    const unknown = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: 'agee > 3' } }]);
    expect(unknown.node('f').error).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'agee', nodeId: 'f' });
    expect(unknown.node('f').error?.message).toBe('Filter "agee > 3": there is no column \'agee\'.');
    const notBool = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: 'age + 1' } }]);
    expect(notBool.node('f').error).toMatchObject({ code: 'EXPRESSION_ERROR' });
    expect(notBool.node('f').error?.message).toMatch(/must be a true\/false condition/);
    const syntax = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: 'age >> AND' } }]);
    expect(syntax.node('f').error?.code).toBe('EXPRESSION_ERROR');
    expect(syntax.node('f').error?.message).toMatch(/^Filter "age >> AND": unexpected '>' at position 6/);
  });

  it('data.filter_rows keeps SQL out of a condition: a query, a file read or a setting is a syntax error, and nothing is read', async () => {
    const d = dir();
    writeFileSync(join(d, 'secret.csv'), 'token\nhunter2\n');
    for (const condition of [
      `EXISTS (FROM '${join(d, 'secret.csv')}' WHERE token = 'hunter2')`,
      "EXISTS (FROM read_text('/etc/hostname'))",
      "(SELECT count(*) FROM read_text('/etc/hostname')) > 0",
      "current_setting('temp_directory') <> ''",
      "age > 1; COPY (SELECT 1) TO 'x.csv'",
    ]) {
      const r = await runPipeline(
        { nodes: [{ id: 'people', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } }, { id: 'f', type: 'data.filter_rows', version: 1, params: { condition } }], edges: [{ from: 'people.table', to: 'f.table' }] },
        { dir: d },
      );
      expect(r.node('f').status, condition).toBe('error');
      expect(r.node('f').error?.code, condition).toBe('EXPRESSION_ERROR');
      // The condition as errors name it (shortened past 80 characters: the temp folder's path varies in length).
      expect(r.node('f').error?.message.startsWith(`${expressionLabel('Filter', condition)}: `), condition).toBe(true);
    }
    expect(existsSync(join(d, 'x.csv'))).toBe(false);
  });

  it('data.filter_rows explains a bad condition with the expression and the column, never with generated SQL', async () => {
    const r = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: 'city > 3' } }]);
    const error = r.node('f').error!;
    expect(error).toMatchObject({ code: 'EXPRESSION_ERROR', column: 'city', nodeId: 'f' });
    expect(error.message).toBe("Filter \"city > 3\": '>' compares column 'city' (text) with a number; compare values of the same kind.");
    expect(`${error.message} ${error.hint ?? ''}`).not.toMatch(/CAST|read_parquet|\$1|DOUBLE|Binder|Conversion/);
    const quoted = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: '"city" = \'Paris\'' } }]);
    expect(quoted.node('f').error).toMatchObject({ code: 'EXPRESSION_ERROR', column: 'city' });
    expect(quoted.node('f').error?.hint).toMatch(/backticks: `city`/);
  });

  it('data.filter_rows binds text as a value: a quote inside it is only text', async () => {
    const r = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: `name = "O'Brien" or name = 'Ana'` } }]);
    expect(await col(r.output<TableRef>('f', 'table'), 'name')).toEqual(['Ana']);
  });

  it('data.filter_rows reads missing values, dates, lists and true/false columns as the expression language means them', async () => {
    const pick = async (condition: string) => {
      const r = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition } }]);
      return col(r.output<TableRef>('f', 'table'), 'name');
    };
    expect(await pick('age is null or income is null')).toEqual(['Ben', 'Chloé']);
    expect(await pick('age is not null and not (city in (\'Paris\', \'Nice\'))')).toEqual(['Eve', 'Hal']);
    // Three-valued logic: a known true decides "or" even when the other side is missing.
    expect(await pick("age > 60 or city = 'Lyon'")).toEqual(['Ben', 'Eve', 'Hal']);
    expect(await pick("joined >= '2021-01-01' and member")).toEqual(['Ana', 'Chloé', 'Eve']);
    expect(await pick('round(income / 1000) == 52 or if(member, age, 0) > 41')).toEqual(['Ana', 'Eve', 'Hal']);
    // (-age) ^ 0.5 is not a number: missing, so no row passes (DuckDB alone would say NaN > 1).
    expect(await pick('(-age) ^ 0.5 > 1 or (age - age) / 0 > 1')).toEqual([]);
    const badDate = await chain([{ id: 'f', type: 'data.filter_rows', params: { condition: "joined > '2021/01/01'" } }]);
    expect(badDate.node('f').error?.message).toMatch(/'2021\/01\/01' is not a date/);
  });

  it('data.select_columns keeps (in the given order) or drops', async () => {
    const r = await chain([{ id: 'k', type: 'data.select_columns', params: { mode: 'keep', columns: ['city', 'id'] } }]);
    expect(r.output<TableRef>('k', 'table').columns.map((c) => c.name)).toEqual(['city', 'id']);
    const d = await chain([{ id: 'd', type: 'data.select_columns', params: { mode: 'drop', columns: ['name', 'joined', 'member'] } }]);
    expect(d.output<TableRef>('d', 'table').columns.map((c) => c.name)).toEqual(['id', 'age', 'income', 'city']);
    const bad = await chain([{ id: 'k', type: 'data.select_columns', params: { mode: 'keep', columns: ['nope'] } }]);
    expect(bad.node('k').error).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'nope' });
  });

  it('data.rename_columns renames; after a feature step it refuses a column the step uses, and renames the recipe base otherwise', async () => {
    const plain = await chain([{ id: 'rn', type: 'data.rename_columns', params: { names: { income: 'salary' } } }]);
    expect(plain.output<TableRef>('rn', 'table').columns.map((c) => c.name)).toContain('salary');
    const imputeThenRename = (names: Record<string, string>) =>
      chain([
        { id: 'imp', type: 'prep.impute', params: { columns: ['age'], strategy: 'mean' } },
        { id: 'rn', type: 'data.rename_columns', params: { names } },
      ]);
    const refused = await imputeThenRename({ age: 'years' });
    expect(refused.node('rn').error?.message).toMatch(/Column "age" is made by the feature step of node "imp"/);
    const ok = await imputeThenRename({ city: 'town' });
    const t = ok.output<TableRef>('rn', 'table');
    expect(t.recipe.steps).toEqual(ok.output<TableRef>('imp', 'table').recipe.steps);
    expect(t.recipe.base!.columns.map((c) => c.name)).toContain('town');
    expect(await col({ ...t, path: t.recipe.base!.path }, 'town')).toEqual(['Paris', 'Lyon', 'Paris', 'Nice', 'Lyon', 'Paris', 'Nice', 'Lyon']);
  });

  it('data.remove_duplicates keeps the first row per key', async () => {
    const r = await chain([{ id: 'dd', type: 'data.remove_duplicates', params: { columns: ['city'] } }]);
    const t = r.output<TableRef>('dd', 'table');
    expect(await col(t, 'name')).toEqual(['Ana', 'Ben', 'Dan']);
    expect(await ids(t)).toEqual([0, 1, 3]);
    const last = await chain([{ id: 'dd', type: 'data.remove_duplicates', params: { columns: ['city'], keep: 'last' } }]);
    expect(await col(last.output<TableRef>('dd', 'table'), 'name')).toEqual(['Fay', 'Gus', 'Hal']);
  });

  it('data.join: left rows keep their row ids and recipe; a full join numbers the right-only rows after them', async () => {
    const joined = (how: string) =>
      chain([{ id: 'imp', type: 'prep.impute', params: { columns: ['age'], strategy: 'mean' } }], {
        nodes: [
          { id: 'orders', type: 'data.load_csv', params: { path: 'orders.csv' } },
          { id: 'j', type: 'data.join', params: { how, left_keys: ['id'], right_keys: ['customer_id'] } },
        ],
        edges: [
          { from: 'imp.table', to: 'j.left' },
          { from: 'orders.table', to: 'j.right' },
        ],
      });
    const left = await joined('left');
    const t = left.output<TableRef>('j', 'table');
    expect(t.rowCount).toBe(9);
    expect(await ids(t)).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from((await col(t, 'amount')) as Float64Array)).toEqual([19.99, 42.5, 5, NaN, 13, NaN, NaN, NaN, NaN]);
    expect(t.recipe.steps).toHaveLength(1);
    expect(t.recipe.base!.columns.map((c) => c.name)).toContain('amount');
    const full = await chain([], {
      nodes: [
        { id: 'orders', type: 'data.load_csv', params: { path: 'orders.csv' } },
        { id: 'j', type: 'data.join', params: { how: 'full', left_keys: ['id'], right_keys: ['customer_id'] } },
      ],
      edges: [
        { from: 'people.table', to: 'j.left' },
        { from: 'orders.table', to: 'j.right' },
      ],
    });
    const f = full.output<TableRef>('j', 'table');
    expect(await ids(f)).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await col(f, 'note'))[9]).toBe('unknown customer');
    const rightAfterSteps = await joined('right');
    expect(rightAfterSteps.node('j').error?.message).toMatch(/A right join adds rows the left table's feature steps never saw/);
  });

  it('data.union stacks by column name with new row ids and a new recipe', async () => {
    const r = await chain([], {
      nodes: [
        { id: 'a', type: 'data.select_columns', params: { columns: ['id', 'city'] } },
        { id: 'b', type: 'data.select_columns', params: { columns: ['city', 'name'] } },
        { id: 'u', type: 'data.union' },
      ],
      edges: [
        { from: 'people.table', to: 'a.table' },
        { from: 'people.table', to: 'b.table' },
        { from: 'a.table', to: 'u.tables' },
        { from: 'b.table', to: 'u.tables' },
      ],
    });
    const t = r.output<TableRef>('u', 'table');
    expect(t.rowCount).toBe(16);
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'city', 'name']);
    expect(await ids(t)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect((await col(t, 'name')).slice(7, 9)).toEqual([null, 'Ana']);
  });

  it('data.sql joins two inputs by name and starts new row ids', async () => {
    const r = await chain([], {
      nodes: [
        { id: 'orders', type: 'data.load_csv', params: { path: 'orders.csv' } },
        { id: 'q', type: 'data.sql', params: { query: 'SELECT p.name, sum(o.amount) AS total FROM input1 p JOIN input2 o ON o.customer_id = p.id GROUP BY p.name ORDER BY total DESC' } },
      ],
      edges: [
        { from: 'people.table', to: 'q.tables' },
        { from: 'orders.table', to: 'q.tables' },
      ],
    });
    const t = r.output<TableRef>('q', 'table');
    expect(await col(t, 'name')).toEqual(['Ana', 'Dan', 'Ben']);
    const total = (await col(t, 'total')) as Float64Array;
    [62.49, 13, 5].forEach((v, i) => expect(total[i]).toBeCloseTo(v, 9));
    expect(await ids(t)).toEqual([0, 1, 2]);
    expect(t.recipe).toEqual({ base: null, steps: [] });
  });

  it('data.sql also names each input after its upstream node', async () => {
    const r = await chain([], {
      nodes: [
        { id: 'orders', type: 'data.load_csv', params: { path: 'orders.csv' } },
        { id: 'q', type: 'data.sql', params: { query: 'SELECT p.name, count(*) AS n FROM people p JOIN orders o ON o.customer_id = p.id GROUP BY p.name ORDER BY n DESC, p.name' } },
      ],
      edges: [
        { from: 'people.table', to: 'q.tables' },
        { from: 'orders.table', to: 'q.tables' },
      ],
    });
    const t = r.output<TableRef>('q', 'table');
    expect(r.node('q').error).toBeUndefined();
    expect(await col(t, 'name')).toEqual(['Ana', 'Ben', 'Dan']);
    expect(Array.from(await col(t, 'n'), Number)).toEqual([2, 1, 1]);
    // The query names "orders": after renaming that node, a rerun in the same folder must not serve
    // the old result from the cache (a node's id is part of its cache key, so its dependants' keys change).
    const d = dir();
    const pipeline = (source: string) => ({
      nodes: [
        { id: source, type: 'data.load_csv', version: 1, params: { path: 'orders.csv' } },
        { id: 'q', type: 'data.sql', version: 1, params: { query: 'SELECT count(*) AS n FROM orders' } },
      ],
      edges: [{ from: `${source}.table`, to: 'q.tables' }],
    });
    expect((await runPipeline(pipeline('orders'), { dir: d })).node('q').status).toBe('done');
    expect((await runPipeline(pipeline('orders'), { dir: d })).node('q').status).toBe('cached');
    const renamed = await runPipeline(pipeline('sales'), { dir: d });
    expect(renamed.node('q').error?.message).toMatch(/orders/);
  });

  it('data.sql reports a bad query as SQL_ERROR and refuses commands', async () => {
    const run = (query: string) =>
      chain([], { nodes: [{ id: 'q', type: 'data.sql', params: { query } }], edges: [{ from: 'people.table', to: 'q.tables' }] });
    expect((await run('SELECT nope FROM input1')).node('q').error).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'nope' });
    expect((await run('SELEC * FROM input1')).node('q').error?.code).toBe('SQL_ERROR');
    expect((await run("COPY input1 TO '/tmp/x.csv'")).node('q').error?.message).toMatch(/not a command/);
    expect((await run('SELECT 1; SELECT 2')).node('q').error?.message).toMatch(/2 statements/);
  });

  it('data.sample and data.split are seeded by the pipeline and keep the recipe', async () => {
    const r = await chain([
      { id: 'imp', type: 'prep.impute', params: { columns: ['age'], strategy: 'mean' } },
      { id: 's', type: 'data.sample', params: { size: 'rows', rows: 6 } },
    ], {
      nodes: [{ id: 'split', type: 'data.split', params: { test_fraction: 0.25, validation_fraction: 0.25 } }],
      edges: [{ from: 's.table', to: 'split.table' }],
    });
    const s = r.output<TableRef>('s', 'table');
    expect(s.rowCount).toBe(6);
    expect(s.recipe.steps).toHaveLength(1);
    const parts = ['train', 'validation', 'test'].map((p) => r.output<TableRef>('split', p));
    expect(parts.map((p) => p.rowCount)).toEqual([2, 2, 2]);
    const all = (await Promise.all(parts.map(ids))).flat().sort((a, b) => a - b);
    expect(all).toEqual(await ids(s));
    expect(parts[0].recipe).toEqual(s.recipe);
  });
});
