/**
 * CSV → table, on DuckDB's read_csv. DuckDB sniffs the dialect and the column types; every row it
 * cannot read is recorded (store_rejects) and turned into a CSV_PARSE error naming the line, so a
 * bad file never loads half-way or silently loses rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { rm } from 'node:fs/promises';
import { stat } from 'node:fs/promises';
import { FlowlineError, type ColumnSchema, type KnownTable, type RunContext, type TableRef } from '../spec/index.ts';
import { ident, literal, withConnection } from './engine.ts';
import { duckdbMessage } from './errors.ts';
import { checkTextFile, headBytes, resolveDataPath } from './files.ts';
import { columnType, writeTableOn } from './tables.ts';

export type CsvColumnType = 'number' | 'integer' | 'string' | 'boolean' | 'date' | 'timestamp';

export interface CsvOptions {
  path: string;
  /** 'auto' or the separator itself (",", ";", "\t", "|"...). */
  delimiter?: string;
  /** 'auto' or the quote character. */
  quote?: string;
  header?: 'auto' | 'yes' | 'no';
  /** Extra spellings of a missing value ("NA", "-"); the empty field is always missing. */
  missing?: string[];
  /** Force a column's type instead of detecting it. */
  types?: Record<string, CsvColumnType>;
  /** Lines to skip at the top of the file, before the header. */
  skipLines?: number;
  /** Decimal separator for numbers: "." or ",". */
  decimal?: '.' | ',';
  /** What to do with rows that cannot be read: stop with an error (default) or skip them (logged). */
  badLines?: 'error' | 'skip';
}

const DB_TYPE: Record<CsvColumnType, string> = {
  number: 'DOUBLE',
  integer: 'BIGINT',
  string: 'VARCHAR',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

const CANDIDATES = [',', ';', '\t', '|'];

/** The separator that splits the header line most, counting outside double quotes. */
export function guessDelimiter(text: string): string | null {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  let best: string | null = null;
  let bestCount = 0;
  for (const c of CANDIDATES) {
    let count = 0;
    let quoted = false;
    for (const ch of first) {
      if (ch === '"') quoted = !quoted;
      else if (ch === c && !quoted) count++;
    }
    if (count > bestCount) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}

interface Reject {
  line: number;
  column: string | null;
  type: string;
  text: string;
  message: string;
}

function describeReject(r: Reject, shown: string): string {
  const where = `Line ${r.line} of "${shown}"`;
  const excerpt = r.text.length > 80 ? `${r.text.slice(0, 77)}...` : r.text;
  switch (r.type) {
    case 'MISSING COLUMNS':
    case 'TOO MANY COLUMNS': {
      const m = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(r.message);
      return m ? `${where} has ${m[2]} fields but the header has ${m[1]}: ${excerpt}` : `${where} has the wrong number of fields: ${excerpt}`;
    }
    case 'CAST': {
      const m = /Could not convert string "([^"]*)" to '([A-Z]+)'/.exec(r.message);
      const what = m ? `"${m[1]}" is not a valid ${friendlyType(m[2])}` : r.message;
      return `${where}: ${what} in column "${r.column}".`;
    }
    case 'UNQUOTED VALUE':
      return `${where} has a quote character in the middle of an unquoted field: ${excerpt}`;
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return `${where} is not valid UTF-8 text.`;
    default:
      return `${where} could not be read (${r.type.toLowerCase()}): ${excerpt}`;
  }
}

function friendlyType(db: string): string {
  if (/INT/.test(db)) return 'whole number';
  if (/DOUBLE|FLOAT|DECIMAL/.test(db)) return 'number';
  if (db === 'DATE') return 'date';
  if (db.startsWith('TIMESTAMP')) return 'date and time';
  if (db === 'BOOLEAN') return 'true/false value';
  return db.toLowerCase();
}

function csvArgs(o: CsvOptions, delim: string | null, types: Record<string, string>): string {
  const args: string[] = [];
  if (delim) args.push(`delim=${literal(delim)}`);
  if (o.quote && o.quote !== 'auto') args.push(`quote=${literal(o.quote)}`);
  if (o.header === 'yes') args.push('header=true');
  if (o.header === 'no') args.push('header=false');
  if (o.missing?.length) args.push(`nullstr=${literal(['', ...o.missing])}`);
  if (o.skipLines) args.push(`skip=${Math.max(0, Math.floor(o.skipLines))}`);
  if (o.decimal === ',') args.push(`decimal_separator=','`);
  const typeEntries = Object.entries(types);
  if (typeEntries.length) args.push(`types={${typeEntries.map(([k, v]) => `${literal(k)}: ${literal(v)}`).join(', ')}}`);
  return args.map((a) => ', ' + a).join('');
}

/** Load a CSV file as a new table (ROW_IDs 0..n-1 in file order, empty recipe). */
export async function loadCsv(ctx: RunContext, options: CsvOptions, port = 'table'): Promise<TableRef> {
  // "\t" or "tab" typed into the inspector mean the tab character.
  const o = /^(\\t|tab)$/i.test(options.delimiter ?? '') ? { ...options, delimiter: '\t' } : options;
  const shown = o.path;
  const abs = resolveDataPath(ctx, o.path);
  const head = await checkTextFile(ctx, abs, shown, 'CSV');
  const fail = (message: string, extra: Partial<FlowlineError> = {}, hint?: string) =>
    new FlowlineError({ code: 'CSV_PARSE', nodeId: ctx.nodeId, file: shown, message, hint, ...extra });

  return withConnection(async (con) => {
    const sniffed = await sniff(con, abs, o, head);
    const names = sniffed.columns.map((c) => c.name);
    for (const k of Object.keys(o.types ?? {})) {
      if (names.length && !names.includes(k)) {
        throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', nodeId: ctx.nodeId, file: shown, column: k, message: `Column types name "${k}", which is not a column of "${shown}".`, hint: `Columns are: ${names.join(', ')}.` });
      }
    }
    // DuckDB rounds "2.5" silently in a column it guessed (from the first rows) to hold whole
    // numbers. So such columns are parsed as DOUBLE and narrowed to BIGINT while writing, with an
    // error() on the first value that is not whole: then that column stays DOUBLE (one more pass,
    // only in that rare case).
    const userInteger = new Set(Object.entries(o.types ?? {}).filter(([, v]) => v === 'integer').map(([k]) => k));
    const asDouble = new Set([...sniffed.columns.filter((c) => /INT/.test(c.type) && !(o.types && c.name in o.types)).map((c) => c.name), ...userInteger]);
    const whole = new Set(asDouble);
    for (let attempt = 0; ; attempt++) {
      const rt = `rejects_${process.pid}_${attempt}_${Date.now().toString(36)}`;
      const read = readCsvSql(abs, o, sniffed, asDouble, rt);
      const narrow = [...whole].map(
        (c) => `CASE WHEN ${ident(c)} IS NULL OR (${ident(c)} = trunc(${ident(c)}) AND abs(${ident(c)}) < 9.0e15) THEN CAST(${ident(c)} AS BIGINT) ELSE error(${literal(NOT_WHOLE + c)}) END AS ${ident(c)}`,
      );
      let table: TableRef;
      try {
        table = await writeTableOn(con, ctx, `SELECT * ${narrow.length ? `REPLACE (${narrow.join(', ')})` : ''} FROM ${read}`, { port, newRowIds: true });
      } catch (e) {
        ctx.throwIfCancelled();
        const msg = duckdbMessage(e);
        const at = msg.indexOf(NOT_WHOLE);
        if (at >= 0) {
          const column = msg.slice(at + NOT_WHOLE.length).split('\n')[0].trim();
          if (userInteger.has(column)) {
            const bad = (await con.runAndReadAll(`SELECT n, v FROM (SELECT row_number() OVER () AS n, ${ident(column)} AS v FROM ${readCsvSql(abs, o, sniffed, new Set([column]), null)}) WHERE v <> trunc(v) LIMIT 1`)).getRowsJS()[0];
            throw fail(`Column "${column}" is set to whole numbers, but data row ${bad ? Number(bad[0]) : '?'} of "${shown}" holds ${bad ? bad[1] : 'a decimal'}.`, { column }, `Set the type of "${column}" to number, or fix the value.`);
          }
          if (whole.delete(column) && attempt < 20) {
            ctx.log(`Column "${column}" holds decimals further down the file; reading it as numbers.`);
            continue;
          }
        }
        const line = /line (\d+)/i.exec(msg);
        throw fail(`"${shown}" could not be read as CSV: ${msg.split('\n')[0]}`, line ? { line: Number(line[1]) } : {}, 'Check the delimiter, quote and header settings of the node.');
      }
      const rejects = (await con.runAndReadAll(`SELECT line, column_name, error_type, csv_line, error_message FROM ${rt} ORDER BY line LIMIT 5`)).getRowsJS().map(
        (r): Reject => ({ line: Number(r[0]), column: r[1] === null ? null : String(r[1]), type: String(r[2]), text: String(r[3] ?? ''), message: String(r[4] ?? '') }),
      );
      if (rejects.length) {
        const total = Number((await con.runAndReadAll(`SELECT count(*) FROM ${rt}`)).getRowsJS()[0][0]);
        if (o.badLines === 'skip') {
          ctx.log(`Skipped ${total} line(s) of "${shown}" that could not be read, e.g. ${rejects.slice(0, 3).map((r) => describeReject(r, shown)).join(' ')}`);
        } else {
          await rm(table.path, { force: true });
          const first = rejects[0];
          const more = total > 1 ? ` (${total - 1} more bad line${total > 2 ? 's' : ''} after it)` : '';
          const hint =
            first.type === 'CAST'
              ? `Fix the value, or set the type of "${first.column}" to string in the node's column types; or choose "skip bad lines".`
              : 'Fix the line (a missing or extra separator, or an unclosed quote), check the delimiter and "lines to skip" settings, or choose "skip bad lines".';
          throw fail(describeReject(first, shown) + more, { line: first.line, column: first.column ?? undefined }, hint);
        }
      }
      if (table.rowCount === 0) {
        await rm(table.path, { force: true });
        if (rejects.length) throw new FlowlineError({ code: 'NO_ROWS', nodeId: ctx.nodeId, file: shown, message: `No line of "${shown}" could be read.`, hint: describeReject(rejects[0], shown) });
        throw new FlowlineError({ code: 'NO_ROWS', nodeId: ctx.nodeId, file: shown, message: `"${shown}" has a header but no data rows.`, hint: 'Add rows to the file, or check the "lines to skip" setting.' });
      }
      return table;
    }
  }, ctx.signal);
}

const NOT_WHOLE = 'flowline:not-whole:';

/** Files up to this size also have their category columns' distinct values counted when described. */
const COUNT_DISTINCT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * A CSV file's columns as loadCsv would make them, without loading it: DuckDB's sniffer reads a
 * sample of the file for the header and types (whole-number columns are BIGINT, as loadCsv
 * narrows them; forced types win). For a file up to 32 MB, the text, yes/no and whole-number
 * columns' distinct values are counted too (one pass), so a task can be checked against the
 * target's classes. Undefined when the sniffer cannot tell (a ragged file: the run says why).
 */
export async function describeCsv(abs: string, options: Omit<CsvOptions, 'path' | 'badLines'>): Promise<KnownTable | undefined> {
  const o: CsvOptions = /^(\\t|tab)$/i.test(options.delimiter ?? '') ? { ...options, path: abs, delimiter: '\t' } : { ...options, path: abs };
  const head = (await headBytes(abs, 65536)).toString('utf8');
  return withConnection(async (con) => {
    const sniffed = await sniff(con, abs, o, head);
    if (!sniffed.dialect || !sniffed.columns.length) return undefined;
    const columns: ColumnSchema[] = sniffed.columns.map((c) => {
      const forced = o.types?.[c.name];
      const dbType = forced ? DB_TYPE[forced] : /INT/.test(c.type) ? 'BIGINT' : c.type;
      return { name: c.name, type: columnType(dbType), dbType };
    });
    const counted = columns.filter((c) => c.type === 'string' || c.type === 'boolean' || c.type === 'integer');
    if (!counted.length || (await stat(abs)).size > COUNT_DISTINCT_MAX_BYTES) return { columns };
    const asDouble = new Set(sniffed.columns.filter((c) => /INT/.test(c.type) && !o.types?.[c.name]).map((c) => c.name));
    try {
      const row = (await con.runAndReadAll(`SELECT ${counted.map((c) => `count(DISTINCT ${ident(c.name)})`).join(', ')} FROM ${readCsvSql(abs, o, sniffed, asDouble, null)}`)).getRowsJS()[0];
      return { columns, distinct: Object.fromEntries(counted.map((c, i) => [c.name, Number(row[i])])) };
    } catch {
      return { columns }; // a bad line: the run names it
    }
  });
}

/**
 * The read_csv call: with the sniffed dialect and columns spelled out (auto_detect off, so DuckDB
 * does not sniff again when it binds and runs the query), or, when the sniffer gave up, with
 * auto-detection and our guessed separator. Columns in `asDouble` are parsed as DOUBLE.
 */
function readCsvSql(abs: string, o: CsvOptions, s: Sniffed, asDouble: Set<string>, rejectsTable: string | null): string {
  const rejects = rejectsTable ? `, store_rejects=true, rejects_table=${literal(rejectsTable)}, rejects_scan=${literal(rejectsTable + '_scan')}, rejects_limit=1000` : '';
  const userTypes: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.types ?? {})) userTypes[k] = DB_TYPE[v];
  const typeOf = (name: string, sniffedType: string) => (asDouble.has(name) ? 'DOUBLE' : (userTypes[name] ?? sniffedType));
  if (!s.dialect || !s.columns.length) {
    const types: Record<string, string> = { ...userTypes };
    for (const c of asDouble) types[c] = 'DOUBLE';
    const fallback = s.fallback ? `${o.header === 'no' || o.header === 'yes' ? '' : ', header=true'}${o.skipLines ? '' : ', skip=0'}` : '';
    return `read_csv(${literal(abs)}${csvArgs(o, s.delimiter, types)}${fallback}${rejects})`;
  }
  const d = s.dialect;
  const args = [
    'auto_detect=false',
    `delim=${literal(o.delimiter && o.delimiter !== 'auto' ? o.delimiter : d.delimiter)}`,
    `quote=${literal(o.quote && o.quote !== 'auto' ? o.quote : d.quote)}`,
    `escape=${literal(d.escape)}`,
    `skip=${d.skip}`,
    `header=${d.header}`,
    `columns={${s.columns.map((c) => `${literal(c.name)}: ${literal(typeOf(c.name, c.type))}`).join(', ')}}`,
  ];
  if (d.comment) args.push(`comment=${literal(d.comment)}`);
  if (d.dateFormat) args.push(`dateformat=${literal(d.dateFormat)}`);
  if (d.timestampFormat) args.push(`timestampformat=${literal(d.timestampFormat)}`);
  if (o.missing?.length) args.push(`nullstr=${literal(['', ...o.missing])}`);
  if (o.decimal === ',') args.push(`decimal_separator=','`);
  return `read_csv(${literal(abs)}, ${args.join(', ')}${rejects})`;
}

interface Sniffed {
  delimiter: string | null;
  columns: { name: string; type: string }[];
  /** The sniffer could not be trusted: read with our separator, the header on the first line, and let DuckDB report bad lines. */
  fallback?: boolean;
  /** Everything needed to read without auto-detection; null when the sniffer gave up. */
  dialect: { delimiter: string; quote: string; escape: string; comment: string; skip: number; header: boolean; dateFormat: string | null; timestampFormat: string | null } | null;
}

const unempty = (v: unknown) => (v === null || v === undefined || v === '(empty)' ? '' : String(v));

/** DuckDB's sniffer, except that a ragged file can fool it into one column: then split the header by the likeliest separator. */
async function sniff(con: DuckDBConnection, abs: string, o: CsvOptions, head: string): Promise<Sniffed> {
  const userDelim = o.delimiter && o.delimiter !== 'auto' ? o.delimiter : null;
  const attempt = async (delim: string | null, strict: boolean): Promise<Sniffed | null> => {
    try {
      const r = (await con.runAndReadAll(`SELECT Delimiter, Quote, Escape, Comment, SkipRows, HasHeader, Columns, DateFormat, TimestampFormat FROM sniff_csv(${literal(abs)}${csvArgs(o, delim, {})}${strict ? '' : ', strict_mode=false'})`)).getRowObjectsJS()[0];
      const columns = (r.Columns as { name: string; type: string }[]).map((c) => ({ name: String(c.name), type: String(c.type) }));
      const delimiter = unempty(r.Delimiter);
      return {
        delimiter,
        columns,
        dialect: {
          delimiter,
          quote: unempty(r.Quote),
          escape: unempty(r.Escape),
          comment: unempty(r.Comment),
          skip: Number(r.SkipRows ?? 0),
          header: Boolean(r.HasHeader),
          dateFormat: r.DateFormat ? String(r.DateFormat) : null,
          timestampFormat: r.TimestampFormat ? String(r.TimestampFormat) : null,
        },
      };
    } catch {
      return null;
    }
  };
  const userSkip = o.skipLines ?? 0;
  const strict = await attempt(userDelim, true);
  // The sniffer may decide to skip leading lines it finds odd: never drop lines silently.
  if (strict && strict.dialect!.skip === userSkip && (strict.columns.length > 1 || userDelim)) return strict;
  // A ragged file fails the strict sniff (or reads as one column). Sniff leniently, but trust the
  // result only if it agrees with the header line; otherwise let read_csv detect the rest with our
  // separator and report the bad lines.
  const guess = userDelim ?? guessDelimiter(head);
  if (!guess) return strict ?? { delimiter: null, columns: [], dialect: null };
  const lenient = await attempt(guess, false);
  const firstLine = head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (lenient && lenient.dialect!.skip === userSkip && lenient.dialect!.header && lenient.columns.length === fieldCount(firstLine, guess)) return lenient;
  return { delimiter: guess, columns: [], dialect: null, fallback: true };
}

/** Fields in one line split by `delim`, outside double quotes. */
function fieldCount(line: string, delim: string): number {
  let n = 1;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delim && !quoted) n++;
  }
  return n;
}
