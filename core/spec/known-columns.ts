/**
 * Columns known before running. A source node reads its file's header and types cheaply (the
 * node's `describe`, run by the host); every other node says how its output tables follow from its
 * input tables and params (the node's `columns`), and compile propagates them through the graph,
 * so a misspelt column is an error when the pipeline is edited or validated, not halfway through a
 * run. What a node cannot say without the rows (one-hot's new columns) is "known after run": a
 * table either lists some columns and the name prefixes that more may have (`more`), or is not
 * known at all (undefined). A run still reports what it actually produced.
 */
import { resolveColumns, type ColumnSelection } from './columns.ts';
import type { ErrorInfo } from './errors.ts';
import type { ColumnSchema, ColumnType } from './values.ts';

export interface KnownTable {
  /** Columns known to be there, in table order. */
  columns: ColumnSchema[];
  /**
   * Columns only a run will name: any whose name starts with one of these prefixes (one-hot of
   * "island" makes "island_…"); "" = any name at all. Absent: `columns` is the whole table.
   */
  more?: string[];
  /**
   * Distinct non-missing values of some columns, counted in the source file and kept only while
   * the rows are known to hold every value (not past a filter, a sample or a random split).
   */
  distinct?: Record<string, number>;
}

/** The known table on each input port (undefined: not connected, or known only after a run). */
export type KnownInputs = Record<string, KnownTable | undefined>;

/** Output port → known table (absent or undefined: known only after a run). */
export type KnownOutputs = Record<string, KnownTable | undefined>;

/** Can `name` be a column of `t` (listed, or one a run may add)? */
export function mayHave(t: KnownTable, name: string): boolean {
  return t.columns.some((c) => c.name === name) || (t.more ?? []).some((prefix) => name.startsWith(prefix));
}

/** The same columns, with rows that may lack some values (a filter, a sample): counts are dropped. */
export function fewerRows(t: KnownTable | undefined): KnownTable | undefined {
  return t && { columns: t.columns, ...(t.more ? { more: t.more } : {}) };
}

/** `t` without the columns in `drop`. */
export function withoutColumns(t: KnownTable, drop: Iterable<string>): KnownTable {
  const gone = new Set(drop);
  return { ...withoutCounts(t, gone), columns: t.columns.filter((c) => !gone.has(c.name)) };
}

/** `t` with columns added at the end, or replaced in place (and their value counts forgotten) when the name exists. */
export function withColumns(t: KnownTable, add: ColumnSchema[]): KnownTable {
  const byName = new Map(add.map((c) => [c.name, c]));
  const columns = t.columns.map((c) => byName.get(c.name) ?? c);
  for (const c of add) if (!t.columns.some((k) => k.name === c.name)) columns.push(c);
  return { ...withoutCounts(t, [...byName.keys()]), columns };
}

/** `t` where the run may add columns named with these prefixes. */
export function withMore(t: KnownTable, prefixes: string[]): KnownTable {
  return { ...t, more: [...new Set([...(t.more ?? []), ...prefixes])] };
}

function withoutCounts(t: KnownTable, names: Iterable<string>): KnownTable {
  if (!t.distinct) return t;
  const gone = new Set(names);
  return { ...t, distinct: Object.fromEntries(Object.entries(t.distinct).filter(([k]) => !gone.has(k))) };
}

/** A column whose type a node sets (a number it computes, a code it assigns). */
export function knownColumn(name: string, type: ColumnType): ColumnSchema {
  const dbType = { number: 'DOUBLE', integer: 'BIGINT', boolean: 'BOOLEAN', string: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP', other: 'UNKNOWN' }[type];
  return { name, type, dbType };
}

/** The names a selection picks among the known columns (a selector: among those listed). */
export function knownSelection(t: KnownTable, selection: ColumnSelection, accepts?: readonly ColumnType[]): string[] {
  return resolveColumns(selection, t.columns, accepts);
}

/** `t` with these columns now of `type` (a step that rewrites them in place), their counts forgotten. */
export function retyped(t: KnownTable, names: string[], type: ColumnType): KnownTable {
  return withColumns(t, names.filter((n) => t.columns.some((c) => c.name === n)).map((n) => knownColumn(n, type)));
}

/**
 * A task the target's known column contradicts: regression on text, or binary on a column with
 * more than two classes in the rows reaching the node. Null when nothing is known against it.
 */
export function taskContradiction(t: KnownTable | undefined, target: string | undefined, task: string): ErrorInfo | null {
  const col = target ? t?.columns.find((c) => c.name === target) : undefined;
  if (!col || !target) return null;
  if (task === 'regression' && (col.type === 'string' || col.type === 'boolean')) {
    return { code: 'COLUMN_TYPE', path: ['task'], column: target, message: `Task is regression, but the target "${target}" holds ${col.type === 'string' ? 'text' : 'yes/no values'}.`, hint: 'Set task to binary or multiclass (or auto), or convert the column to numbers with Change Type.' };
  }
  const classes = t?.distinct?.[target];
  if (task === 'binary' && classes !== undefined && classes > 2) {
    return { code: 'BAD_TARGET', path: ['task'], column: target, message: `Task is binary, but the target "${target}" has ${classes} classes in the source file.`, hint: 'Set task to multiclass (or auto), or filter the rows down to two classes first.' };
  }
  return null;
}

/** A supervised node's `checkColumns`: its task against its target's known column. */
export function checkTaskAgainstTarget({ inputs, params }: { inputs: KnownInputs; params: { target?: string; task: string } }): ErrorInfo[] {
  const e = taskContradiction(inputs.table, params.target, params.task);
  return e ? [e] : [];
}

/**
 * Split Train/Test's parts: fewer rows each, so value counts are forgotten, except the stratify
 * column's — a stratified split puts every class in every part (the run refuses a class too rare
 * for that).
 */
export function splitColumns(t: KnownTable | undefined, params: { method: string; column?: string }): KnownOutputs {
  const part = fewerRows(t);
  const kept = params.method === 'stratified' && params.column !== undefined ? t?.distinct?.[params.column] : undefined;
  const each = part && kept !== undefined ? { ...part, distinct: { [params.column!]: kept } } : part;
  return { train: each, test: each, validation: each };
}

/** Select Columns: the kept columns (a list in its order; a selector in table order) or all but the dropped ones. */
export function selectedKnown(t: KnownTable, mode: 'keep' | 'drop', selection: ColumnSelection): KnownTable {
  const names = knownSelection(t, selection);
  if (mode === 'drop') return withoutColumns(t, names);
  const keep = new Set(names);
  const columns = Array.isArray(selection) ? names.map((n) => t.columns.find((c) => c.name === n) ?? knownColumn(n, 'other')) : t.columns.filter((c) => keep.has(c.name));
  const distinct = t.distinct && Object.fromEntries(Object.entries(t.distinct).filter(([k]) => keep.has(k)));
  // A list names every column kept; a selector may also pick columns only a run will name.
  return { columns, ...(Array.isArray(selection) || !t.more ? {} : { more: t.more }), ...(distinct ? { distinct } : {}) };
}

/** Rename Columns: old → new names, in place. */
export function renamedKnown(t: KnownTable, names: Record<string, string>): KnownTable {
  const to = (n: string) => names[n] ?? n;
  return {
    columns: t.columns.map((c) => ({ ...c, name: to(c.name) })),
    ...(t.more ? { more: t.more } : {}),
    ...(t.distinct ? { distinct: Object.fromEntries(Object.entries(t.distinct).map(([k, v]) => [to(k), v])) } : {}),
  };
}

/** `t` where a step rewrote these columns' values (same names and types): their counts are forgotten. */
export function rewritten(t: KnownTable, names: string[]): KnownTable {
  return withColumns(t, t.columns.filter((c) => names.includes(c.name)));
}
