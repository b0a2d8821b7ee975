import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { readColumns, relation, withConnection, writeColumns, writeTable, columnType } from '../../../core/data/tables.ts';
import { fakeContext } from '../../support/fake-context.ts';

const SMALL = `SELECT * FROM (VALUES (1, 'a', 2.5, DATE '2020-01-02', true), (NULL, NULL, NULL, NULL, NULL), (3, 'a much longer text value', 4.5, DATE '1970-01-01', false)) v(i, s, d, dt, b)`;

async function rows(path: string, orderBy = '__row'): Promise<Record<string, unknown>[]> {
  return withConnection(async (con) => (await con.runAndReadAll(`SELECT * FROM ${relation({ path })} ORDER BY ${orderBy}`)).getRowObjectsJS());
}

describe('writeTable', () => {
  it('assigns row ids 0..n-1 in order, hides __row from columns, starts an empty recipe', async () => {
    const ctx = fakeContext();
    const t = await writeTable(ctx, SMALL, { newRowIds: true });
    expect(t.rowCount).toBe(3);
    expect(t.columns.map((c) => c.name)).toEqual(['i', 's', 'd', 'dt', 'b']);
    expect(t.columns.map((c) => c.type)).toEqual(['integer', 'string', 'number', 'date', 'boolean']);
    expect(t.recipe).toEqual({ base: null, steps: [] });
    const r = await rows(t.path);
    expect(r.map((x) => Number(x.__row))).toEqual([0, 1, 2]);
    expect(r.map((x) => x.i)).toEqual([1, null, 3]);
    expect(readdirSync(ctx.outDir)).toEqual(['table.in-order.parquet']);
  });

  it('refuses a row-preserving SELECT that drops __row, and leaves no file behind', async () => {
    const ctx = fakeContext();
    await expect(writeTable(ctx, SMALL)).rejects.toThrow(/__row/);
    expect(existsSync(`${ctx.outDir}/table.parquet`)).toBe(false);
  });

  // The query would take minutes. The cancel lands before it starts, between its statements or
  // while it runs, depending on scheduling: each must stop it (a test that timed out failed).
  for (const [when, cancel] of [
    ['before the call', (c: AbortController) => c.abort()],
    ['right after the call', (c: AbortController) => queueMicrotask(() => c.abort())],
    ['a little later', (c: AbortController) => setTimeout(() => c.abort(), 200)],
  ] as const) {
    it(`cancelling the run (${when}) stops a long query and leaves no file`, async () => {
      const controller = new AbortController();
      const ctx = fakeContext({ signal: controller.signal });
      if (when === 'before the call') cancel(controller);
      const pending = writeTable(ctx, 'SELECT sum(a.range * b.range) AS s FROM range(100000) a, range(100000) b', { newRowIds: true });
      if (when !== 'before the call') cancel(controller);
      await expect(pending).rejects.toThrow(/interrupt|cancelled/i);
      expect(readdirSync(ctx.outDir)).toEqual([]);
    });
  }

  it('a failing query leaves no partial file', async () => {
    const ctx = fakeContext();
    await expect(writeTable(ctx, `SELECT CAST('x' AS INTEGER) AS a FROM range(10)`, { newRowIds: true, port: 'out' })).rejects.toThrow();
    expect(readdirSync(ctx.outDir)).toEqual([]);
  });
});

describe('readColumns', () => {
  it('numbers, booleans and dates become Float64Array with NaN for missing; text stays text', async () => {
    const t = await writeTable(fakeContext(), SMALL, { newRowIds: true });
    const r = await readColumns(t, ['i', 's', 'd', 'dt', 'b']);
    expect(Array.from(r.rowIds)).toEqual([0, 1, 2]);
    expect(Array.from(r.columns.i as Float64Array)).toEqual([1, NaN, 3]);
    expect(r.columns.s).toEqual(['a', null, 'a much longer text value']);
    expect(Array.from(r.columns.d as Float64Array)).toEqual([2.5, NaN, 4.5]);
    expect(Array.from(r.columns.dt as Float64Array)).toEqual([Date.UTC(2020, 0, 2), NaN, 0]);
    expect(Array.from(r.columns.b as Float64Array)).toEqual([1, NaN, 0]);
  });

  it('returns rows in __row order even when the file is not, and can pick rows by id', async () => {
    const t = await writeTable(fakeContext(), `SELECT i AS a, 'v' || i AS s FROM range(5000) t(i)`, { newRowIds: true });
    const shuffled = await writeTable(fakeContext(), `SELECT * FROM ${relation(t)} ORDER BY hash(a)`, { recipe: t.recipe });
    const r = await readColumns(shuffled, ['a', 's']);
    expect(Array.from(r.rowIds.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(Array.from((r.columns.a as Float64Array).subarray(4995))).toEqual([4995, 4996, 4997, 4998, 4999]);
    expect((r.columns.s as string[])[4321]).toBe('v4321');
    const some = await readColumns(shuffled, ['a'], { rowIds: new Int32Array([4000, 7, 12]) });
    expect(Array.from(some.rowIds)).toEqual([7, 12, 4000]);
    expect(Array.from(some.columns.a as Float64Array)).toEqual([7, 12, 4000]);
  });

  it('castNumeric parses text and gives NaN where it cannot', async () => {
    const t = await writeTable(fakeContext(), `SELECT * FROM (VALUES ('1.5'), ('x'), (NULL)) v(s)`, { newRowIds: true });
    const r = await readColumns(t, ['s'], { castNumeric: true });
    expect(Array.from(r.columns.s as Float64Array)).toEqual([1.5, NaN, NaN]);
  });

  it('an unknown column is COLUMN_NOT_FOUND naming it', async () => {
    const t = await writeTable(fakeContext(), SMALL, { newRowIds: true });
    await expect(readColumns(t, ['nope'])).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'nope' });
  });
});

describe('writeColumns', () => {
  it('replaces same-named columns in place, appends new ones, keeps __row and the recipe, aligned with readColumns order', async () => {
    const t = await writeTable(fakeContext(), `SELECT i AS a, i * 2 AS b FROM range(3000) t(i)`, { newRowIds: true });
    const shuffled = await writeTable(fakeContext(), `SELECT * FROM ${relation(t)} ORDER BY hash(a)`, { recipe: { base: null, steps: [] } });
    const { columns } = await readColumns(shuffled, ['a']);
    const a = columns.a as Float64Array;
    const sq = a.map((v) => (v === 5 ? NaN : v * v));
    const label = Array.from(a, (v) => (v % 2 ? 'odd' : v === 4 ? null : 'even'));
    const out = await writeColumns(fakeContext(), shuffled, { a: sq, label }, { port: 'prepped' });
    expect(out.path.endsWith('prepped.parquet')).toBe(true);
    expect(out.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['a:number', 'b:integer', 'label:string']);
    expect(out.rowCount).toBe(3000);
    const back = await rows(out.path);
    expect(back[3]).toEqual({ __row: 3n, a: 9, b: 6n, label: 'odd' });
    expect(back[4]).toEqual({ __row: 4n, a: 16, b: 8n, label: null });
    expect(back[5].a).toBeNull();
    expect(back[2999]).toEqual({ __row: 2999n, a: 2999 * 2999, b: 5998n, label: 'odd' });
  });

  it('refuses a column of the wrong length', async () => {
    const t = await writeTable(fakeContext(), `SELECT 1 AS a`, { newRowIds: true });
    await expect(writeColumns(fakeContext(), t, { z: new Float64Array(2) })).rejects.toThrow(/2 values but the table has 1 rows/);
  });
});

describe('columnType', () => {
  it('maps DuckDB types to our coarse types', () => {
    expect(['DOUBLE', 'DECIMAL(10,2)', 'BIGINT', 'UTINYINT', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP WITH TIME ZONE', 'INTEGER[]'].map(columnType)).toEqual([
      'number', 'number', 'integer', 'integer', 'boolean', 'string', 'date', 'timestamp', 'other',
    ]);
  });
});
