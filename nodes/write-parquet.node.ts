import { z } from 'zod';
import { writeParquet } from '../core/data/writers.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const writeParquetNode = defineNode({
  type: 'data.write_parquet',
  version: 1,
  title: 'Write Parquet',
  category: 'Export',
  description: 'Save the table as a compressed Parquet file, keeping column types. The file is replaced only when writing succeeds.',
  help: {
    text:
      'Saves the table as a compressed Parquet file that keeps the column types: smaller and faster to read back than CSV, and read by pandas, Spark and DuckDB. The file is replaced only once writing has succeeded.',
    example: 'path out/features.parquet → the engineered features, ready for another pipeline’s Load Parquet.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { file: { type: 'artifact', label: 'Parquet file' } },
  params: z.object({
    path: param.file('Where to save the Parquet file, relative to the pipeline file', { save: true, filters: [{ name: 'Parquet', extensions: ['parquet'] }] }),
  }),
  exportable: false,
  writes: (p) => [p.path],
  summary: (p) => p.path,
  async run({ inputs, params, ctx }) {
    const file = await writeParquet(ctx, inputs.table, params.path);
    ctx.log(`Wrote ${inputs.table.rowCount} rows to ${file.path}.`);
    return { file };
  },
});
