/**
 * SQL from an expression's parse tree (core/spec/expression.ts), for nodes that run an
 * expression in DuckDB (Filter Rows). User text never reaches DuckDB: identifiers are quoted by
 * ident(), every literal is a bound parameter ($1, $2, ...), and functions come from a fixed table.
 * So `EXISTS (FROM read_text('/etc/passwd'))` is a syntax error of our grammar, not a query.
 *
 * The tree is typed against the table's columns first, so a mistake is reported in the user's
 * words (the expression and the column), never as DuckDB's complaint about generated SQL. The SQL
 * keeps the grammar's meaning: NaN counts as missing, log/sqrt of a bad value is missing (not a
 * DuckDB error), round() rounds half up as JavaScript does.
 */
import { FlowlineError, type ColumnSchema } from '../spec/index.ts';
import { FUNCTIONS, type ExpressionNode } from '../spec/expression.ts';
import { ident } from './engine.ts';

type SqlType = 'number' | 'text' | 'bool' | 'date' | 'timestamp';

interface Typed {
  sql: string;
  type: SqlType;
  /** The column this value is (for messages). */
  column?: string;
  /** A text literal (and its parameter number), which can stand for a date when compared with one. */
  literal?: { text: string; param: number };
}

export interface ExpressionSql {
  sql: string;
  /** Values for $1, $2, ... in order. */
  params: (number | string)[];
  type: SqlType;
}

const TYPE_WORDS: Record<SqlType, string> = { number: 'a number', text: 'text', bool: 'true/false', date: 'a date', timestamp: 'a date-time' };
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/**
 * Emit SQL for `node` over a table with `columns`. `label` names the expression in errors
 * (expressionLabel('Filter', text)). Throws EXPRESSION_ERROR / COLUMN_NOT_FOUND FlowlineErrors.
 */
export function expressionToSql(node: ExpressionNode, columns: readonly ColumnSchema[], label: string): ExpressionSql {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const params: (number | string)[] = [];
  const bind = (v: number | string, cast: string) => {
    params.push(v);
    return `CAST($${params.length} AS ${cast})`;
  };
  const paramCount = () => params.length;
  const fail = (message: string, column?: string, hint?: string): never => {
    throw new FlowlineError({ code: 'EXPRESSION_ERROR', message: `${label}: ${message}`, column, hint });
  };
  const describe = (x: Typed) => (x.column !== undefined ? `column '${x.column}' (${TYPE_WORDS[x.type]})` : TYPE_WORDS[x.type]);

  /** A number where a number is needed (true/false count as 1/0, as in Formula Column). */
  const asNumber = (x: Typed, what: string): string => {
    if (x.type === 'number') return x.sql;
    if (x.type === 'bool') return `CAST(${x.sql} AS DOUBLE)`;
    return fail(`${what} needs numbers, but ${describe(x)} is not a number.`, x.column);
  };
  /** A condition where one is needed (a number is true when not 0, as in Formula Column). */
  const asBool = (x: Typed, what: string): string => {
    if (x.type === 'bool') return x.sql;
    if (x.type === 'number') return `(${x.sql} <> 0)`;
    return fail(`${what} needs a true/false condition, but ${describe(x)} is not one.`, x.column);
  };

  /** Two values made comparable: numbers with numbers, text with text, dates with dates (or date text). */
  const comparable = (a: Typed, b: Typed, op: string): [string, string] => {
    const time = (x: Typed): x is Typed & { type: 'date' | 'timestamp' } => x.type === 'date' || x.type === 'timestamp';
    if (time(a) && b.literal !== undefined) return [a.sql, dateLiteral(b, a.type)];
    if (time(b) && a.literal !== undefined) return [dateLiteral(a, b.type), b.sql];
    if (time(a) && time(b)) return [a.sql, b.sql];
    const numeric = (x: Typed) => x.type === 'number' || x.type === 'bool';
    if (numeric(a) && numeric(b)) return a.type === b.type ? [a.sql, b.sql] : [asNumber(a, op), asNumber(b, op)];
    if (a.type === 'text' && b.type === 'text') return [a.sql, b.sql];
    const column = a.column ?? b.column;
    return fail(`'${op}' compares ${describe(a)} with ${describe(b)}; compare values of the same kind.`, column, a.type === 'text' || b.type === 'text' ? "Put text in quotes ('Paris'), and numbers without." : undefined);
  };
  const dateLiteral = (x: Typed, type: 'date' | 'timestamp'): string => {
    const { text, param } = x.literal!;
    if (!(type === 'date' ? DATE_TEXT : TIMESTAMP_TEXT).test(text) || Number.isNaN(Date.parse(text.replace(' ', 'T')))) {
      fail(`'${text}' is not a ${type === 'date' ? 'date' : 'date-time'}.`, undefined, type === 'date' ? "Write dates as '2024-01-31'." : "Write date-times as '2024-01-31 13:45:00'.");
    }
    return `CAST($${param} AS ${type === 'date' ? 'DATE' : 'TIMESTAMP'})`;
  };
  const sameType = (parts: Typed[], what: string): SqlType => {
    const first = parts[0];
    for (const x of parts.slice(1)) {
      if (x.type !== first.type && !(x.type === 'number' && first.type === 'bool') && !(x.type === 'bool' && first.type === 'number')) {
        fail(`${what} mixes ${describe(first)} with ${describe(x)}.`, x.column ?? first.column);
      }
    }
    return parts.some((x) => x.type === 'number') && parts.some((x) => x.type === 'bool') ? 'number' : first.type;
  };
  const unify = (parts: Typed[], type: SqlType) => parts.map((x) => (type === 'number' ? asNumber(x, 'this') : x.sql));

  const emit = (n: ExpressionNode): Typed => {
    switch (n.t) {
      case 'num':
        return { sql: bind(n.v, 'DOUBLE'), type: 'number' };
      case 'bool':
        return { sql: n.v ? 'TRUE' : 'FALSE', type: 'bool' };
      case 'str': {
        if (n.quote === '"' && byName.has(n.v)) {
          fail(`"${n.v}" is text in double quotes, but there is a column of that name.`, n.v, `Put column names in backticks: \`${n.v}\`; text goes in quotes.`);
        }
        const sql = bind(n.v, 'VARCHAR');
        return { sql, type: 'text', literal: { text: n.v, param: paramCount() } };
      }
      case 'col': {
        const col = byName.get(n.name);
        if (!col) {
          const known = columns.map((c) => c.name).filter((c) => !c.startsWith('__'));
          throw new FlowlineError({
            code: 'COLUMN_NOT_FOUND',
            column: n.name,
            message: `${label}: there is no column '${n.name}'.`,
            hint: `Columns here: ${known.slice(0, 12).join(', ')}. Put names with spaces or symbols in backticks: \`my column\`.`,
          });
        }
        return columnValue(col, fail);
      }
      case 'un': {
        const a = emit(n.a);
        return n.op === '-' ? { sql: `(- ${asNumber(a, "'-'")})`, type: 'number' } : { sql: `(NOT ${asBool(a, "'not'")})`, type: 'bool' };
      }
      case 'bin': {
        const a = emit(n.a);
        const b = emit(n.b);
        switch (n.op) {
          case 'and':
          case 'or':
            return { sql: `(${asBool(a, `'${n.op}'`)} ${n.op.toUpperCase()} ${asBool(b, `'${n.op}'`)})`, type: 'bool' };
          case '^':
            return { sql: noNaN(`power(${asNumber(a, "'^'")}, ${asNumber(b, "'^'")})`), type: 'number' };
          case '+':
          case '-':
          case '*':
          case '/':
          case '%':
            // DuckDB gives missing for x / 0 and x % 0 (JavaScript: Infinity / NaN): missing either way in a filter.
            return { sql: noNaN(`(${asNumber(a, `'${n.op}'`)} ${n.op} ${asNumber(b, `'${n.op}'`)})`), type: 'number' };
          default: {
            const [l, r] = comparable(a, b, n.op === '==' ? '=' : n.op);
            const op = n.op === '==' ? '=' : n.op === '!=' ? '<>' : n.op;
            return { sql: `(${l} ${op} ${r})`, type: 'bool' };
          }
        }
      }
      case 'in': {
        const a = emit(n.a);
        const pairs = n.list.map((x) => comparable(a, emit(x), 'in'));
        return { sql: `(${pairs[0][0]} ${n.not ? 'NOT IN' : 'IN'} (${pairs.map((p) => p[1]).join(', ')}))`, type: 'bool' };
      }
      case 'call':
        return call(n.fn, n.args.map(emit));
    }
  };

  const call = (fn: string, args: Typed[]): Typed => {
    const arity = FUNCTIONS[fn];
    if (!arity) fail(`unknown function '${fn}'.`, undefined, `Functions: ${Object.keys(FUNCTIONS).join(', ')}.`);
    const num = (i: number) => asNumber(args[i], `${fn}()`);
    switch (fn) {
      case 'log': {
        const x = num(0);
        return { sql: `(CASE WHEN ${x} > 0 THEN ln(${x}) WHEN ${x} = 0 THEN CAST('-inf' AS DOUBLE) END)`, type: 'number' };
      }
      case 'sqrt': {
        const x = num(0);
        return { sql: `(CASE WHEN ${x} >= 0 THEN sqrt(${x}) END)`, type: 'number' };
      }
      case 'exp':
      case 'abs':
      case 'floor':
      case 'ceil':
        return { sql: `${fn}(${num(0)})`, type: 'number' };
      case 'round': {
        // JavaScript's Math.round (half up), as Formula Column computes it.
        const scale = args[1] ? `power(10, ${num(1)})` : '1';
        return { sql: `(floor(${num(0)} * ${scale} + 0.5) / ${scale})`, type: 'number' };
      }
      case 'min':
      case 'max': {
        const xs = args.map((_, i) => num(i));
        // least/greatest skip NULLs; the grammar says a missing input makes the result missing.
        return { sql: `(CASE WHEN ${xs.map((x) => `${x} IS NULL`).join(' OR ')} THEN NULL ELSE ${fn === 'min' ? 'least' : 'greatest'}(${xs.join(', ')}) END)`, type: 'number' };
      }
      case 'if': {
        const cond = asBool(args[0], 'if()');
        const type = sameType([args[1], args[2]], 'if()');
        const [a, b] = unify([args[1], args[2]], type);
        return { sql: `(CASE WHEN ${cond} THEN ${a} WHEN NOT ${cond} THEN ${b} END)`, type };
      }
      case 'is_missing':
        return { sql: `(${args[0].sql} IS NULL)`, type: 'bool' };
      case 'coalesce': {
        const type = sameType(args, 'coalesce()');
        return { sql: `coalesce(${unify(args, type).join(', ')})`, type };
      }
    }
    return fail(`unknown function '${fn}'.`);
  };

  const out = emit(node);
  return { sql: out.sql, params, type: out.type };
}

/** NaN is missing in the grammar; DuckDB orders NaN above every number (NaN > 1 is true). */
function noNaN(sql: string): string {
  return `nullif(${sql}, CAST('NaN' AS DOUBLE))`;
}

/** A column as a typed SQL value; NaN in a float column is missing, as in the grammar. */
function columnValue(col: ColumnSchema, fail: (message: string, column?: string) => never): Typed {
  const name = ident(col.name);
  switch (col.type) {
    case 'number':
      return { sql: /^(DOUBLE|FLOAT|REAL)/i.test(col.dbType ?? '') ? noNaN(name) : `CAST(${name} AS DOUBLE)`, type: 'number', column: col.name };
    case 'integer':
      return { sql: `CAST(${name} AS DOUBLE)`, type: 'number', column: col.name };
    case 'boolean':
      return { sql: name, type: 'bool', column: col.name };
    case 'string':
      return { sql: name, type: 'text', column: col.name };
    case 'date':
      return { sql: name, type: 'date', column: col.name };
    case 'timestamp':
      return { sql: name, type: 'timestamp', column: col.name };
    default:
      return fail(`column '${col.name}' holds ${col.dbType ?? 'values'} that an expression cannot use.`, col.name);
  }
}
