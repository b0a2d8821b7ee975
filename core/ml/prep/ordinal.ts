/**
 * Ordinal encoding as scikit-learn 1.2's OrdinalEncoder(handle_unknown="use_encoded_value"):
 * sorted categories → 0..k-1 in place; missing stays missing (its encoded_missing_value=nan);
 * unknown values → `unknown_value` (-1 by default, or missing).
 */
import { z } from 'zod';
import { CATEGORICAL, param, type Resolved } from '../../spec/index.ts';
import { withColumns, type NewColumn } from '../frame.ts';
import { keyColumn, learnCategories, type Key } from './categories.ts';
import type { StepKind } from './types.ts';

export const ordinalParams = z.object({
  columns: param.selection('Category columns to encode', { types: CATEGORICAL }).default([]),
  unknown_value: z.union([z.number(), z.null()]).default(-1).describe('Ordinal: code for unseen categories (null = missing)'),
});
export type OrdinalParams = Resolved<z.infer<typeof ordinalParams>>;

export interface OrdinalState {
  columns: { column: string; categories: Key[] }[];
  /** Code for unseen categories; null = missing (kept JSON-safe, unlike NaN). */
  unknownValue: number | null;
}

const WHO = 'Encode Categories';

export const ordinal: StepKind<OrdinalParams, OrdinalState, typeof ordinalParams> = {
  kind: 'ordinal',
  title: WHO,
  params: ordinalParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    const columns = params.columns.map((column) => ({
      column,
      categories: learnCategories(frame, column, WHO, rowIndex).categories.filter((k) => k !== null),
    }));
    return { columns, unknownValue: params.unknown_value === undefined ? -1 : params.unknown_value };
  },
  apply(state, frame) {
    const add: NewColumn[] = state.columns.map(({ column, categories }) => {
      const keys = keyColumn(frame, column, WHO);
      const code = new Map<Key, number>(categories.map((k, i) => [k, i]));
      const out = new Float64Array(frame.rows);
      const unknown = state.unknownValue ?? NaN;
      for (let i = 0; i < frame.rows; i++) out[i] = keys[i] === null ? NaN : (code.get(keys[i]) ?? unknown);
      return { name: column, type: 'integer', values: out };
    });
    return withColumns(frame, add);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
