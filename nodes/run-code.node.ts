import { z } from 'zod';
import { defineNode, ROW_ID } from '../core/spec/index.ts';
import { runUserCode } from '../core/ml/code-node/run-code.ts';
import { writeJsTable, type JsColumn } from '../core/data/tables.ts';
import { readFrame } from '../core/ml/prep/table-step.ts';

const EXAMPLE = `(df, dfd) => {
  // df is the input table as a danfo DataFrame; return the table you want.
  return df;
}`;

export const runCodeNode = defineNode({
  type: 'prep.code',
  version: 1,
  title: 'Run Code',
  category: 'Clean',
  description: 'Transform the table with your own JavaScript on a danfo.js DataFrame: (df, dfd) => df. Runs in a sandboxed process with no network, no files and no environment, under a time and memory limit.',
  help: {
    text:
      'Runs your own JavaScript on the table as a danfo.js DataFrame (an API much like pandas). Write a function (df, dfd) => df that returns the new table. It runs in a sandboxed process with no network, no files and no environment variables, under a time and a memory limit; console.log lines appear in the Log tab.\n\nThe result is a new table, not a step inside a served model.',
    example: '(df) => df.query(df[\'amount\'].gt(0)) → only the rows with a positive amount.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    code: z.string().default(EXAMPLE).meta({ description: 'A function (df, dfd) => DataFrame, or statements that end with `return df`', ui: { widget: 'code', language: 'javascript' } }),
    timeout_s: z.number().positive().max(3600).default(60).describe('Stop the code after this many seconds'),
    memory_mb: z.number().int().min(64).max(16384).default(1024).describe('Memory limit of the code (MB)'),
  }),
  exportable: false,
  runsUserCode: true,
  summary: (p) => `${p.code.split('\n').length} lines of JavaScript`,
  async run({ inputs, params, ctx }) {
    const { frame } = await readFrame(inputs.table, inputs.table.columns.map((c) => c.name).filter((n) => n !== ROW_ID));
    const result = await runUserCode(ctx, params.code, frame.columns, { timeoutMs: params.timeout_s * 1000, memoryMb: params.memory_mb });
    // A new table: the code may add, drop or reorder rows, so ROW_IDs start afresh with an empty recipe.
    const table = await writeJsTable(
      ctx,
      Object.entries(result.columns).map(([name, data]) => ({ name, data, type: result.types[name] === 'other' ? undefined : (result.types[name] as JsColumn['type']) })),
    );
    ctx.log(`${result.rows} rows × ${Object.keys(result.columns).length} columns`);
    return { table };
  },
});
