import { z } from 'zod';
import { loadPostgres } from '../core/data/postgres.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadPostgresNode = defineNode({
  type: 'data.load_postgres',
  version: 1,
  title: 'Load from PostgreSQL',
  category: 'Sources',
  description: 'Run a query on a PostgreSQL database and use its rows. It runs read-only, one statement, and changes nothing in the database. The password never goes into the pipeline file: the connection comes from environment variables. Always re-runs, since the database can change.',
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    query: param.code('One SELECT query to run on the database (read-only)', 'sql').default('SELECT 1 AS one'),
    connection: z
      .string()
      .default('')
      .describe('Name of an environment variable holding the connection URL (e.g. DATABASE_URL); empty: use PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD'),
  }),
  exportable: false,
  volatile: true,
  queriesDatabase: true,
  summary: (p) => p.query.replace(/\s+/g, ' ').slice(0, 60),
  async run({ params, ctx }) {
    return { table: await loadPostgres(ctx, params.query, params.connection) };
  },
});
