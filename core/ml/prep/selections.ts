/**
 * Column selections of recipe steps (core/spec/columns.ts): a step's `columns` may be a selector
 * (all numeric, all text, all except…, a name pattern). It is resolved against the columns the
 * step sees when it is fitted — at the node for the preview, and again on the training rows when
 * Train re-fits the recipe — and the recipe records both the selector and the names it gave.
 */
import type { z } from 'zod';
import { FlowlineError, isSelector, paramUi, resolveColumns, type ColumnSelector, type ColumnType, type RecipeStep } from '../../spec/index.ts';
import type { Frame } from '../frame.ts';
import type { AnyStepKind } from './types.ts';

export interface ResolvedParams {
  params: Record<string, unknown>;
  /** The selectors among the params, by param name (absent when there are none). */
  selectors?: Record<string, ColumnSelector>;
}

/** Replace every selector among a step's params by the names it picks in `columns`. */
export function resolveSelections(kind: AnyStepKind, params: Record<string, unknown>, columns: readonly { name: string; type: ColumnType }[]): ResolvedParams {
  const out = { ...params };
  let selectors: Record<string, ColumnSelector> | undefined;
  for (const [name, schema] of Object.entries(kind.params.shape as Record<string, z.ZodType>)) {
    const value = params[name];
    if (!isSelector(value)) continue;
    out[name] = resolveColumns(value, columns, acceptedTypes(kind, params, name, schema));
    (selectors ??= {})[name] = value;
  }
  return selectors ? { params: out, selectors } : { params: out };
}

/** The column types a step's column param takes with these params (a selector picks among them). */
export function acceptedTypes(kind: AnyStepKind, params: Record<string, unknown>, name: string, schema?: z.ZodType): ColumnType[] | undefined {
  if (name === 'columns' && kind.accepts) return kind.accepts(params);
  const s = schema ?? (kind.params.shape as Record<string, z.ZodType>)[name];
  return s ? paramUi(s)?.types : undefined;
}

/** A frame's columns with their types, in frame order. */
export function frameColumns(frame: Frame): { name: string; type: ColumnType }[] {
  return Object.keys(frame.columns).map((name) => ({ name, type: frame.types[name] }));
}

/** The params a recorded step is re-fitted with on `frame`: its selectors resolved again. */
export function refitParams(kind: AnyStepKind, step: RecipeStep, frame: Frame): Record<string, unknown> {
  if (!step.selectors) return step.params;
  const { params } = resolveSelections(kind, { ...step.params, ...step.selectors }, frameColumns(frame));
  for (const [name, selector] of Object.entries(step.selectors)) {
    if ((params[name] as string[]).length === 0) {
      throw new FlowlineError({
        code: 'COLUMN_NOT_FOUND',
        nodeId: step.nodeId,
        message: `${kind.title}: the column selector of "${name}" (${JSON.stringify(selector)}) matches no column of the training rows.`,
        hint: 'Check the selector, or the steps before this one.',
      });
    }
  }
  return params;
}
