import { z } from 'zod';
import { loadJson } from '../core/data/readers.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadJsonNode = defineNode({
  type: 'data.load_json',
  version: 1,
  title: 'Load JSON',
  category: 'Sources',
  description: 'Read JSON records: one array of objects, or one object per line (NDJSON / JSON Lines). Each key becomes a column.',
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    path: param.file('JSON file to read, relative to the pipeline file', { filters: [{ name: 'JSON', extensions: ['json', 'jsonl', 'ndjson'] }] }),
    format: z.enum(['auto', 'array', 'lines']).default('auto').describe('"array": one [ {...}, {...} ] array; "lines": one object per line; "auto" detects it'),
  }),
  exportable: false,
  reads: (p) => [p.path],
  summary: (p) => p.path,
  async run({ params, ctx }) {
    const table = await loadJson(ctx, params.path, params.format);
    ctx.log(`Read ${table.rowCount} rows × ${table.columns.length} columns from ${params.path}.`);
    return { table };
  },
});
