import { z } from 'zod';
import { runSql } from '../core/data/ops.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const runSqlNode = defineNode({
  type: 'data.sql',
  version: 1,
  title: 'SQL Query',
  category: 'Clean',
  description: 'Run a DuckDB SQL query over the connected tables, named after the nodes they come from (FROM load_sales), or input1, input2, … in the order they are connected. The result is a new table.',
  help: {
    text:
      'Runs one DuckDB SQL query over the connected tables. Each input can be read under the id of the node it comes from (FROM orders), or as input1, input2, … in the order the edges were connected. Use it for what the other nodes do not cover: window functions, pivots, unusual joins.\n\nSQL in a file someone sent you is code: the studio asks before running it the first time.',
    example: 'SELECT region, avg(amount) AS avg_amount FROM orders GROUP BY region → one row per region with its average order.',
  },
  inputs: { tables: { type: 'table', label: 'Tables', multiple: true } },
  outputs: { table: { type: 'table', label: 'Result' } },
  params: z.object({
    query: param.code('One SELECT over input1, input2, … (DuckDB SQL)', 'sql').default('SELECT * FROM input1'),
  }),
  exportable: false,
  runsUserCode: true,
  summary: (p) => p.query.replace(/\s+/g, ' ').slice(0, 60),
  async run({ inputs, params, ctx }) {
    const table = await runSql(ctx, inputs.tables, params.query);
    ctx.log(`The query returned ${table.rowCount} rows × ${table.columns.length} columns.`);
    return { table };
  },
});
