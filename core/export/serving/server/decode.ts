/**
 * Every protocol's payload becomes one Batch: a column per model input, checked against the raw
 * column schema before the model runs. Problems are collected per field and row (up to
 * MAX_ISSUES) and answered as one 422, so a caller fixes them all in one go.
 */
import { invalidInput, MAX_ISSUES, RequestError, show, typeName, type Issue } from './errors.ts';
import type { InputColumn } from './manifest.ts';

export interface Batch {
  rows: number;
  /** Column names, in the order of `columns` (the decoding model's inputs). */
  names: string[];
  /** One array per column: numbers (NaN = missing) or text. */
  columns: (Float64Array | string[])[];
}

export interface DecodePolicy {
  unknownCategory: 'accept' | 'reject';
  extraFields: 'ignore' | 'reject';
  maxRows: number;
}

/** Marks a bare NaN / Infinity token the JSON reader let through (see json.ts). */
export const NON_FINITE_MARK = '\u0000non-finite:';

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const NON_FINITE_TEXT = /^\s*[-+]?(nan|inf|infinity)\s*$/i;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of an ISO 8601 date or timestamp; no offset means UTC (as the training data). */
export function parseDate(text: string): number {
  const t = text.trim();
  const m = ISO_DATE.exec(t);
  if (!m) return NaN;
  const withZone = m[4] ? t : m[1] ? `${t}Z` : t;
  return Date.parse(withZone.replace(' ', 'T'));
}

export class Decoder {
  readonly inputs: InputColumn[];
  readonly index: Map<string, number>;
  readonly names: string[];
  private readonly categories: (Set<string> | null)[];

  constructor(inputs: InputColumn[], readonly policy: DecodePolicy) {
    this.inputs = inputs;
    this.index = new Map(inputs.map((c, i) => [c.name, i]));
    this.names = inputs.map((c) => c.name);
    this.categories = inputs.map((c) => (c.kind === 'string' && c.categories ? new Set(c.categories) : null));
  }

  /** A builder for `rows` rows; `set` checks and stores each value. */
  start(rows: number, where: string): BatchBuilder {
    if (rows === 0) throw new RequestError(400, 'EMPTY_BATCH', `The request has no rows to score (${where} is empty).`);
    if (rows > this.policy.maxRows) {
      throw new RequestError(413, 'TOO_MANY_ROWS', `The request has ${rows} rows; this server takes at most ${this.policy.maxRows} per request (FLOWLINE_MAX_ROWS). Split it into smaller batches.`);
    }
    return new BatchBuilder(this, rows);
  }

  /** `dataframe_records`, /predict: an array of {column: value} objects. */
  fromRecords(records: unknown[], where: string): Batch {
    const b = this.start(records.length, where);
    for (let r = 0; r < records.length; r++) {
      const record = records[r];
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw new RequestError(400, 'NOT_A_RECORD', `Row ${r} of ${where} must be an object of column: value, got ${typeName(record)}.`, { row: r });
      }
      b.record(r, record as Record<string, unknown>);
    }
    return b.finish();
  }

  /** `dataframe_split`, CSV, `instances` as lists: column names plus rows of values in that order. */
  fromRows(columns: unknown, data: unknown, where: string, text = false): Batch {
    if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) {
      throw new RequestError(400, 'BAD_SHAPE', `${where} needs "columns": a list of column names.`);
    }
    if (!Array.isArray(data)) throw new RequestError(400, 'BAD_SHAPE', `${where} needs "data": a list of rows, each a list of values in the order of "columns".`);
    const b = this.start(data.length, where);
    const positions = b.columnPositions(columns as string[], 0);
    for (let r = 0; r < data.length; r++) {
      const row = data[r];
      if (!Array.isArray(row) || row.length !== columns.length) {
        throw new RequestError(400, 'BAD_SHAPE', `Row ${r} of ${where} must be a list of ${columns.length} values (one per column), got ${Array.isArray(row) ? `${row.length} values` : typeName(row)}.`, { row: r });
      }
      for (let j = 0; j < positions.length; j++) {
        const at = positions[j];
        if (at >= 0) b.set(at, r, text ? b.fromText(at, row[j] as string) : row[j]);
      }
    }
    return b.finish();
  }

  /** `inputs` as {column: [values]}, or MLServer's pd-encoded per-column tensors. */
  fromColumns(columns: Record<string, unknown>, where: string): Batch {
    const names = Object.keys(columns);
    let rows = -1;
    for (const name of names) {
      const values = columns[name];
      if (!Array.isArray(values)) throw new RequestError(400, 'BAD_SHAPE', `${where}: column "${name}" must be a list of values, got ${typeName(values)}.`, { field: name });
      if (!this.index.has(name)) continue;
      if (rows >= 0 && values.length !== rows) {
        throw new RequestError(400, 'BAD_SHAPE', `${where}: column "${name}" has ${values.length} values but other columns have ${rows}; every column needs one value per row.`, { field: name });
      }
      rows = values.length;
    }
    if (rows < 0) {
      const missing = this.inputs[0].name;
      throw invalidInput([{ code: 'MISSING_FIELD', field: missing, message: `Field "${missing}" is missing: the model reads ${this.inputs.map((c) => `"${c.name}"`).join(', ')}.` }], 1);
    }
    const b = this.start(rows, where);
    const positions = b.columnPositions(names, 0);
    for (let j = 0; j < names.length; j++) {
      const at = positions[j];
      if (at < 0) continue;
      const values = columns[names[j]] as unknown[];
      for (let r = 0; r < rows; r++) b.set(at, r, values[r]);
    }
    return b.finish();
  }

  isCategoryKnown(at: number, value: string): boolean {
    const known = this.categories[at];
    return !known || known.has(value);
  }
}

export class BatchBuilder {
  private readonly columns: (Float64Array | string[])[];
  /** Which (column, row) got a value: column `at`, row `r` at at × rows + r (one array, not one per column). */
  private readonly seen: Uint8Array;
  private readonly issues: Issue[] = [];
  private total = 0;

  constructor(private readonly decoder: Decoder, readonly rows: number) {
    this.columns = decoder.inputs.map((c) => (c.onnxType === 'double' ? new Float64Array(rows) : new Array<string>(rows)));
    this.seen = new Uint8Array(decoder.inputs.length * rows);
  }

  issue(i: Issue): void {
    this.total++;
    if (this.issues.length < MAX_ISSUES) this.issues.push(i);
  }

  /** Where each given column name goes (-1: not a model input), reporting extras when rejected. */
  columnPositions(names: string[], row: number | undefined): number[] {
    return names.map((name) => {
      const at = this.decoder.index.get(name);
      if (at !== undefined) return at;
      if (this.decoder.policy.extraFields === 'reject') {
        this.issue({ code: 'EXTRA_FIELD', field: name, row, message: `Field "${name}" is not read by the model (this server rejects extra fields; FLOWLINE_EXTRA_FIELDS=ignore drops them).` });
      }
      return -1;
    });
  }

  record(r: number, record: Record<string, unknown>): void {
    const inputs = this.decoder.inputs;
    for (let at = 0; at < inputs.length; at++) {
      const value = record[inputs[at].name];
      if (value !== undefined) this.set(at, r, value);
    }
    if (this.decoder.policy.extraFields === 'reject') {
      for (const key in record) {
        if (!this.decoder.index.has(key)) {
          this.issue({ code: 'EXTRA_FIELD', field: key, row: r, message: `Row ${r}: field "${key}" is not read by the model (this server rejects extra fields; FLOWLINE_EXTRA_FIELDS=ignore drops them).` });
        }
      }
    }
  }

  /** CSV cells arrive as text: read them by the column's kind first. */
  fromText(at: number, text: string): unknown {
    const column = this.decoder.inputs[at];
    if (text === '') return null;
    if (column.kind === 'string') return text;
    if (column.kind === 'boolean') {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      return text;
    }
    if (NON_FINITE_TEXT.test(text)) return `${NON_FINITE_MARK}${text.trim()}`;
    return NUMBER_TEXT.test(text) ? Number(text) : text;
  }

  set(at: number, r: number, value: unknown): void {
    const column = this.decoder.inputs[at];
    this.seen[at * this.rows + r] = 1;
    const out = this.columns[at];
    if (value === null) {
      if (!column.nullable) {
        this.issue({ code: 'MISSING_VALUE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" is null, and the model was trained without missing values there.` });
      } else if (out instanceof Float64Array) out[r] = NaN;
      else out[r] = '';
      return;
    }
    switch (column.kind) {
      case 'number':
      case 'integer':
        if (typeof value === 'number') {
          if (Number.isFinite(value)) (out as Float64Array)[r] = value;
          else this.issue({ code: 'NON_FINITE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" is ${value}; send a finite number, or null for a missing value.` });
        } else if (typeof value === 'string' && value.startsWith(NON_FINITE_MARK)) {
          this.issue({ code: 'NON_FINITE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" is ${value.slice(NON_FINITE_MARK.length)}; send a finite number, or null for a missing value.` });
        } else if (typeof value === 'string' && NUMBER_TEXT.test(value)) {
          this.issue({ code: 'NUMBER_AS_STRING', field: column.name, row: r, message: `Row ${r}: field "${column.name}" must be a JSON number, got the string ${show(value)}; send it without quotes.` });
        } else {
          this.issue({ code: 'WRONG_TYPE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" must be a number, got ${typeName(value)}.` });
        }
        return;
      case 'date': {
        const ms = typeof value === 'string' ? parseDate(value) : NaN;
        if (!Number.isNaN(ms)) (out as Float64Array)[r] = ms;
        else this.issue({ code: 'WRONG_TYPE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" must be an ISO 8601 date or timestamp such as "2024-05-31" or "2024-05-31T14:05:00Z", got ${typeName(value)}.` });
        return;
      }
      case 'boolean':
        if (typeof value === 'boolean') (out as Float64Array)[r] = value ? 1 : 0;
        else this.issue({ code: 'WRONG_TYPE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" must be true or false, got ${typeName(value)}.` });
        return;
      case 'string':
        if (typeof value !== 'string' || value.startsWith(NON_FINITE_MARK)) {
          this.issue({ code: 'WRONG_TYPE', field: column.name, row: r, message: `Row ${r}: field "${column.name}" must be a string, got ${typeName(typeof value === 'string' ? NaN : value)}.` });
        } else if (this.decoder.policy.unknownCategory === 'reject' && !this.decoder.isCategoryKnown(at, value)) {
          const known = column.categories ?? [];
          this.issue({
            code: 'UNKNOWN_CATEGORY',
            field: column.name,
            row: r,
            message: `Row ${r}: field "${column.name}" is ${show(value)}, a category the model never saw; known: ${known.slice(0, 8).map((k) => JSON.stringify(k)).join(', ')}${known.length > 8 ? `, … (${known.length} in all)` : ''}.`,
          });
        } else (out as string[])[r] = value;
        return;
    }
  }

  finish(): Batch {
    const inputs = this.decoder.inputs;
    for (let at = 0; at < inputs.length && this.total < MAX_ISSUES * 4; at++) {
      const first = at * this.rows;
      for (let r = 0; r < this.rows; r++) {
        if (!this.seen[first + r]) {
          this.issue({ code: 'MISSING_FIELD', field: inputs[at].name, row: r, message: `Row ${r}: field "${inputs[at].name}" is missing${inputs[at].nullable ? ' (send null for a missing value)' : ''}.` });
          break;
        }
      }
    }
    if (this.total > 0) throw invalidInput(this.issues, this.total);
    return { rows: this.rows, names: this.decoder.names, columns: this.columns };
  }
}
