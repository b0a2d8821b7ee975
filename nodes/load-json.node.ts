import { z } from 'zod';
import { resolveDataPath } from '../core/data/files.ts';
import { describeJson, loadJson } from '../core/data/readers.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadJsonNode = defineNode({
  type: 'data.load_json',
  version: 1,
  title: 'Load JSON',
  category: 'Sources',
  description: 'Read JSON records: one array of objects, or one object per line (NDJSON / JSON Lines). Each key becomes a column.',
  help: {
    text:
      'Reads records from JSON: either one array of objects, or one object per line (JSON Lines / NDJSON, as many logs and APIs export). Each key becomes a column; a key missing from some records is left empty in their rows.',
    example: 'A file with the lines {"id": 1, "city": "Paris"} and {"id": 2, "city": "Lyon"} → a table with the columns id and city, 2 rows.',
  },
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    path: param.file('JSON file to read, relative to the pipeline file', { filters: [{ name: 'JSON', extensions: ['json', 'jsonl', 'ndjson'] }] }),
    format: z.enum(['auto', 'array', 'lines']).default('auto').describe('"array": one [ {...}, {...} ] array; "lines": one object per line; "auto" detects it'),
  }),
  exportable: false,
  reads: (p) => [p.path],
  describe: (p, where) => describeJson(resolveDataPath(where, p.path), p.format),
  summary: (p) => p.path,
  async run({ params, ctx }) {
    const table = await loadJson(ctx, params.path, params.format);
    ctx.log(`Read ${table.rowCount} rows × ${table.columns.length} columns from ${params.path}.`);
    return { table };
  },
});
