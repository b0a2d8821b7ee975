import { z } from 'zod';
import { describeCsv, loadCsv } from '../core/data/csv.ts';
import { resolveDataPath } from '../core/data/files.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadCsvNode = defineNode({
  type: 'data.load_csv',
  version: 1,
  title: 'Load CSV',
  category: 'Sources',
  description: 'Read a CSV or other delimited text file. The separator, header and column types are detected; any of them can be set by hand. A line that cannot be read stops the run and is named.',
  help: {
    text:
      'Reads a delimited text file into a table. Flowline detects the separator, whether the first line is a header, and each column\'s type; set any of them by hand when the guess is wrong (a zip code read as a number, say: force it to text under column types).\n\nThe path is relative to the pipeline file, so a pipeline and its data folder can move together. A line with the wrong number of fields stops the run and is named, unless bad lines is set to skip.',
    example: 'data/sales.csv whose first line is date;amount;region → a table with a date, a number and a text column (the \';\' separator is detected).',
  },
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    path: param.file('CSV file to read, relative to the pipeline file', { filters: [{ name: 'CSV / text', extensions: ['csv', 'tsv', 'txt'] }] }),
    delimiter: z.string().default('auto').describe('Field separator: "auto" to detect, or the character itself ("," ";" "\\t" "|")'),
    header: z.enum(['auto', 'yes', 'no']).default('auto').describe('Does the first line hold the column names?'),
    quote: z.string().default('auto').meta({ description: 'Quote character around fields that contain the separator ("auto" to detect)', ui: { advanced: true } }),
    missing_values: z.array(z.string()).default([]).meta({ description: 'Extra spellings of a missing value, e.g. "NA", "-", "n/a" (an empty field is always missing)', ui: { advanced: true } }),
    column_types: z
      .record(z.string(), z.enum(['number', 'integer', 'string', 'boolean', 'date', 'timestamp']))
      .default({})
      .meta({ description: 'Force the type of some columns, e.g. {"zip": "string"}; the others are detected', ui: { widget: 'json', advanced: true } }),
    skip_lines: z.number().int().min(0).default(0).meta({ description: 'Lines to skip at the top of the file, before the header', ui: { advanced: true } }),
    decimal: z
      .enum(['auto', '.', ','])
      .default('auto')
      .meta({ description: 'Decimal separator in numbers: "auto" reads 1,5 as 1.5 in a file not separated by commas whose column holds only such numbers', ui: { advanced: true } }),
    encoding: z
      .enum(['auto', 'utf-8', 'latin-1'])
      .default('auto')
      .meta({ description: 'Text encoding: "auto" reads UTF-8, or Latin-1 (Windows-1252 exports) when the file is not valid UTF-8', ui: { advanced: true } }),
    bad_lines: z.enum(['error', 'skip']).default('error').describe('A line that cannot be read: stop with an error naming it, or skip it (the log lists the skipped lines)'),
  }),
  exportable: false,
  reads: (p) => [p.path],
  summary: (p) => p.path,
  describe: (p, where) =>
    describeCsv(resolveDataPath(where, p.path), { delimiter: p.delimiter, header: p.header, quote: p.quote, missing: p.missing_values, types: p.column_types, skipLines: p.skip_lines, decimal: p.decimal, encoding: p.encoding }),
  async run({ params, ctx }) {
    const table = await loadCsv(ctx, {
      path: params.path,
      delimiter: params.delimiter,
      header: params.header,
      quote: params.quote,
      missing: params.missing_values,
      types: params.column_types,
      skipLines: params.skip_lines,
      decimal: params.decimal,
      encoding: params.encoding,
      badLines: params.bad_lines,
    });
    ctx.log(`Read ${table.rowCount} rows × ${table.columns.length} columns from ${params.path}.`);
    return { table };
  },
});
