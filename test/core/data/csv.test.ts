import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { guessDelimiter, loadCsv } from '../../../core/data/csv.ts';
import { readColumns } from '../../../core/data/tables.ts';
import { loadFailure, loadFile } from '../../support/csv-files.ts';
import { fakeContext } from '../../support/fake-context.ts';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/data');

const load = loadFile;
const failure = loadFailure;

describe('loadCsv reads good files', () => {
  it('detects header, separator and types; ids follow file order; relative paths resolve against the pipeline folder', async () => {
    const ctx = fakeContext({ pipelineDir: FIXTURES });
    const t = await loadCsv(ctx, { path: 'people.csv' });
    expect(t.rowCount).toBe(8);
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'name:string', 'age:integer', 'income:number', 'city:string', 'joined:date', 'member:boolean']);
    const r = await readColumns(t, ['age', 'name', 'member']);
    expect(Array.from(r.rowIds)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(r.columns.age as Float64Array)).toEqual([34, NaN, 29, 51, 42, 38, 23, 61]);
    expect((r.columns.name as string[])[2]).toBe('Chloé');
    expect(Number.isNaN((r.columns.member as Float64Array)[5])).toBe(true);
  });

  it('detects ";" with quoted separators inside fields', async () => {
    const t = await loadCsv(fakeContext({ pipelineDir: FIXTURES }), { path: 'orders.csv' });
    expect(t.columns.map((c) => c.name)).toEqual(['order_id', 'customer_id', 'amount', 'note']);
    expect((await readColumns(t, ['note'])).columns.note).toEqual(['first; small', null, 'repeat', 'unknown customer', null]);
  });

  it('honours explicit delimiter, header, missing-value spellings and column types', async () => {
    const { table } = await load('t.txt', '1|NA|007\n2|5|010\n', { delimiter: '|', header: 'no', missing: ['NA'], types: { column2: 'string' } });
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['column0:integer', 'column1:integer', 'column2:string']);
    const r = await readColumns(table, ['column1', 'column2']);
    expect(Array.from(r.columns.column1 as Float64Array)).toEqual([NaN, 5]);
    expect(r.columns.column2).toEqual(['007', '010']);
  });

  it('reads tab-separated text with the separator written as \\t or "tab"', async () => {
    for (const delimiter of ['\\t', 'tab', '\t']) {
      const { table } = await load('t.tsv', 'a\tb\n1\tx y\n', { delimiter });
      expect((await readColumns(table, ['b'])).columns.b).toEqual(['x y']);
    }
  });

  it('never rounds: a decimal far below rows of whole numbers makes the column a number column', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i},${i % 7}`).join('\n');
    const { table, ctx } = await load('w.csv', `a,b\n${rows}\n30000,2.5\n`);
    expect(table.columns.map((c) => `${c.name}:${c.dbType}`)).toEqual(['a:BIGINT', 'b:DOUBLE']);
    const b = (await readColumns(table, ['b'])).columns.b as Float64Array;
    expect(b[30_000]).toBe(2.5);
    expect(ctx.logs.join('\n')).not.toMatch(/error/i);
  });

  it('skips unreadable lines when asked, and logs them by line number', async () => {
    const { table, ctx } = await load('r.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', { badLines: 'skip' });
    expect(table.rowCount).toBe(2);
    expect(ctx.logs.join('\n')).toMatch(/Skipped 1 line.*Line 3 of "r.csv" has 2 fields but the header has 3/);
  });

  it('guesses the separator from the header line, ignoring quoted ones', () => {
    expect(guessDelimiter('"a,b";c;d\n1;2;3')).toBe(';');
    expect(guessDelimiter('a\tb\tc')).toBe('\t');
    expect(guessDelimiter('single')).toBeNull();
  });
});

describe('loadCsv explains bad files', () => {
  it('missing file: FILE_NOT_FOUND naming the path as written', async () => {
    const ctx = fakeContext({ pipelineDir: FIXTURES, nodeId: 'load' });
    const e = await loadCsv(ctx, { path: 'nope/missing.csv' }).catch((x) => x);
    expect(e).toMatchObject({ code: 'FILE_NOT_FOUND', file: 'nope/missing.csv', nodeId: 'load' });
    expect(e.message).toContain('"nope/missing.csv"');
  });

  it('empty file: FILE_EMPTY; blank lines only: FILE_EMPTY', async () => {
    expect(await failure('e.csv', '')).toMatchObject({ code: 'FILE_EMPTY', file: 'e.csv' });
    expect(await failure('b.csv', '\n\n  \n')).toMatchObject({ code: 'FILE_EMPTY', file: 'b.csv' });
  });

  it('header only: NO_ROWS "has a header but no data rows"', async () => {
    const e = await failure('h.csv', 'a,b,c\n');
    expect(e.code).toBe('NO_ROWS');
    expect(e.message).toBe('"h.csv" has a header but no data rows.');
  });

  it('ragged row: CSV_PARSE with the line number and the line', async () => {
    const e = await failure('r.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9\n10,11\n12,13,14\n');
    expect(e).toMatchObject({ code: 'CSV_PARSE', line: 5, file: 'r.csv', nodeId: 'load' });
    expect(e.message).toBe('Line 5 of "r.csv" has 2 fields but the header has 3: 10,11');
  });

  it('too many fields, even in a tiny file: CSV_PARSE with the line', async () => {
    const e = await failure('m.csv', 'a,b,c\n1,2,3\n4,5,6,7\n');
    expect(e).toMatchObject({ code: 'CSV_PARSE', line: 3 });
    expect(e.message).toMatch(/^Line 3 of "m.csv" has 4 fields but the header has 3/);
  });

  it('a value that does not fit its column far down the file: CSV_PARSE naming line, value and column', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => `${i},${i}`).join('\n');
    const e = await failure('v.csv', `a,b\n${rows}\n5,abc\n`);
    expect(e).toMatchObject({ code: 'CSV_PARSE', line: 25_002, column: 'b' });
    expect(e.message).toBe('Line 25002 of "v.csv": "abc" is not a valid number in column "b".');
  });

  it('a column forced to integer that holds a decimal is refused, not rounded', async () => {
    const e = await failure('i.csv', 'a\n1\n2.5\n', { types: { a: 'integer' } });
    expect(e).toMatchObject({ code: 'CSV_PARSE', column: 'a' });
    expect(e.message).toMatch(/data row 2 .* holds 2.5/);
  });

  it('binary data in a .csv: FILE_NOT_TEXT', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64), Buffer.from('xl/workbook.xml')]);
    const e = await failure('sheet.csv', zip);
    expect(e).toMatchObject({ code: 'FILE_NOT_TEXT', file: 'sheet.csv' });
    expect(e.message).toContain('is not a CSV file');
  });

  it('a column type for a column that does not exist: COLUMN_NOT_FOUND', async () => {
    expect(await failure('c.csv', 'a\n1\n', { types: { zz: 'string' } })).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'zz' });
  });
});
