/**
 * DuckDB's error messages are written for SQL programmers. These helpers turn the common ones into
 * FlowlineErrors in plain words, naming the column or file involved.
 */
import { FlowlineError, isFlowlineError, type ErrorCode, type ErrorInfo } from '../spec/index.ts';

export interface ErrorPlace {
  nodeId?: string;
  file?: string;
  /** What the user wrote, for messages: "the filter expression", "the SQL query". */
  what?: string;
  /** Code for syntax or binding errors in user-written text (default SQL_ERROR). */
  codeForUserText?: ErrorCode;
  /** Columns the user could have meant (listed in the hint of a COLUMN_NOT_FOUND). */
  columns?: string[];
}

/** First line of a DuckDB message without the "Xxx Error: " prefix. */
export function duckdbMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  return raw.replace(/^[A-Za-z ]+Error:\s*/, '').trim();
}

/** Translate anything DuckDB threw into a FlowlineError (FlowlineErrors pass through). */
export function fromDuckdb(e: unknown, place: ErrorPlace = {}): FlowlineError {
  if (isFlowlineError(e)) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const msg = duckdbMessage(e);
  const firstLine = msg.split('\n')[0];
  const base: Pick<ErrorInfo, 'nodeId' | 'file'> = { nodeId: place.nodeId, file: place.file };
  const known = place.columns?.length ? `Columns are: ${place.columns.join(', ')}.` : undefined;
  const what = place.what ?? 'the query';

  const col = /Referenced column "([^"]+)" not found|column "?([^"\s]+)"? (?:not found|does not exist)|Referenced column ([^\s]+) not found/i.exec(raw);
  if (col && /Binder Error/i.test(raw)) {
    const name = col[1] ?? col[2] ?? col[3];
    return new FlowlineError({ ...base, code: 'COLUMN_NOT_FOUND', column: name, message: `Column "${name}" used in ${what} is not in the table.`, hint: known ?? 'Check the spelling and upper/lower case of the column name.' });
  }
  if (/^(Parser|Binder|Catalog) Error/i.test(raw)) {
    return new FlowlineError({ ...base, code: place.codeForUserText ?? 'SQL_ERROR', message: `${what[0].toUpperCase()}${what.slice(1)} is not valid: ${msg}`, hint: known });
  }
  if (/^Conversion Error/i.test(raw)) {
    return new FlowlineError({ ...base, code: 'BAD_DATA', message: `A value could not be converted while running ${what}: ${firstLine}`, hint: 'Check the column types, or convert the values explicitly (e.g. TRY_CAST).' });
  }
  if (/^Out of Memory Error/i.test(raw)) {
    return new FlowlineError({ ...base, code: 'INTERNAL', message: `Ran out of memory while running ${what}.`, hint: 'Work on fewer rows or columns (sample or filter first).' });
  }
  if (/^INTERRUPT Error|Interrupted/i.test(raw)) {
    return new FlowlineError({ ...base, code: 'CANCELLED', message: 'Run cancelled.' });
  }
  return new FlowlineError({ ...base, code: place.codeForUserText ?? 'SQL_ERROR', message: `${what[0].toUpperCase()}${what.slice(1)} failed: ${msg}` });
}
