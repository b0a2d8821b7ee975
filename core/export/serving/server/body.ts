/**
 * Request bodies: JSON (with a second look at Python's NaN / Infinity tokens, so they are named as
 * non-finite values of a field instead of a bare "invalid JSON"), and CSV (RFC 4180).
 */
import { NON_FINITE_MARK } from './decode.ts';
import { RequestError } from './errors.ts';

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    // json.dumps writes NaN, Infinity and -Infinity bare: read them as marked strings, and let
    // validation say which field and row hold them. Anything else is plain invalid JSON.
    const marked = markNonFinite(text);
    if (marked !== null) {
      try {
        return JSON.parse(marked);
      } catch {
        // fall through to the original message
      }
    }
    const message = (first as Error).message.replace(/^JSON\.parse: /, '');
    throw new RequestError(400, 'INVALID_JSON', `The body is not valid JSON: ${message}.`);
  }
}

const TOKENS = ['-Infinity', 'Infinity', 'NaN'];

/** The text with bare NaN/Infinity tokens outside strings quoted and marked; null when none. */
function markNonFinite(text: string): string | null {
  let out = '';
  let last = 0;
  let inString = false;
  let found = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    if (ch !== 78 /* N */ && ch !== 73 /* I */ && ch !== 45 /* - */) continue;
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (!token) continue;
    // the mark starts with a NUL, which JSON text must spell as an escape
    out += `${text.slice(last, i)}${JSON.stringify(NON_FINITE_MARK + token)}`;
    i += token.length - 1;
    last = i + 1;
    found = true;
  }
  return found ? out + text.slice(last) : null;
}

/** CSV with a header row: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): { columns: string[]; rows: string[][] } {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let line = 1;
  const n = text.length;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === '')) records.push(row);
    row = [];
  };
  while (i < n) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      endField();
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      line++;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new RequestError(400, 'INVALID_CSV', `The CSV body has a quoted field that never closes (from line ${line}).`);
  if (field !== '' || row.length) endRow();
  if (records.length === 0) throw new RequestError(400, 'INVALID_CSV', 'The CSV body is empty: send a header row of column names, then one line per row.');
  const [columns, ...rows] = records;
  rows.forEach((r, k) => {
    if (r.length !== columns.length) {
      throw new RequestError(400, 'INVALID_CSV', `CSV line ${k + 2} has ${r.length} fields, but the header has ${columns.length}.`, { row: k });
    }
  });
  return { columns: columns.map((c) => c.trim()), rows };
}
