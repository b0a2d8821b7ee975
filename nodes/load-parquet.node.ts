import { z } from 'zod';
import { resolveDataPath } from '../core/data/files.ts';
import { loadParquet } from '../core/data/readers.ts';
import { fileSchema } from '../core/data/tables.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadParquetNode = defineNode({
  type: 'data.load_parquet',
  version: 1,
  title: 'Load Parquet',
  category: 'Sources',
  description: 'Read a Parquet file (or several with a pattern such as data/*.parquet). Column types come from the file.',
  help: {
    text:
      'Reads Parquet, the compact column format written by pandas, Spark or DuckDB. Column types come from the file itself, so nothing is guessed. A pattern reads several files with the same columns as one table.',
    example: 'data/2024-*.parquet → the rows of every monthly file, one after another.',
  },
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    path: param.file('Parquet file to read, relative to the pipeline file; * matches several files', { filters: [{ name: 'Parquet', extensions: ['parquet', 'pq'] }] }),
  }),
  exportable: false,
  // For a pattern, the folder is fingerprinted: adding or removing a file re-runs the node.
  reads: (p) => (/[*?[]/.test(p.path) ? [patternFolder(p.path)] : [p.path]),
  summary: (p) => p.path,
  // A pattern's files are known only when read (describe needs the one file).
  describe: async (p, where) => (/[*?[]/.test(p.path) ? undefined : { columns: await fileSchema(resolveDataPath(where, p.path)) }),
  async run({ params, ctx }) {
    const table = await loadParquet(ctx, params.path);
    ctx.log(`Read ${table.rowCount} rows × ${table.columns.length} columns from ${params.path}.`);
    return { table };
  },
});

/** The folder part of a file pattern before its first wildcard ("data/2024/*.parquet" → "data/2024/"). */
function patternFolder(pattern: string): string {
  const wild = pattern.search(/[*?[]/);
  const slash = Math.max(pattern.lastIndexOf('/', wild), pattern.lastIndexOf('\\', wild));
  return slash > 0 ? `${pattern.slice(0, slash)}/` : './';
}
