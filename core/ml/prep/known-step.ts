/**
 * A recipe step's output columns before it runs, for steps whose outputs follow from their params
 * alone (scale, bins, date parts, group statistics, casts): its selections resolved against the
 * known columns, its `io` and `drops` applied. Steps whose outputs depend on the rows (one-hot)
 * say so in their node instead.
 */
import { knownColumn, withColumns, withoutColumns, type ColumnType, type KnownTable } from '../../spec/index.ts';
import { resolveSelections } from './selections.ts';
import type { AnyStepKind } from './types.ts';

/** `t` after the step: dropped columns gone, each output of `type` (in place or added at the end). */
export function knownAfterStep(t: KnownTable | undefined, kind: AnyStepKind, given: Record<string, unknown>, type: ColumnType = 'number'): KnownTable | undefined {
  if (!t) return undefined;
  const { params } = resolveSelections(kind, given, t.columns);
  const kept = withoutColumns(t, kind.drops?.(params) ?? []);
  return withColumns(kept, kind.io(params, undefined).outputs.map((o) => knownColumn(o, type)));
}
