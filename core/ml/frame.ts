/**
 * An in-memory column frame: what recipe steps fit on and transform. Numbers (and booleans,
 * dates, timestamps) are Float64Array with NaN for missing; dates/timestamps are epoch
 * milliseconds (UTC). Text is an array of strings with null for missing.
 *
 * Frames are treated as immutable: a step returns a new frame that shares the columns it did not
 * touch, so replaying a recipe never copies untouched columns.
 */
import { createHash } from 'node:crypto';
import { FlowlineError, type ColumnType } from '../spec/index.ts';
import type { Matrix } from './learners/types.ts';

export type NumericColumn = Float64Array;
export type TextColumn = (string | null)[];
export type FrameColumn = NumericColumn | TextColumn;

export interface Frame {
  rows: number;
  columns: Record<string, FrameColumn>;
  types: Record<string, ColumnType>;
}

export interface NewColumn {
  name: string;
  type: ColumnType;
  values: FrameColumn;
}

const NUMERIC_TYPES: ReadonlySet<ColumnType> = new Set(['number', 'integer', 'boolean', 'date', 'timestamp']);

/** Does this column type live in a Float64Array? */
export function isNumericType(type: ColumnType): boolean {
  return NUMERIC_TYPES.has(type);
}

export function columnNames(frame: Frame): string[] {
  return Object.keys(frame.columns);
}

export function makeFrame(columns: NewColumn[], rows?: number): Frame {
  const frame: Frame = { rows: rows ?? (columns[0]?.values.length ?? 0), columns: {}, types: {} };
  for (const c of columns) {
    if (c.values.length !== frame.rows) throw new Error(`column ${c.name}: ${c.values.length} values, frame has ${frame.rows} rows`);
    frame.columns[c.name] = c.values;
    frame.types[c.name] = c.type;
  }
  return frame;
}

/** Build a frame from plain JS arrays (tests, the Code node): numbers → Float64Array, else text. */
export function frameFromArrays(data: Record<string, ArrayLike<unknown>>): Frame {
  const cols: NewColumn[] = [];
  for (const [name, values] of Object.entries(data)) {
    const arr = Array.from(values);
    const numeric = arr.every((v) => v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean');
    if (numeric) {
      const out = new Float64Array(arr.length);
      let allInt = true;
      const bool = arr.length > 0 && arr.every((v) => v === null || v === undefined || typeof v === 'boolean');
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        out[i] = v === null || v === undefined ? NaN : Number(v);
        if (!Number.isNaN(out[i]) && !Number.isInteger(out[i])) allInt = false;
      }
      cols.push({ name, type: bool ? 'boolean' : allInt ? 'integer' : 'number', values: out });
    } else {
      cols.push({ name, type: 'string', values: arr.map((v) => (v === null || v === undefined ? null : String(v))) });
    }
  }
  return makeFrame(cols);
}

function notFound(name: string, frame: Frame, who: string): FlowlineError {
  const have = columnNames(frame).filter((c) => !c.startsWith('__')).slice(0, 12).join(', ');
  return new FlowlineError({
    code: 'COLUMN_NOT_FOUND',
    message: `${who}: there is no column '${name}'.`,
    hint: `Columns here: ${have || '(none)'}. Pick one of them, or check that an earlier step did not rename or drop it.`,
    column: name,
  });
}

export function hasColumn(frame: Frame, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(frame.columns, name);
}

export function getColumn(frame: Frame, name: string, who = 'Recipe'): FrameColumn {
  if (!hasColumn(frame, name)) throw notFound(name, frame, who);
  return frame.columns[name];
}

/** A numeric column, or a COLUMN_TYPE error that says what to do. */
export function numericColumn(frame: Frame, name: string, who = 'Recipe', advice = 'encode it first with Encode Categories, or remove it from the column list'): NumericColumn {
  const col = getColumn(frame, name, who);
  if (!(col instanceof Float64Array)) {
    throw new FlowlineError({
      code: 'COLUMN_TYPE',
      message: `${who}: column '${name}' is text. This step needs numbers — ${advice}.`,
      column: name,
    });
  }
  return col;
}

/** A column's values as text keys (numbers formatted with String(), NaN → null). */
export function textKeys(frame: Frame, name: string, who = 'Recipe'): TextColumn {
  const col = getColumn(frame, name, who);
  if (!(col instanceof Float64Array)) return col;
  const out: TextColumn = new Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = Number.isNaN(col[i]) ? null : String(col[i]);
  return out;
}

/**
 * A new frame: `remove` columns dropped, `add` columns set. A column that is both removed and
 * added keeps its position; new columns go where the first removed column was (else at the end).
 */
export function withColumns(frame: Frame, add: NewColumn[], remove: string[] = []): Frame {
  const removeSet = new Set(remove);
  const addByName = new Map(add.map((c) => [c.name, c]));
  const out: Frame = { rows: frame.rows, columns: {}, types: {} };
  let inserted = false;
  const insertNew = () => {
    for (const c of add) {
      if (hasColumn(out, c.name)) continue;
      if (hasColumn(frame, c.name) && !removeSet.has(c.name)) continue; // replaced in place below
      out.columns[c.name] = c.values;
      out.types[c.name] = c.type;
    }
    inserted = true;
  };
  for (const name of columnNames(frame)) {
    const replacement = addByName.get(name);
    if (removeSet.has(name)) {
      if (!inserted) insertNew();
      continue;
    }
    if (replacement) {
      out.columns[name] = replacement.values;
      out.types[name] = replacement.type;
    } else {
      out.columns[name] = frame.columns[name];
      out.types[name] = frame.types[name];
    }
  }
  if (!inserted) insertNew();
  for (const c of add) {
    if (c.values.length !== frame.rows) throw new Error(`column ${c.name}: ${c.values.length} values, frame has ${frame.rows} rows`);
  }
  return out;
}

/** Rows picked by index, in the index's order. */
export function selectRows(frame: Frame, index: ArrayLike<number>): Frame {
  const out: Frame = { rows: index.length, columns: {}, types: { ...frame.types } };
  for (const [name, col] of Object.entries(frame.columns)) {
    if (col instanceof Float64Array) {
      const c = new Float64Array(index.length);
      for (let i = 0; i < index.length; i++) c[i] = col[index[i]];
      out.columns[name] = c;
    } else {
      const c: TextColumn = new Array(index.length);
      for (let i = 0; i < index.length; i++) c[i] = col[index[i]];
      out.columns[name] = c;
    }
  }
  return out;
}

/** Pick the fitting rows of one column (all rows when no index). */
export function pick<T extends FrameColumn>(col: T, rowIndex?: Uint32Array): T {
  if (!rowIndex) return col;
  if (col instanceof Float64Array) {
    const out = new Float64Array(rowIndex.length);
    for (let i = 0; i < rowIndex.length; i++) out[i] = col[rowIndex[i]];
    return out as T;
  }
  const out: TextColumn = new Array(rowIndex.length);
  for (let i = 0; i < rowIndex.length; i++) out[i] = (col as TextColumn)[rowIndex[i]];
  return out as T;
}

/** Number of rows a fit sees. */
export function fitRowCount(frame: Frame, rowIndex?: Uint32Array): number {
  return rowIndex ? rowIndex.length : frame.rows;
}

/** The columns of `after` that are new or changed (by identity) relative to `before`, and those it dropped. */
export function frameChanges(before: Frame, after: Frame): { changed: Record<string, FrameColumn>; dropped: string[] } {
  const changed: Record<string, FrameColumn> = {};
  for (const [name, col] of Object.entries(after.columns)) if (before.columns[name] !== col) changed[name] = col;
  const dropped = Object.keys(before.columns).filter((n) => !(n in after.columns));
  return { changed, dropped };
}

/**
 * sha256 of a frame's content: column names in sorted order, each with its values (numbers as
 * their 8 bytes, text as UTF-8 with a NUL after each value, missing text as 0xFF). Identifies the
 * data a model was trained on, whatever file format held it.
 */
export function frameFingerprint(frame: Frame): string {
  const hash = createHash('sha256');
  hash.update(`rows:${frame.rows}\n`);
  for (const name of Object.keys(frame.columns).sort()) {
    const col = frame.columns[name];
    hash.update(`${name}\n`);
    if (col instanceof Float64Array) hash.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
    else for (const v of col) hash.update(v === null ? '\xff' : `${v}\0`);
  }
  return hash.digest('hex');
}

/** Dense row-major matrix of `features`; a text column left unencoded is a clear COLUMN_TYPE error. */
export function frameToMatrix(frame: Frame, features: string[], into?: Float64Array): Matrix {
  const p = features.length;
  const n = frame.rows;
  // Into the caller's array when it has room (a streamed loop's shared buffer), else a new one.
  const data = into && into.length >= n * p ? into.subarray(0, n * p) : new Float64Array(n * p);
  features.forEach((name, j) => {
    const col = frame.columns[name];
    if (!col) {
      throw new FlowlineError({
        code: 'COLUMN_NOT_FOUND',
        column: name,
        message: `Feature column '${name}' is not in the table after its recipe steps.`,
        hint: `Columns after the recipe: ${columnNames(frame).filter((c) => !c.startsWith('__')).slice(0, 15).join(', ')}.`,
      });
    }
    if (!(col instanceof Float64Array)) {
      throw new FlowlineError({
        code: 'COLUMN_TYPE',
        column: name,
        message: `column '${name}' is text; add Encode Categories before training.`,
        hint: `Or leave '${name}' out of the features.`,
      });
    }
    for (let i = 0; i < n; i++) data[i * p + j] = col[i];
  });
  return { data, rows: n, cols: p };
}
