/**
 * CSV → table, on DuckDB's read_csv. DuckDB sniffs the dialect and the column types; every row it
 * cannot read is recorded (store_rejects) and turned into a CSV_PARSE error naming the line, so a
 * bad file never loads half-way or silently loses rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { rm, stat } from 'node:fs/promises';
import { FlowlineError, type ColumnSchema, type KnownTable, type RunContext, type TableRef } from '../spec/index.ts';
import { duckdbMemoryLimit, ident, literal, withConnection } from './engine.ts';
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
  /** Decimal separator for numbers: "." or ",", or 'auto' (default): "," when a ";"-separated file writes its numbers 1,5. */
  decimal?: 'auto' | '.' | ',';
  /** Text encoding: 'auto' (default: UTF-8, or Latin-1 when the file is not valid UTF-8), 'utf-8' or 'latin-1'. */
  encoding?: 'auto' | 'utf-8' | 'latin-1';
  /** Longest line DuckDB accepts, in bytes (set when a line exceeds its 2 MB default). */
  maxLineSize?: number;
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
      if (/unterminated quote/i.test(r.message)) return `${where} opens a quoted field that is never closed: ${firstLine(excerpt)}`;
      return `${where} has a quote character in the middle of an unquoted field: ${excerpt}`;
    case 'INVALID ENCODING':
    case 'INVALID UNICODE':
      return `${where} is not valid UTF-8 text.`;
    default:
      return `${where} could not be read (${r.type.toLowerCase()}): ${excerpt}`;
  }
}

const firstLine = (text: string) => text.split(/\r?\n/)[0];

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
  args.push(...commonArgs(o));
  const typeEntries = Object.entries(types);
  if (typeEntries.length) args.push(`types={${typeEntries.map(([k, v]) => `${literal(k)}: ${literal(v)}`).join(', ')}}`);
  return args.map((a) => ', ' + a).join('');
}

/** Arguments every sniff and read takes: decimal mark, encoding, line size. */
function commonArgs(o: CsvOptions): string[] {
  const args: string[] = [];
  if (o.decimal === ',') args.push(`decimal_separator=','`);
  if (o.encoding === 'latin-1') args.push(`encoding='latin-1'`);
  if (o.maxLineSize) args.push(`max_line_size=${o.maxLineSize}`, `buffer_size=${o.maxLineSize + 1}`);
  else if (smallBuffers()) args.push(`buffer_size=${smallBuffers()}`);
  return args;
}

/** DuckDB's CSV buffer (16 × its 2 MB line limit), of which each reading thread holds one or two. */
const DEFAULT_BUFFER = 32 * 1024 * 1024;

/**
 * Under a small memory cap (FLOWLINE_DUCKDB_MEMORY below 256 MB) DuckDB's 32 MB CSV buffers do
 * not fit ("could not allocate block of size 30.5 MiB"): an eighth of the cap instead, and never
 * less than the longest line allowed. 0: the default buffers fit.
 */
function smallBuffers(): number {
  const budget = Math.floor(duckdbMemoryLimit() / 8);
  return budget >= DEFAULT_BUFFER ? 0 : Math.max(budget, 2 ** 21 + 1);
}

/** DuckDB's reader refuses a line longer than its max_line_size (2 MB unless set). */
const LINE_TOO_LONG = /Maximum line size of \d+ bytes exceeded/;
/** The longest line we let DuckDB buffer: a field larger than this is refused by name. */
const MAX_LINE_SIZE = 2 ** 30;

/** A file whose head is not valid UTF-8 (a replacement character before the last, maybe cut, character). */
const notUtf8 = (head: string) => head.slice(0, -4).includes('\uFFFD');

/** Load a CSV file as a new table (ROW_IDs 0..n-1 in file order, empty recipe). */
export async function loadCsv(ctx: RunContext, options: CsvOptions, port = 'table'): Promise<TableRef> {
  // "\t" or "tab" typed into the inspector mean the tab character.
  let o = /^(\\t|tab)$/i.test(options.delimiter ?? '') ? { ...options, delimiter: '\t' } : options;
  const shown = o.path;
  const abs = resolveDataPath(ctx, o.path);
  const head = await checkTextFile(ctx, abs, shown, 'CSV');
  if ((o.encoding ?? 'auto') === 'auto') {
    o = withEncoding(o, head);
    if (o.encoding === 'latin-1') ctx.log(`"${shown}" is not UTF-8 text: reading it as Latin-1 (set encoding to choose).`);
  }
  const size = (await stat(abs)).size;
  try {
    return await loadCsvAs(ctx, o, abs, head, size, port);
  } catch (e) {
    // A field longer than DuckDB's 2 MB line limit (a long text, an embedded document): no line
    // of a file is longer than the file, so read again allowing that much.
    if (o.maxLineSize || !LINE_TOO_LONG.test(String((e as Error).message ?? e))) throw e;
    if (size + 1 > MAX_LINE_SIZE) throw e;
    ctx.log(`"${shown}" has a line longer than 2 MB: reading it with room for lines up to the file's size.`);
    return loadCsvAs(ctx, { ...o, maxLineSize: Math.max(size + 1, 2 ** 21) }, abs, head, size, port);
  }
}

/**
 * The sniff with the decimal mark settled: "1,5" in a ";"-separated file is a number with a
 * decimal comma (most of Europe's Excel). With decimal 'auto' such columns switch the file to ","
 * (sniffed again); with "." they are only named (commaColumns) for a warning.
 */
async function sniffDecimal(con: DuckDBConnection, abs: string, o: CsvOptions, head: string): Promise<{ sniffed: Sniffed; options: CsvOptions; commaColumns: string[] }> {
  const sniffed = await sniff(con, abs, { ...o, decimal: o.decimal === ',' ? ',' : '.' }, head);
  const commaColumns = o.decimal === ',' ? [] : decimalCommaColumns(head, sniffed, o.missing ?? []);
  if (!commaColumns.length || o.decimal === '.') return { sniffed, options: { ...o, decimal: o.decimal === ',' ? ',' : '.' }, commaColumns };
  const options: CsvOptions = { ...o, decimal: ',' };
  return { sniffed: await sniff(con, abs, options, head), options, commaColumns };
}

/** 'auto' encoding settled: Latin-1 when the head is not UTF-8. */
const withEncoding = (o: CsvOptions, head: string): CsvOptions => ((o.encoding ?? 'auto') === 'auto' ? { ...o, encoding: notUtf8(head) ? 'latin-1' : 'utf-8' } : o);

async function loadCsvAs(ctx: RunContext, options: CsvOptions, abs: string, head: string, size: number, port: string): Promise<TableRef> {
  let o = options;
  const shown = o.path;
  const fail = (message: string, extra: Partial<FlowlineError> = {}, hint?: string) =>
    new FlowlineError({ code: 'CSV_PARSE', nodeId: ctx.nodeId, file: shown, message, hint, ...extra });

  return withConnection(async (con) => {
    const detected = await sniffDecimal(con, abs, o, head);
    let sniffed = detected.sniffed;
    o = detected.options;
    const commaColumns = detected.commaColumns;
    if (commaColumns.length && o.decimal === '.') {
      ctx.warn(`Column${commaColumns.length > 1 ? 's' : ''} ${commaColumns.map((c) => `"${c}"`).join(', ')} of "${shown}" hold${commaColumns.length > 1 ? '' : 's'} numbers written with a decimal comma (e.g. 1,5) and ${commaColumns.length > 1 ? 'were' : 'was'} read as text: set decimal to "," to read them as numbers.`);
    } else if (commaColumns.length) {
      ctx.log(`Reading ${commaColumns.map((c) => `"${c}"`).join(', ')} with a decimal comma (set decimal to choose).`);
    }
    // The sniffer settles on "no quote character" when a quote is never closed, and the file would
    // load with the quote and every line after it inside one field: read with '"' so the reader
    // names the line instead.
    if (sniffed.dialect && !sniffed.dialect.quote && (o.quote ?? 'auto') === 'auto' && fieldOpensQuote(head, sniffed.dialect.delimiter)) {
      sniffed = { ...sniffed, dialect: { ...sniffed.dialect, quote: '"', escape: '"' } };
    }
    const names = sniffed.columns.map((c) => c.name);
    for (const k of Object.keys(o.types ?? {})) {
      if (names.length && !names.includes(k)) {
        throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', nodeId: ctx.nodeId, file: shown, column: k, message: `Column types name "${k}", which is not a column of "${shown}".`, hint: `Columns are: ${names.join(', ')}.` });
      }
    }
    // DuckDB rounds "2.5" silently in a column it guessed (from the first rows) to hold whole
    // numbers. So such columns are parsed as DOUBLE and narrowed to BIGINT while writing, with an
    // error() on the first value that is not whole: then that column stays DOUBLE (one more pass,
    // only in that rare case). Not needed when the sniffer's sample was the whole file: then its
    // whole-number guess held for every value (and a 1,000-column file is not checked per column).
    const userInteger = new Set(Object.entries(o.types ?? {}).filter(([, v]) => v === 'integer').map(([k]) => k));
    const guessed = sniffedWholeFile(head, size) ? [] : sniffed.columns.filter((c) => /INT/.test(c.type) && !(o.types && c.name in o.types)).map((c) => c.name);
    const asDouble = new Set([...guessed, ...userInteger]);
    const whole = new Set(asDouble);
    for (let attempt = 0; ; attempt++) {
      const rt = `rejects_${process.pid}_${attempt}_${Date.now().toString(36)}`;
      const read = readCsvSql(abs, o, sniffed, asDouble, rt);
      const narrowed = (c: string) => `CASE WHEN ${ident(c)} IS NULL OR (${ident(c)} = trunc(${ident(c)}) AND abs(${ident(c)}) < 9.0e15) THEN CAST(${ident(c)} AS BIGINT) ELSE error(${literal(NOT_WHOLE + c)}) END AS ${ident(c)}`;
      // A select list rather than * REPLACE (...): DuckDB binds a long REPLACE list in quadratic time.
      const select = !whole.size
        ? '*'
        : sniffed.columns.length
          ? sniffed.columns.map((c) => (whole.has(c.name) ? narrowed(c.name) : ident(c.name))).join(', ')
          : `* REPLACE (${[...whole].map(narrowed).join(', ')})`;
      let table: TableRef;
      try {
        table = await writeTableOn(con, ctx, `SELECT ${select} FROM ${read}`, { port, newRowIds: true });
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
        if (LINE_TOO_LONG.test(msg)) {
          if (!o.maxLineSize) throw e; // loadCsv reads again with room for it
          const at = /line:? (\d+)/i.exec(msg);
          throw fail(`Line ${at?.[1] ?? '?'} of "${shown}" is longer than ${o.maxLineSize.toLocaleString('en')} bytes, the most a line may hold.`, at ? { line: Number(at[1]) } : {}, 'Check the quote setting: an unclosed quote makes the rest of the file one field.');
        }
        const line = /line (\d+)/i.exec(msg);
        throw fail(`"${shown}" could not be read as CSV: ${msg.split('\n')[0]}`, line ? { line: Number(line[1]) } : {}, 'Check the delimiter, quote and header settings of the node.');
      }
      // One line can have a reject per field (every field of a Latin-1 line is bad UTF-8): count lines.
      const rejects = (await con.runAndReadAll(`SELECT line, column_name, error_type, csv_line, error_message FROM ${rt} QUALIFY row_number() OVER (PARTITION BY line ORDER BY column_idx) = 1 ORDER BY line LIMIT 5`)).getRowsJS().map(
        (r): Reject => ({ line: Number(r[0]), column: r[1] === null ? null : String(r[1]), type: String(r[2]), text: String(r[3] ?? ''), message: String(r[4] ?? '') }),
      );
      if (rejects.length) {
        const total = Number((await con.runAndReadAll(`SELECT count(DISTINCT line) FROM ${rt}`)).getRowsJS()[0][0]);
        if (o.badLines === 'skip') {
          ctx.log(`Skipped ${total} line(s) of "${shown}" that could not be read, e.g. ${rejects.slice(0, 3).map((r) => describeReject(r, shown)).join(' ')}`);
        } else {
          await rm(table.path, { force: true });
          const first = rejects[0];
          const more = total > 1 ? ` (${total - 1} more bad line${total > 2 ? 's' : ''} after it)` : '';
          const hint =
            first.type === 'CAST'
              ? `Fix the value, or set the type of "${first.column}" to string in the node's column types; or choose "skip bad lines".`
              : /ENCODING|UNICODE/.test(first.type)
                ? 'The file may be in another encoding: set encoding to latin-1 (Windows and older Excel exports), or save it as UTF-8.'
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

/** Rows sniff_csv reads to detect the dialect and the column types (DuckDB's default sample_size). */
const SNIFF_SAMPLE_ROWS = 20_480;
/** The head checkTextFile returns: the first 64 KB. */
const HEAD_BYTES = 65_536;

/** Did the sniffer see every line? True when the head is the whole file and has no more lines than the sample. */
function sniffedWholeFile(head: string, size: number): boolean {
  if (size >= HEAD_BYTES) return false;
  let lines = 0;
  for (let i = head.indexOf('\n'); i >= 0; i = head.indexOf('\n', i + 1)) lines++;
  return lines < SNIFF_SAMPLE_ROWS;
}

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
  const tabbed: CsvOptions = /^(\\t|tab)$/i.test(options.delimiter ?? '') ? { ...options, path: abs, delimiter: '\t' } : { ...options, path: abs };
  const head = (await headBytes(abs, 65536)).toString('utf8');
  return withConnection(async (con) => {
    // Encoding and decimal mark settled as loadCsv settles them, so the columns are the run's.
    const { sniffed, options: o } = await sniffDecimal(con, abs, withEncoding(tabbed, head), head);
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
  args.push(...commonArgs(o));
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
    } catch (e) {
      if (LINE_TOO_LONG.test(String((e as Error).message ?? e))) throw e;
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

/** Fields of a line split by `delim`, outside double quotes, quotes removed. */
function splitLine(line: string, delim: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delim && !quoted) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

const DECIMAL_COMMA = /^[-+]?\d+,\d+$/;

/**
 * Text columns (as sniffed with "." as the decimal mark) whose every value in the first 64 KB of a
 * file not separated by "," is a number with a decimal comma ("1,5", "-0,25"; empty and missing
 * spellings aside), at least one of them.
 */
function decimalCommaColumns(head: string, s: Sniffed, missing: string[]): string[] {
  const delim = s.dialect?.delimiter ?? s.delimiter;
  if (!delim || delim === ',' || !s.dialect || !s.columns.length) return [];
  const text = s.columns.map((c, j) => (c.type === 'VARCHAR' ? j : -1)).filter((j) => j >= 0);
  if (!text.length) return [];
  // The last line of the head may be cut short.
  const lines = head.split(/\r?\n/).slice(s.dialect.skip + (s.dialect.header ? 1 : 0), -1).filter((l) => l.trim() !== '');
  const seen = new Map(text.map((j) => [j, 0]));
  for (const line of lines) {
    const fields = splitLine(line, delim);
    for (const j of [...seen.keys()]) {
      const v = (fields[j] ?? '').trim();
      if (v === '' || missing.includes(v)) continue;
      if (DECIMAL_COMMA.test(v)) seen.set(j, seen.get(j)! + 1);
      else seen.delete(j);
    }
  }
  return [...seen].filter(([, n]) => n > 0).map(([j]) => s.columns[j].name);
}

/** Does a field in the first 64 KB start with '"' (at a line start or after the separator)? */
function fieldOpensQuote(head: string, delim: string): boolean {
  return head.split(/\r?\n/).some((line) => line.startsWith('"') || line.includes(`${delim}"`));
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
