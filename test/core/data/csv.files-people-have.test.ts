/**
 * CSV files people actually have: decimal commas, an unclosed quote, a 5 MB field, Latin-1 text,
 * a thousand columns. Each fixture is generated here, small.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeCsv } from '../../../core/data/csv.ts';
import { readColumns } from '../../../core/data/tables.ts';
import { loadFailure, loadFile, withFile } from '../../support/csv-files.ts';

const load = loadFile;
const failure = loadFailure;

const EURO = 'name;price;qty\nA;1,5;3\nB;2,25;4\nC;-10,0;5\nD;;6\n';

describe('decimal commas in a ";"-separated file', () => {
  it('are detected: 1,5 reads as the number 1.5, and the log says so', async () => {
    const { table, ctx } = await load('euro.csv', EURO);
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['name:string', 'price:number', 'qty:integer']);
    expect(Array.from((await readColumns(table, ['price'])).columns.price as Float64Array)).toEqual([1.5, 2.25, -10, NaN]);
    expect(ctx.logs.join('\n')).toMatch(/Reading "price" with a decimal comma/);
  });

  it('validate sees the same columns before the run (describeCsv settles the decimal mark and the encoding as the load does)', async () => {
    const ctx = withFile('euro.csv', EURO);
    const known = await describeCsv(join(ctx.pipelineDir, 'euro.csv'), { decimal: 'auto' });
    expect(known?.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['name:string', 'price:number', 'qty:integer']);
    const latin = withFile('latin1.csv', Buffer.from('name,n\nJosé,1\nZoë,2\n', 'latin1'));
    expect((await describeCsv(join(latin.pipelineDir, 'latin1.csv'), {}))?.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['name:string', 'n:integer']);
  });

  it('with decimal set to "." the column stays text and the node warns, suggesting decimal ","', async () => {
    const { table, ctx } = await load('euro.csv', EURO, { decimal: '.' });
    expect(table.columns.find((c) => c.name === 'price')?.type).toBe('string');
    expect(ctx.warnings).toEqual(['Column "price" of "euro.csv" holds numbers written with a decimal comma (e.g. 1,5) and was read as text: set decimal to "," to read them as numbers.']);
  });

  it('a text column that only sometimes looks like 1,5 stays text', async () => {
    const { table, ctx } = await load('mixed.csv', 'code;n\n1,5;1\nA,7;2\n');
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['code:string', 'n:integer']);
    expect((await readColumns(table, ['code'])).columns.code).toEqual(['1,5', 'A,7']);
    expect(ctx.warnings).toEqual([]);
  });
});

describe('an unterminated quote', () => {
  it('is reported with the line that opens it, and nothing is loaded', async () => {
    const e = await failure('open-quote.csv', 'id,text\n1,hello\n2,"never closed\n3,x\n4,y\n');
    expect(e.code).toBe('CSV_PARSE');
    expect(e.line).toBe(3);
    expect(e.message).toBe('Line 3 of "open-quote.csv" opens a quoted field that is never closed: 2,"never closed');
  });

  it('a quote inside a field (5\'11") is still just a character', async () => {
    const { table } = await load('inch.csv', 'id,height\n1,5\'11"\n2,6\'0"\n');
    expect((await readColumns(table, ['height'])).columns.height).toEqual(['5\'11"', '6\'0"']);
  });
});

describe('a field of 5 MB', () => {
  it('loads (DuckDB refuses lines over 2 MB by default: it used to fail with "CSV Error on Line: 1")', async () => {
    const big = 'x'.repeat(5 * 2 ** 20);
    const { table } = await load('big-field.csv', `id,blob\n1,${big}\n2,small\n`);
    expect(table.rowCount).toBe(2);
    const blob = (await readColumns(table, ['blob'])).columns.blob as string[];
    expect(blob[0].length).toBe(5 * 2 ** 20);
    expect(blob[1]).toBe('small');
  });
});

describe('Latin-1 text', () => {
  const LATIN1 = Buffer.from('name,city\nJosé,Málaga\nZoë,Köln\n', 'latin1');

  it('is detected and read as Latin-1, the log says so', async () => {
    const { table, ctx } = await load('latin1.csv', LATIN1);
    const cols = (await readColumns(table, ['name', 'city'])).columns;
    expect(cols.name).toEqual(['José', 'Zoë']);
    expect(cols.city).toEqual(['Málaga', 'Köln']);
    expect(ctx.logs.join('\n')).toMatch(/"latin1.csv" is not UTF-8 text: reading it as Latin-1/);
  });

  it('read as UTF-8 by choice, bad lines are counted as lines (not one per field) and the hint offers latin-1', async () => {
    const e = await failure('latin1.csv', LATIN1, { encoding: 'utf-8' });
    expect(e.message).toBe('Line 2 of "latin1.csv" is not valid UTF-8 text. (1 more bad line after it)');
    expect(e.line).toBe(2);
    expect(e.hint).toMatch(/set encoding to latin-1/);
  });

  it('a Latin-1 line after 64 KB of plain text is named by its line number', async () => {
    const plain = Array.from({ length: 6000 }, (_, i) => `${i},plain${i}\n`).join('');
    const e = await failure('late.csv', Buffer.concat([Buffer.from(`id,name\n${plain}`), Buffer.from('6000,José\n6001,ok\n', 'latin1')]));
    expect(e.message).toBe('Line 6002 of "late.csv" is not valid UTF-8 text.');
    expect(e.hint).toMatch(/latin-1/);
  });
});

describe('a 1,000-column file of 9 KB', () => {
  afterEach(() => vi.restoreAllMocks());

  it('loads with one sniff and no per-column work in its SQL (it took 23 s: a CASE per column, a 16 KB dictionary per column)', async () => {
    const header = Array.from({ length: 1000 }, (_, j) => `c${j}`).join(',');
    const row = (v: number) => Array.from({ length: 1000 }, () => String(v)).join(',');
    const sql: string[] = [];
    const run = DuckDBConnection.prototype.runAndReadAll;
    vi.spyOn(DuckDBConnection.prototype, 'runAndReadAll').mockImplementation(function (this: DuckDBConnection, ...args: Parameters<typeof run>) {
      sql.push(String(args[0]));
      return run.apply(this, args);
    });
    const { table } = await load('wide.csv', `${header}\n${row(1)}\n${row(2)}\n`);
    expect(table.rowCount).toBe(2);
    expect(table.columns).toHaveLength(1000);
    expect(new Set(table.columns.map((c) => c.type))).toEqual(new Set(['integer']));
    expect(sql.filter((q) => q.includes('sniff_csv('))).toHaveLength(1);
    expect(sql.some((q) => q.includes('CASE WHEN'))).toBe(false);
    expect(sql.some((q) => /REPLACE \(/.test(q))).toBe(false);
    expect(sql.some((q) => q.includes('DICTIONARY_SIZE_LIMIT 16384'))).toBe(false);
    expect(sql.length).toBeLessThanOrEqual(6);
  });
});
