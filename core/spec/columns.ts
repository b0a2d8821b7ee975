/**
 * Column selections: wherever a node takes a list of columns it also takes a *selector* — every
 * numeric column, every text column, all except some, names matching a pattern — as
 * scikit-learn's make_column_selector and KNIME's type filter do. A selector is resolved against
 * the table the node sees when it runs (or, for a recipe step, each time the step is fitted), and
 * the recipe records both the selector and the names it resolved to. Scaling 64 pixel columns
 * takes `{"type": "numeric"}`, not 64 names.
 */
import { z } from 'zod';
import { FlowlineError } from './errors.ts';
import type { ColumnType } from './values.ts';

/** Column types a numeric step accepts (booleans count as 0/1). */
export const NUMERIC: ColumnType[] = ['number', 'integer', 'boolean'];
/** Column types that can hold categories. */
export const CATEGORICAL: ColumnType[] = ['string', 'integer', 'boolean'];

/** What a selector's `type` picks. */
export const SELECTOR_TYPES = {
  any: null,
  numeric: ['number', 'integer'],
  text: ['string'],
  boolean: ['boolean'],
  date: ['date', 'timestamp'],
} as const satisfies Record<string, readonly ColumnType[] | null>;
export type SelectorType = keyof typeof SELECTOR_TYPES;

function validPattern(p: string): boolean {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}

export const columnSelector = z
  .strictObject({
    type: z
      .enum(Object.keys(SELECTOR_TYPES) as [SelectorType, ...SelectorType[]])
      .default('any')
      .describe('Columns of this type: any, numeric (numbers, whole numbers), text, boolean, date (dates and timestamps)'),
    pattern: z
      .string()
      .refine(validPattern, 'not a valid regular expression')
      .optional()
      .describe('Only columns whose name matches this regular expression (searched, as Python\'s re.search: "^pixel_" = names starting with pixel_)'),
    except: z.array(z.string().min(1)).default([]).describe('Leave these columns out'),
  })
  .meta({ title: 'Columns by type and name' });

export type ColumnSelector = z.infer<typeof columnSelector>;
/** A list of names, or a selector. */
export type ColumnSelection = string[] | ColumnSelector;

/** A param's type with every column selection resolved to names (what a step's fit receives). */
export type Resolved<T> = { [K in keyof T]: ColumnSelector extends T[K] ? Exclude<T[K], ColumnSelector> : T[K] };

export function isSelector(value: unknown): value is ColumnSelector {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Names a column never selected: the hidden row id and other internal columns. */
const hidden = (name: string) => name.startsWith('__');

/**
 * The names a selection stands for in a table with `columns` (in table order): a list as it is, a
 * selector by type, pattern and exceptions, among the column types the node accepts (`accepts`).
 */
export function resolveColumns(selection: ColumnSelection, columns: readonly { name: string; type: ColumnType }[], accepts?: readonly ColumnType[]): string[] {
  if (!isSelector(selection)) return [...selection];
  const types = SELECTOR_TYPES[selection.type ?? 'any'] as readonly ColumnType[] | null;
  const pattern = selection.pattern ? new RegExp(selection.pattern) : null;
  const except = new Set(selection.except ?? []);
  return columns
    .filter((c) => !hidden(c.name) && !except.has(c.name))
    .filter((c) => (!types || types.includes(c.type)) && (!accepts || accepts.includes(c.type)))
    .filter((c) => !pattern || pattern.test(c.name))
    .map((c) => c.name);
}

/** A selection in a few words, for node cards and logs: "all numeric except id", "a, b". */
export function describeSelection(selection: ColumnSelection): string {
  if (!isSelector(selection)) return selection.join(', ');
  const parts = [selection.type && selection.type !== 'any' ? `all ${selection.type}` : 'all columns'];
  if (selection.pattern) parts.push(`matching /${selection.pattern}/`);
  if (selection.except?.length) parts.push(`except ${selection.except.join(', ')}`);
  return parts.join(' ');
}

/** Is the selection empty as written (no names; a selector is never empty as written)? */
export function isEmptySelection(selection: ColumnSelection | undefined): boolean {
  return !selection || (!isSelector(selection) && selection.length === 0);
}

/**
 * resolveColumns for a node's run: a selector that matches no column of the input is an error
 * naming the node's param and listing the columns (a list of names is returned as it is).
 */
export function selectedColumns(selection: ColumnSelection, columns: readonly { name: string; type: ColumnType }[], where: { who: string; param?: string; accepts?: readonly ColumnType[] }): string[] {
  const names = resolveColumns(selection, columns, where.accepts);
  if (isSelector(selection) && names.length === 0) {
    throw new FlowlineError({
      code: 'INVALID_PARAM',
      path: [where.param ?? 'columns'],
      message: `${where.who}: the selector ${JSON.stringify(selection)} matches none of the input table's columns.`,
      hint: `Its columns: ${columns.filter((c) => !hidden(c.name)).map((c) => `${c.name} (${c.type})`).slice(0, 15).join(', ')}.`,
    });
  }
  return names;
}
