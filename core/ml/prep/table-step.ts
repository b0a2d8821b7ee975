/**
 * What every recipe-step node does, in one place so node files stay thin:
 * check the chosen columns, read them, fit the step on the rows that reached the node, write the
 * transformed table for preview, and append the fitted step to the table's recipe (setting the
 * recipe's base to this input table when it has none yet).
 */
import type { z } from 'zod';
import { FlowlineError, type ColumnSchema, type ColumnType, type RecipeStep, type RunContext, type TableRef } from '../../spec/index.ts';
import { readColumns, writeColumns } from '../../data/tables.ts';
import { makeFrame, type Frame, type FrameColumn } from '../frame.ts';
import { RAW_SOURCES } from '../recipe.ts';
import { acceptedTypes, resolveSelections } from './selections.ts';
import type { AnyStepKind, StepKind } from './types.ts';
import { fitStepTask, type FitStepPayload } from './worker-task.ts';

const TYPE_WORDS: Record<ColumnType, string> = {
  number: 'numeric', integer: 'whole numbers', boolean: 'true/false', string: 'text', date: 'a date', timestamp: 'a timestamp', other: 'of an unsupported type',
};

export interface ColumnCheck {
  /** Node title, e.g. "Scale Features". */
  who: string;
  /** Allowed types (all when absent). */
  types?: ColumnType[];
  /** What the step needs, e.g. "Scaling needs numbers". */
  need?: string;
  /** What to do instead. */
  advice?: string;
  /** At least one column must be chosen (default true). */
  nonEmpty?: boolean;
  /** Why the list is empty, when a selector gave it (default: none was chosen). */
  empty?: string;
}

/** Columns exist and have a suitable type; errors name the column and say what to do. */
export function checkColumns(table: TableRef, names: string[], check: ColumnCheck): ColumnSchema[] {
  if (check.nonEmpty !== false && names.length === 0) {
    throw new FlowlineError({
      code: 'INVALID_PARAM',
      path: ['columns'],
      message: check.empty ? `${check.who}: ${check.empty}.` : `${check.who}: choose at least one column.`,
      hint: check.empty ? `Its columns: ${table.columns.map((c) => `${c.name} (${c.type})`).slice(0, 15).join(', ')}.` : 'Pick the columns in the inspector.',
    });
  }
  return names.map((name) => {
    const c = table.columns.find((s) => s.name === name);
    if (!c) {
      throw new FlowlineError({
        code: 'COLUMN_NOT_FOUND',
        column: name,
        message: `${check.who}: there is no column '${name}' in the input table.`,
        hint: `Columns: ${table.columns.map((s) => s.name).slice(0, 15).join(', ')}. An earlier step may have renamed or dropped it.`,
      });
    }
    if (check.types && !check.types.includes(c.type)) {
      throw new FlowlineError({
        code: 'COLUMN_TYPE',
        column: name,
        message: `${check.who}: column '${name}' is ${TYPE_WORDS[c.type]} (${c.dbType}).${check.need ? ` ${check.need}` : ''}${check.advice ? ` — ${check.advice}.` : ''}`,
        hint: check.advice ? undefined : `Remove '${name}' from the column list.`,
      });
    }
    return c;
  });
}

export { CATEGORICAL, NUMERIC } from '../../spec/index.ts';

/** Read columns of a table into a frame (rows in ascending ROW_ID order). */
export async function readFrame(table: TableRef, names: string[]): Promise<{ frame: Frame; rowIds: Int32Array }> {
  const unique = [...new Set(names)];
  const r = await readColumns(table, unique);
  const types = new Map(table.columns.map((c) => [c.name, c.type]));
  const frame = makeFrame(
    unique.map((name) => {
      const values = r.columns[name] as FrameColumn;
      return { name, type: values instanceof Float64Array ? (types.get(name) ?? 'number') : 'string', values };
    }),
    r.rowIds.length,
  );
  return { frame, rowIds: r.rowIds };
}

export interface AddStepOptions {
  /**
   * Check the step's `columns` (when it has that param) before fitting: they exist and have a type
   * the step takes (its param's ui types); `need` and `advice` say why and what to do instead.
   */
  check?: Pick<ColumnCheck, 'need' | 'advice' | 'types' | 'nonEmpty'>;
  /** Columns fitting needs beyond the step's inputs (a target). */
  extraReads?: string[];
}

/**
 * Fit a recipe step of `kind` on the table's rows, write the transformed table, and return it
 * with the fitted step appended to its recipe. Column selectors among the params ("all numeric")
 * are resolved against the table first; the step records both (see selections.ts).
 */
export async function addRecipeStep<Schema extends z.ZodObject>(
  ctx: RunContext,
  table: TableRef,
  kind: StepKind<unknown, unknown, Schema>,
  given: z.output<Schema>,
  options: AddStepOptions = {},
): Promise<TableRef> {
  const { params, selectors } = resolveSelections(kind as AnyStepKind, given as Record<string, unknown>, table.columns);
  if (options.check && 'columns' in kind.params.shape) {
    const selector = selectors?.columns;
    checkColumns(table, params.columns as string[], {
      who: kind.title,
      types: acceptedTypes(kind as AnyStepKind, given as Record<string, unknown>, 'columns'),
      ...options.check,
      ...(selector ? { empty: `the selector ${JSON.stringify(selector)} matches none of the input table's columns` } : {}),
    });
  }
  const reads = [...kind.io(params, undefined).inputs, ...(options.extraReads ?? [])];
  const { frame } = await readFrame(table, reads);
  ctx.throwIfCancelled();
  const transfer = [...new Set(Object.values(frame.columns).flatMap((c) => (c instanceof Float64Array && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength ? [c.buffer as ArrayBuffer] : [])))];
  const payload: FitStepPayload = { kind: kind.kind, nodeId: ctx.nodeId, params, frame };
  const { state, changed, dropped } = await ctx.runInWorker(fitStepTask, payload, { transfer });
  const io = kind.io(params, state);
  const base = table.recipe.base ?? { path: table.path, columns: table.columns };
  // Columns that joined the table after its recipe began are read raw from this input table
  // when the recipe is replayed (see RAW_SOURCES in recipe.ts).
  const known = new Set([...base.columns.map((c) => c.name), ...table.recipe.steps.flatMap((s) => s.outputs)]);
  const late = [...new Set(reads)].filter((c) => !known.has(c));
  const stepParams = late.length ? { ...params, [RAW_SOURCES]: [{ path: table.path, columns: late }] } : params;
  const step: RecipeStep = { nodeId: ctx.nodeId, kind: kind.kind, params: stepParams, ...(selectors ? { selectors } : {}), inputs: io.inputs, outputs: io.outputs, exportable: kind.exportable, state };
  const recipe = { base, steps: [...table.recipe.steps, step] };
  return writeColumns(ctx, table, changed, { drop: dropped, recipe });
}
