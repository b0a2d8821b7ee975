/**
 * Excel (.xlsx) → table with exceljs: the first sheet or a named one, the first row as the header.
 * Column types are inferred from the cells: all numbers → number (integer when all whole), all
 * dates → timestamp (date when all at midnight), all true/false → boolean, anything mixed → text.
 */
// exceljs is loaded when a workbook is read: it costs ~0.5 s of start-up that every CLI run would pay.
import type ExcelJSModule from 'exceljs';
import { FlowlineError, type RunContext, type TableRef } from '../spec/index.ts';
import { knownColumn, type KnownTable } from '../spec/known-columns.ts';
import { checkFile, headBytes, resolveDataPath } from './files.ts';
import { writeJsTable, type JsColumn } from './tables.ts';

type Cell = string | number | boolean | Date | null;

/** The plain value of an exceljs cell value (formula results, rich text, hyperlinks unwrapped). */
export function plainCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('result' in o) return plainCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((r) => r.text).join('');
    if ('text' in o) return plainCell(o.text);
    if ('error' in o) return null;
  }
  return String(v);
}

/** Column arrays from header + rows of plain cells, with inferred types. */
export function columnsFromCells(header: string[], rows: Cell[][]): JsColumn[] {
  return header.map((name, j) => {
    const values = rows.map((r) => r[j] ?? null);
    const present = values.filter((v) => v !== null);
    if (present.length && present.every((v) => typeof v === 'number')) {
      const data = Float64Array.from(values, (v) => (v === null ? NaN : (v as number)));
      return { name, data, type: present.every((v) => Number.isInteger(v)) ? 'integer' : 'number' };
    }
    if (present.length && present.every((v) => v instanceof Date)) {
      const data = Float64Array.from(values, (v) => (v === null ? NaN : (v as Date).getTime()));
      const midnight = present.every((v) => (v as Date).getTime() % 86_400_000 === 0);
      return { name, data, type: midnight ? 'date' : 'timestamp' };
    }
    if (present.length && present.every((v) => typeof v === 'boolean')) {
      return { name, data: Float64Array.from(values, (v) => (v === null ? NaN : v ? 1 : 0)), type: 'boolean' };
    }
    const text = values.map((v) => (v === null ? null : v instanceof Date ? v.toISOString() : String(v)));
    return { name, data: text, type: 'string' };
  });
}

/** Header names made unique and non-empty ("column3" for a blank header cell). */
export function headerNames(cells: Cell[], width: number): string[] {
  const seen = new Map<string, number>();
  return Array.from({ length: width }, (_, j) => {
    const raw = cells[j];
    let name = raw === null || raw === undefined ? `column${j + 1}` : raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw).trim();
    if (!name) name = `column${j + 1}`;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n ? `${name}_${n + 1}` : name;
  });
}

export async function loadExcel(ctx: RunContext, path: string, sheet: string, port = 'table'): Promise<TableRef> {
  return writeJsTable(ctx, await readSheet(ctx, resolveDataPath(ctx, path), path, sheet), { port });
}

/**
 * The sheet's columns and their inferred types, before anything runs (Load Excel's `describe`).
 * The types depend on every cell, so the whole sheet is read; the caller caches by fingerprint.
 */
export async function describeExcel(abs: string, sheet: string): Promise<KnownTable> {
  // No node here: an unreadable workbook is simply not described (the run reports it by node).
  const columns = await readSheet({ nodeId: '' }, abs, abs, sheet);
  return { columns: columns.map((c) => knownColumn(c.name, c.type ?? (c.data instanceof Float64Array ? 'number' : 'string'))) };
}

/** One sheet as typed columns; errors name the file as the user wrote it (`path`). */
async function readSheet(ctx: Pick<RunContext, 'nodeId'>, abs: string, path: string, sheet: string): Promise<JsColumn[]> {
  await checkFile(ctx, abs, path);
  const magic = await headBytes(abs, 4);
  if (!(magic[0] === 0x50 && magic[1] === 0x4b)) {
    const old = magic[0] === 0xd0 && magic[1] === 0xcf;
    throw new FlowlineError({
      code: 'BAD_DATA',
      nodeId: ctx.nodeId,
      file: path,
      message: old ? `"${path}" is an old-style Excel file (.xls); Flowline reads .xlsx.` : `"${path}" is not an Excel .xlsx file.`,
      hint: old ? 'Open it in Excel or LibreOffice and save it as .xlsx (or CSV).' : 'Use the Load node that matches the file (CSV, JSON, Parquet).',
    });
  }
  const ExcelJS = ((await import('exceljs')) as unknown as { default: typeof ExcelJSModule }).default;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(abs);
  } catch (e) {
    throw new FlowlineError({ code: 'BAD_DATA', nodeId: ctx.nodeId, file: path, message: `"${path}" could not be read as an Excel workbook: ${(e as Error).message}`, hint: 'Check that the file opens in Excel and is not password-protected.' });
  }
  const names = wb.worksheets.map((w) => w.name);
  const ws = sheet ? wb.worksheets.find((w) => w.name === sheet) : wb.worksheets[0];
  if (!ws) {
    throw new FlowlineError({ code: 'INVALID_PARAM', nodeId: ctx.nodeId, file: path, message: sheet ? `"${path}" has no sheet named "${sheet}".` : `"${path}" has no sheets.`, hint: names.length ? `Sheets are: ${names.join(', ')}.` : undefined });
  }
  const grid: Cell[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as unknown[]; // 1-based
    const cells: Cell[] = [];
    for (let j = 1; j < values.length; j++) cells.push(plainCell(values[j]));
    while (cells.length && cells[cells.length - 1] === null) cells.pop();
    width = Math.max(width, cells.length);
    grid.push(cells);
  });
  const where = `"${path}" (sheet "${ws.name}")`;
  if (!grid.length) throw new FlowlineError({ code: 'FILE_EMPTY', nodeId: ctx.nodeId, file: path, message: `${where} is empty.`, hint: names.length > 1 ? `Other sheets: ${names.filter((n) => n !== ws.name).join(', ')}.` : undefined });
  if (grid.length === 1) throw new FlowlineError({ code: 'NO_ROWS', nodeId: ctx.nodeId, file: path, message: `${where} has a header but no data rows.` });
  const header = headerNames(grid[0], width);
  return columnsFromCells(header, grid.slice(1));
}
