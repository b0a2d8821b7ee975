import { z } from 'zod';
import { describeExcel, loadExcel } from '../core/data/excel.ts';
import { resolveDataPath } from '../core/data/files.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadExcelNode = defineNode({
  type: 'data.load_excel',
  version: 1,
  title: 'Load Excel',
  category: 'Sources',
  description: 'Read one sheet of an Excel workbook (.xlsx). The first row holds the column names; formulas are read as their last computed values.',
  help: {
    text:
      'Reads one sheet of an .xlsx workbook. The first row holds the column names; a formula cell is read as the value Excel last computed, so open and save the workbook in Excel if those look out of date. Save older .xls files as .xlsx first.',
    example: 'sales.xlsx, sheet 2024 → one row per spreadsheet row below the header.',
  },
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    path: param.file('Excel workbook to read, relative to the pipeline file', { filters: [{ name: 'Excel', extensions: ['xlsx'] }] }),
    sheet: z.string().default('').describe('Name of the sheet to read (empty: the first sheet)'),
  }),
  exportable: false,
  reads: (p) => [p.path],
  describe: (p, where) => describeExcel(resolveDataPath(where, p.path), p.sheet),
  summary: (p) => (p.sheet ? `${p.path} [${p.sheet}]` : p.path),
  async run({ params, ctx }) {
    const table = await loadExcel(ctx, params.path, params.sheet);
    ctx.log(`Read ${table.rowCount} rows × ${table.columns.length} columns from ${params.path}.`);
    return { table };
  },
});
