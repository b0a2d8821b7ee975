import { z } from 'zod';
import { describePostgres, loadPostgres } from '../core/data/postgres.ts';
import { defineNode, param } from '../core/spec/index.ts';

export const loadPostgresNode = defineNode({
  type: 'data.load_postgres',
  version: 1,
  title: 'Load from PostgreSQL',
  category: 'Sources',
  description: 'Run a query on a PostgreSQL database and use its rows. It runs read-only, one statement, and changes nothing in the database. The password never goes into the pipeline file: the connection comes from environment variables or a connection saved in the studio. Always re-runs, since the database can change.',
  help: {
    text:
      'Runs one read-only SELECT on a PostgreSQL database and brings its rows into the pipeline. The connection comes from a name: an environment variable holding a connection URL (such as DATABASE_URL; the CLI reads these), or a login saved in the studio under that name with "Database connection…" (the desktop app keeps it in the system keychain, the browser studio for the session). Left empty, the usual PGHOST, PGUSER, PGPASSWORD… variables are used. No password is ever written into the pipeline file.\n\nIt runs again on every run, because the database can change between runs.',
    example: 'SELECT customer_id, signup_date, plan FROM customers WHERE active, connection DATABASE_URL → one row per active customer.',
  },
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    query: param.code('One SELECT query to run on the database (read-only)', 'sql').default('SELECT 1 AS one'),
    connection: z
      .string()
      .default('')
      .describe('Name of an environment variable holding the connection URL (e.g. DATABASE_URL), or of a connection saved in the studio; empty: use PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD'),
  }),
  exportable: false,
  volatile: true,
  queriesDatabase: true,
  // Contacts the database: the host describes it only for a trusted pipeline (known-sources.ts).
  describe: (p, where) => describePostgres(p.query, p.connection, where),
  summary: (p) => p.query.replace(/\s+/g, ' ').slice(0, 60),
  async run({ params, ctx }) {
    return { table: await loadPostgres(ctx, params.query, params.connection) };
  },
});
