/**
 * PostgreSQL query → table with `pg`, run as one statement in a read-only transaction that is
 * rolled back. Credentials never live in the pipeline file: the node names an environment variable
 * holding a connection URL or a connection saved in the studio (its dialog; the OS keychain on the
 * desktop), or leaves it empty to use the standard PG* variables (PGHOST, PGPORT, PGDATABASE,
 * PGUSER, PGPASSWORD) that libpq and `pg` read.
 */
// pg is loaded when a query runs, not at start-up.
import type pg from 'pg';
import { FlowlineError, type RunContext, type TableRef } from '../spec/index.ts';
import type { KnownTable } from '../spec/known-columns.ts';
import type { ColumnType } from '../spec/values.ts';
import { writeJsTable, type JsColumn } from './tables.ts';

/** PostgreSQL type OIDs we map to typed columns; everything else arrives as text. */
const INTEGER_OIDS = new Set([20, 21, 23, 26]);
const NUMBER_OIDS = new Set([700, 701, 1700, 790]);
const BOOL_OID = 16;
const DATE_OID = 1082;
const TIMESTAMP_OIDS = new Set([1114, 1184]);

export interface PgField {
  name: string;
  dataTypeID: number;
}

/** The DuckDB type writeJsTable stores each of our types as (so described columns equal the run's). */
const STORED_AS: Record<ColumnType, string> = { integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', string: 'VARCHAR', other: 'VARCHAR' };

/** Our column type for a PostgreSQL type OID (what columnsFromPg makes of it). */
function pgColumnType(oid: number): ColumnType {
  if (INTEGER_OIDS.has(oid)) return 'integer';
  if (NUMBER_OIDS.has(oid)) return 'number';
  if (oid === BOOL_OID) return 'boolean';
  if (oid === DATE_OID) return 'date';
  if (TIMESTAMP_OIDS.has(oid)) return 'timestamp';
  return 'string';
}

/** Column arrays from a pg result (rowMode 'array'), each of the type pgColumnType gives its OID. */
export function columnsFromPg(fields: PgField[], rows: unknown[][]): JsColumn[] {
  return fields.map((f, j): JsColumn => {
    const get = (r: unknown[]) => r[j];
    const type = pgColumnType(f.dataTypeID);
    switch (type) {
      case 'integer':
      case 'number':
        return { name: f.name, data: Float64Array.from(rows, (r) => (get(r) === null ? NaN : Number(get(r)))), type };
      case 'boolean':
        return { name: f.name, data: Float64Array.from(rows, (r) => (get(r) === null ? NaN : get(r) ? 1 : 0)), type };
      case 'date':
      case 'timestamp': {
        const data = Float64Array.from(rows, (r) => {
          const v = get(r);
          if (v === null) return NaN;
          if (v instanceof Date) return type === 'date' ? Date.UTC(v.getFullYear(), v.getMonth(), v.getDate()) : v.getTime();
          return Date.parse(String(v));
        });
        return { name: f.name, data, type };
      }
      default:
        return { name: f.name, data: rows.map((r) => (get(r) === null ? null : typeof get(r) === 'object' ? JSON.stringify(get(r)) : String(get(r)))), type: 'string' };
    }
  });
}

/**
 * The pg client config: a URL from the named environment variable (so the CLI and CI keep working
 * as they always have), else the connection saved in the studio under that name, or the PG* variables.
 */
export function pgConfig(ctx: Pick<RunContext, 'nodeId' | 'savedConnection'>, connectionVar: string, env: NodeJS.ProcessEnv = process.env): pg.ClientConfig {
  const name = connectionVar.trim();
  if (/^postgres(ql)?:\/\//i.test(name)) {
    throw new FlowlineError({
      code: 'INVALID_PARAM',
      nodeId: ctx.nodeId,
      message: 'The connection setting holds a connection URL; it must name an environment variable or a connection saved in the studio instead, so no password is saved in the pipeline file.',
      hint: 'Set e.g. DATABASE_URL=postgres://user:password@host/db in the environment and write DATABASE_URL here (or leave it empty to use PGHOST, PGUSER, PGPASSWORD, PGDATABASE).',
    });
  }
  if (!name) {
    if (!env.PGHOST && !env.PGDATABASE && !env.PGUSER) {
      throw new FlowlineError({ code: 'INVALID_PARAM', nodeId: ctx.nodeId, message: 'No database connection is configured: the connection setting is empty and PGHOST / PGDATABASE / PGUSER are not set.', hint: 'Set PGHOST, PGPORT, PGDATABASE, PGUSER and PGPASSWORD in the environment, or name a variable holding a connection URL.' });
    }
    return {};
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new FlowlineError({ code: 'INVALID_PARAM', nodeId: ctx.nodeId, message: `"${name}" is not an environment variable name.`, hint: 'Use a name such as DATABASE_URL.' });
  }
  const url = env[name];
  if (url) return { connectionString: url };
  const saved = ctx.savedConnection?.(name);
  if (saved) return { host: saved.host, port: saved.port, database: saved.database, user: saved.user, password: saved.password };
  throw new FlowlineError({
    code: 'INVALID_PARAM',
    nodeId: ctx.nodeId,
    message: ctx.savedConnection ? `No connection "${name}" is saved in the studio, and the environment variable ${name} is not set.` : `The environment variable ${name} is not set.`,
    hint: ctx.savedConnection
      ? `Save the login under "${name}" with the node's "Database connection…" button, or set ${name}=postgres://user:password@host:5432/database before starting Flowline.`
      : `Set ${name}=postgres://user:password@host:5432/database before starting Flowline.`,
  });
}

/** Statements that return rows; COPY, CREATE, CALL, DO, SET… are commands, not queries. */
const QUERY_START = /^(SELECT|WITH|VALUES|TABLE)\b|^\(/i;

/** The query without leading blanks and comments, for the keyword check. */
function queryHead(query: string): string {
  return query.replace(/^(\s|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

function queryRefused(ctx: RunContext, e: { message: string; code?: string; position?: string }): FlowlineError {
  if (/cannot insert multiple commands into a prepared statement/.test(e.message)) {
    return new FlowlineError({ code: 'SQL_ERROR', nodeId: ctx.nodeId, message: 'The query must be one statement; this text has several, so none of them was run.', hint: 'Keep a single SELECT (use WITH … for intermediate steps).' });
  }
  // 25006: read_only_sql_transaction
  if (e.code === '25006') {
    return new FlowlineError({ code: 'SQL_ERROR', nodeId: ctx.nodeId, message: `The query tried to change the database, and it runs read-only: ${e.message}. Nothing was changed.`, hint: 'Load from PostgreSQL only reads; change the database with its own tools.' });
  }
  return new FlowlineError({ code: 'SQL_ERROR', nodeId: ctx.nodeId, message: `The database refused the query: ${e.message}${e.position ? ` (at character ${e.position})` : ''}.` });
}

/**
 * A query's columns and types without its rows: the query wrapped in `SELECT * … LIMIT 0`, in a
 * read-only transaction that is rolled back, so the server plans it and runs nothing. It contacts
 * the database, so the host calls it only for a pipeline that is trusted (known-sources.ts's caller).
 * Undefined when the query is not one SELECT or the database cannot be reached: known after run.
 */
export async function describePostgres(query: string, connectionVar: string, where: Pick<RunContext, 'savedConnection'> = {}): Promise<KnownTable | undefined> {
  const text = queryHead(query).replace(/(\s|;|--[^\n]*(\n|$))*$/, '');
  // One statement only: a `;` left inside would let a second one through the wrapper.
  if (!QUERY_START.test(text) || text.includes(';')) return undefined;
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ ...pgConfig({ nodeId: '', ...where }, connectionVar), connectionTimeoutMillis: 5_000, statement_timeout: 5_000 });
  try {
    await client.connect();
  } catch {
    await client.end().catch(() => {});
    return undefined;
  }
  try {
    await client.query('BEGIN READ ONLY');
    const result = await client.query({ text: `SELECT * FROM (\n${text}\n) AS flowline_describe LIMIT 0`, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
    return { columns: result.fields.map((f) => ({ name: f.name, type: pgColumnType(f.dataTypeID), dbType: STORED_AS[pgColumnType(f.dataTypeID)] })) };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  }
}

export async function loadPostgres(ctx: RunContext, query: string, connectionVar: string, port = 'table'): Promise<TableRef> {
  if (!query.trim()) throw new FlowlineError({ code: 'SQL_ERROR', nodeId: ctx.nodeId, message: 'The query is empty.', hint: 'Write a SELECT, e.g. SELECT * FROM customers' });
  if (!QUERY_START.test(queryHead(query))) {
    throw new FlowlineError({ code: 'SQL_ERROR', nodeId: ctx.nodeId, message: 'Load from PostgreSQL runs a query that returns rows (SELECT, WITH, VALUES, TABLE), not a command; nothing was sent to the database.', hint: 'Write a SELECT, e.g. SELECT * FROM customers' });
  }
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client({ ...pgConfig(ctx, connectionVar), connectionTimeoutMillis: 15_000, statement_timeout: 0 });
  const onAbort = () => void client.end().catch(() => {});
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      await client.connect();
    } catch (e) {
      throw new FlowlineError({ code: 'BAD_DATA', nodeId: ctx.nodeId, message: `Could not connect to the database: ${(e as Error).message || (e as { code?: string }).code}.`, hint: 'Check the host, port, database name, user and password in the environment, and that the server is running.' });
    }
    let result: pg.QueryArrayResult;
    try {
      // Read-only and one statement: a pipeline someone sent you may read, never change or drop.
      // The extended protocol makes the server itself refuse a second statement, before running any.
      await client.query('BEGIN READ ONLY');
      result = await client.query({ text: query, rowMode: 'array', queryMode: 'extended' } as pg.QueryArrayConfig);
    } catch (e) {
      ctx.throwIfCancelled();
      throw queryRefused(ctx, e as { message: string; code?: string; position?: string });
    } finally {
      // Nothing a query did is ever kept.
      await client.query('ROLLBACK').catch(() => {});
    }
    if (!result.fields?.length) throw new FlowlineError({ code: 'SQL_ERROR', nodeId: ctx.nodeId, message: 'The query returned no columns; it must be a SELECT.' });
    ctx.log(`Read ${result.rows.length} rows from the database.`);
    return await writeJsTable(ctx, columnsFromPg(result.fields, result.rows), { port });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => {});
  }
}
