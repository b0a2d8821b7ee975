import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadExcel } from '../../../core/data/excel.ts';
import { columnsFromPg, loadPostgres, pgConfig } from '../../../core/data/postgres.ts';
import { loadJson, loadParquet } from '../../../core/data/readers.ts';
import { readColumns, withConnection } from '../../../core/data/tables.ts';
import { fakeContext } from '../../support/fake-context.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/data');

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-readers-'));
  return { dir, ctx: fakeContext({ pipelineDir: dir, nodeId: 'load' }) };
}

describe('loadParquet', () => {
  it('reads a Parquet file with its types and gives new row ids', async () => {
    const { dir, ctx } = folder();
    await withConnection((con) => con.run(`COPY (SELECT i AS a, 'x' || i AS b, i * 0.5 AS c FROM range(5) t(i)) TO '${join(dir, 'd.parquet')}' (FORMAT parquet)`));
    const t = await loadParquet(ctx, 'd.parquet');
    expect(t.rowCount).toBe(5);
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['a:integer', 'b:string', 'c:number']);
    expect(Array.from((await readColumns(t, ['c'])).columns.c as Float64Array)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('an unreadable Parquet file is named, with what to check', async () => {
    const { dir, ctx } = folder();
    writeFileSync(join(dir, 'bad.parquet'), 'id,name\n1,a\n');
    const e = await loadParquet(ctx, 'bad.parquet').catch((x) => x);
    expect(e).toMatchObject({ code: 'BAD_DATA', file: 'bad.parquet', nodeId: 'load' });
    expect(e.message).toMatch(/^"bad.parquet" is not a readable Parquet file/);
  });

  it('missing and empty files', async () => {
    const { dir, ctx } = folder();
    expect(await loadParquet(ctx, 'none.parquet').catch((x) => x)).toMatchObject({ code: 'FILE_NOT_FOUND', file: 'none.parquet' });
    writeFileSync(join(dir, 'zero.parquet'), '');
    expect(await loadParquet(ctx, 'zero.parquet').catch((x) => x)).toMatchObject({ code: 'FILE_EMPTY' });
  });
});

describe('loadJson', () => {
  it('reads NDJSON and JSON arrays', async () => {
    const ctx = fakeContext({ pipelineDir: FIXTURES });
    const lines = await loadJson(ctx, 'records.ndjson');
    expect(lines.rowCount).toBe(3);
    expect(Array.from((await readColumns(lines, ['score'])).columns.score as Float64Array)).toEqual([0.5, 1.5, NaN]);
    const arr = await loadJson(fakeContext({ pipelineDir: FIXTURES }), 'records.json', 'array');
    expect((await readColumns(arr, ['kind'])).columns.kind).toEqual(['a', 'b']);
  });

  it('a malformed line is named by its line number', async () => {
    const { dir, ctx } = folder();
    writeFileSync(join(dir, 'bad.ndjson'), '{"a": 1}\n{"a": 2}\n{"a": 3, "b": }\n{"a": 4}\n');
    const e = await loadJson(ctx, 'bad.ndjson').catch((x) => x);
    expect(e).toMatchObject({ code: 'BAD_DATA', line: 3, file: 'bad.ndjson' });
    expect(e.message).toMatch(/^Line 3 of "bad.ndjson" is not valid JSON/);
  });

  it('an empty array has no rows; a binary file is not JSON', async () => {
    const { dir, ctx } = folder();
    writeFileSync(join(dir, 'empty.json'), '[]');
    expect(await loadJson(ctx, 'empty.json').catch((x) => x)).toMatchObject({ code: 'NO_ROWS' });
    writeFileSync(join(dir, 'bin.json'), Buffer.from([1, 0, 2, 0, 3]));
    expect(await loadJson(ctx, 'bin.json').catch((x) => x)).toMatchObject({ code: 'FILE_NOT_TEXT' });
  });
});

describe('loadExcel', () => {
  async function workbook(dir: string) {
    const wb = new ExcelJS.Workbook();
    const a = wb.addWorksheet('Summary');
    a.addRow(['note']);
    a.addRow(['see sheet Data']);
    const d = wb.addWorksheet('Data');
    d.addRow(['id', 'price', 'name', 'when', 'ok', 'mixed']);
    d.addRow([1, 9.5, 'pen', new Date(Date.UTC(2024, 0, 2)), true, 'x']);
    d.addRow([2, { formula: 'B2*2', result: 19 }, { richText: [{ text: 'big ' }, { text: 'pen' }] }, new Date(Date.UTC(2024, 0, 3)), false, 3]);
    d.addRow([3, null, 'ink', null, true, null]);
    await wb.xlsx.writeFile(join(dir, 'book.xlsx'));
  }

  it('reads a named sheet with inferred types, formula results and rich text', async () => {
    const { dir, ctx } = folder();
    await workbook(dir);
    const t = await loadExcel(ctx, 'book.xlsx', 'Data');
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'price:number', 'name:string', 'when:date', 'ok:boolean', 'mixed:string']);
    const r = await readColumns(t, ['price', 'name', 'when', 'mixed']);
    expect(Array.from(r.columns.price as Float64Array)).toEqual([9.5, 19, NaN]);
    expect(r.columns.name).toEqual(['pen', 'big pen', 'ink']);
    expect((r.columns.when as Float64Array)[1]).toBe(Date.UTC(2024, 0, 3));
    expect(r.columns.mixed).toEqual(['x', '3', null]);
  });

  it('first sheet by default; an unknown sheet lists the sheets', async () => {
    const { dir, ctx } = folder();
    await workbook(dir);
    expect((await loadExcel(ctx, 'book.xlsx', '')).columns.map((c) => c.name)).toEqual(['note']);
    const e = await loadExcel(ctx, 'book.xlsx', 'Nope').catch((x) => x);
    expect(e).toMatchObject({ code: 'INVALID_PARAM', file: 'book.xlsx' });
    expect(e.hint).toBe('Sheets are: Summary, Data.');
  });

  it('a CSV renamed .xlsx and an old .xls are refused with what to do', async () => {
    const { dir, ctx } = folder();
    writeFileSync(join(dir, 'fake.xlsx'), 'a,b\n1,2\n');
    expect(await loadExcel(ctx, 'fake.xlsx', '').catch((x) => x)).toMatchObject({ code: 'BAD_DATA', message: '"fake.xlsx" is not an Excel .xlsx file.' });
    writeFileSync(join(dir, 'old.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]));
    expect((await loadExcel(ctx, 'old.xls', '').catch((x) => x)).message).toMatch(/old-style Excel file/);
  });
});

describe('loadPostgres (no server here: configuration and conversion)', () => {
  const ctx = { nodeId: 'db' };
  it('never accepts a URL with a password in the pipeline file', () => {
    expect(() => pgConfig(ctx, 'postgres://me:secret@host/db')).toThrow(/must name an environment variable/);
  });
  it('reads the URL from the named variable, or the PG* variables', () => {
    expect(pgConfig(ctx, 'DB_URL', { DB_URL: 'postgres://h/d' })).toEqual({ connectionString: 'postgres://h/d' });
    expect(() => pgConfig(ctx, 'DB_URL', {})).toThrow('The environment variable DB_URL is not set.');
    expect(pgConfig(ctx, '', { PGHOST: 'h' })).toEqual({});
    expect(() => pgConfig(ctx, '', {})).toThrow(/No database connection is configured/);
  });
  it('maps PostgreSQL types to typed columns', () => {
    const cols = columnsFromPg(
      [{ name: 'n', dataTypeID: 20 }, { name: 'x', dataTypeID: 1700 }, { name: 'b', dataTypeID: 16 }, { name: 's', dataTypeID: 25 }, { name: 'j', dataTypeID: 3802 }],
      [['12', '1.50', true, 'a', { k: 1 }], [null, null, null, null, null]],
    );
    expect(cols.map((c) => c.type)).toEqual(['integer', 'number', 'boolean', 'string', 'string']);
    expect(Array.from(cols[1].data as Float64Array)).toEqual([1.5, NaN]);
    expect(cols[4].data).toEqual(['{"k":1}', null]);
  });
  it('an unreachable server is a clear connection error', async () => {
    const c = fakeContext({ nodeId: 'db' });
    const prev = process.env.FLOWLINE_TEST_PG;
    process.env.FLOWLINE_TEST_PG = 'postgres://u:p@127.0.0.1:1/none';
    try {
      const e = await loadPostgres(c, 'SELECT 1', 'FLOWLINE_TEST_PG').catch((x) => x);
      expect(e.message).toMatch(/^Could not connect to the database/);
      expect(e.message).not.toContain(':p@');
    } finally {
      if (prev === undefined) delete process.env.FLOWLINE_TEST_PG;
      else process.env.FLOWLINE_TEST_PG = prev;
    }
  });
});

