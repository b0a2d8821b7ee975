/**
 * Request bodies: read off the wire within the size and time limits, of an accepted type, as UTF-8
 * text; then parsed: JSON (with a second look at Python's NaN / Infinity tokens, so they are named
 * as non-finite values of a field instead of a bare "invalid JSON"), and CSV (RFC 4180).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NON_FINITE_MARK } from './decode.ts';
import { RequestError } from './errors.ts';
import type { Settings } from './settings.ts';

const TEXT_DECODER = new TextDecoder('utf-8', { fatal: true });

/** The body as text, within the size limit and the body time limit, of an accepted type (`route`: named in the 415 answer). */
export function readBody(req: IncomingMessage, res: ServerResponse, route: string, kinds: ('json' | 'csv')[], limits: Pick<Settings, 'maxBodyBytes' | 'bodyTimeoutMs'>): Promise<string> {
  const kind = contentKind(req);
  if (kind === null || !kinds.includes(kind)) {
    req.resume();
    const accepted = kinds.map((k) => (k === 'json' ? 'application/json' : 'text/csv')).join(' or ');
    return Promise.reject(new RequestError(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted on ${route}; send ${accepted} (UTF-8).`));
  }
  const max = limits.maxBodyBytes;
  const tooLarge = () => new RequestError(413, 'BODY_TOO_LARGE', `The body is larger than ${max} bytes (FLOWLINE_MAX_BODY_BYTES); send fewer rows per request.`);
  const declared = Number(req.headers['content-length']);
  if (declared > max) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (error: RequestError | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) return reject(error);
      try {
        resolve(TEXT_DECODER.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
      } catch {
        reject(new RequestError(400, 'INVALID_ENCODING', 'The body is not valid UTF-8.'));
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A small body usually comes in the same packet as its headers: the parser reads it right
    // after this request's handler returns, so by the next tick it is all here and needs no body
    // timer (a timer per request showed in the profile). Else the timer starts then.
    process.nextTick(() => {
      if (done || req.readableLength + size >= declared) return;
      timer = setTimeout(() => {
        // A slow client holds a connection: answer, then drop the connection.
        res.setHeader('connection', 'close');
        res.once('finish', () => req.destroy());
        finish(new RequestError(408, 'BODY_TIMEOUT', `The body did not arrive within ${limits.bodyTimeoutMs} ms (FLOWLINE_BODY_TIMEOUT_MS).`));
      }, limits.bodyTimeoutMs);
    });
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        return finish(tooLarge());
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish(null));
    req.on('error', () => finish(new RequestError(400, 'BODY_ABORTED', 'The request body was cut off.')));
  });
}

/** json, csv, or null for a type no scoring route takes. A missing Content-Type is read as JSON. */
export function contentKind(req: IncomingMessage): 'json' | 'csv' | null {
  const header = req.headers['content-type'];
  if (header === undefined) return 'json';
  const [type, ...params] = header.toLowerCase().split(';').map((s) => s.trim());
  const charset = params.find((p) => p.startsWith('charset='));
  if (charset && !/^charset="?utf-?8"?$/.test(charset)) return null;
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/csv') return 'csv';
  return null;
}

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
