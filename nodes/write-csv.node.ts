import { z } from 'zod';
import { writeCsv } from '../core/data/writers.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const writeCsvNode = defineNode({
  type: 'data.write_csv',
  version: 1,
  title: 'Write CSV',
  category: 'Export',
  description: 'Save the table as a CSV file. The file is replaced only when writing succeeds, so a failed run never leaves half a file.',
  help: {
    text:
      'Saves the table as a CSV file, at a path relative to the pipeline file. The file is replaced only once writing has succeeded, so a failed run never leaves half a file.',
    example: 'path out/scored.csv → the scored rows in a file any spreadsheet opens.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { file: { type: 'artifact', label: 'CSV file' } },
  params: z.object({
    path: param.file('Where to save the CSV, relative to the pipeline file', { save: true, filters: [{ name: 'CSV', extensions: ['csv'] }] }),
    delimiter: z.string().min(1).default(',').describe('Field separator'),
    header: z.boolean().default(true).describe('Write the column names on the first line'),
  }),
  exportable: false,
  writes: (p) => [p.path],
  summary: (p) => p.path,
  async run({ inputs, params, ctx }) {
    const file = await writeCsv(ctx, inputs.table, params.path, { delimiter: params.delimiter, header: params.header });
    ctx.log(`Wrote ${inputs.table.rowCount} rows to ${file.path}.`);
    return { file };
  },
});
