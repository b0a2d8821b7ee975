/**
 * One-hot encoding as scikit-learn 1.2's OneHotEncoder(max_categories=k, handle_unknown=...):
 * the k-1 most frequent categories keep their own column and the rest share an "other" column
 * (scikit-learn's infrequent category; among equal counts the alphabetically earlier ones are
 * the infrequent ones, as its stable argsort). Missing is a category of its own (`<col>_missing`).
 * Unknown values at apply time: "ignore" → all zeros; "other" → the other column when there is one
 * (scikit-learn's "infrequent_if_exist"), else all zeros. Output columns replace the input, named
 * `<col>_<category>`, `<col>_other`.
 */
import { z } from 'zod';
import { CATEGORICAL, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { withColumns, type NewColumn } from '../frame.ts';
import { keyColumn, learnCategories, type Key } from './categories.ts';
import type { StepKind } from './types.ts';

export const oneHotParams = z.object({
  columns: param.selection('Category columns to encode', { types: CATEGORICAL }).default([]),
  max_categories: z.number().int().min(2).nullable().optional().describe('One-hot: most columns per input column, counting "other"; the rarest categories share <column>_other'),
  handle_unknown: z.enum(['ignore', 'other']).default('ignore').describe('One-hot, categories not seen in training: ignore = all zeros; other = count them as "other" (when there is an "other" column)'),
});
export type OneHotParams = Resolved<z.infer<typeof oneHotParams>>;

export interface OneHotColumnState {
  column: string;
  /** Categories with a column of their own, sorted as learned. */
  categories: Key[];
  /** Categories folded into `<col>_other`; empty when none. */
  other: Key[];
  outputs: string[];
}

export interface OneHotState {
  columns: OneHotColumnState[];
  handleUnknown: 'ignore' | 'other';
}

const WHO = 'Encode Categories';

export function categoryColumnName(column: string, key: Key): string {
  return `${column}_${key === null ? 'missing' : key}`;
}

export const onehot: StepKind<OneHotParams, OneHotState, typeof oneHotParams> = {
  kind: 'onehot',
  title: WHO,
  params: oneHotParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    const max = params.max_categories ?? null;
    if (max !== null && max < 2) {
      throw new FlowlineError({ code: 'INVALID_PARAM', message: `${WHO}: max categories must be at least 2 (one category plus "other").`, path: ['max_categories'] });
    }
    const columns = params.columns.map((column) => {
      const { categories, counts } = learnCategories(frame, column, WHO, rowIndex);
      let kept = categories;
      let other: Key[] = [];
      if (max !== null && max < categories.length) {
        // stable ascending sort by count; the first n - (max - 1) are infrequent
        const order = categories.map((_, i) => i).sort((a, b) => counts[a] - counts[b] || a - b);
        const infrequent = new Set(order.slice(0, categories.length - max + 1));
        kept = categories.filter((_, i) => !infrequent.has(i));
        other = categories.filter((_, i) => infrequent.has(i));
      }
      const outputs = kept.map((k) => categoryColumnName(column, k));
      if (other.length) outputs.push(`${column}_other`);
      const dup = outputs.find((o, i) => outputs.indexOf(o) !== i);
      if (dup) throw new FlowlineError({ code: 'BAD_DATA', message: `${WHO}: two categories of '${column}' would both make a column named '${dup}'.`, hint: 'Clean the values first (e.g. with a Formula or SQL step), or use ordinal encoding.', column });
      return { column, categories: kept, other, outputs };
    });
    return { columns, handleUnknown: params.handle_unknown ?? 'ignore' };
  },
  apply(state, frame) {
    const add: NewColumn[] = [];
    for (const c of state.columns) {
      const keys = keyColumn(frame, c.column, WHO);
      const slot = new Map<Key, number>();
      c.categories.forEach((k, i) => slot.set(k, i));
      const otherSlot = c.other.length ? c.categories.length : -1;
      for (const k of c.other) slot.set(k, otherSlot);
      const unknownSlot = state.handleUnknown === 'other' ? otherSlot : -1;
      const outs = c.outputs.map(() => new Float64Array(frame.rows));
      for (let i = 0; i < frame.rows; i++) {
        const s = slot.get(keys[i]) ?? unknownSlot;
        if (s >= 0) outs[s][i] = 1;
      }
      c.outputs.forEach((name, j) => add.push({ name, type: 'integer', values: outs[j] }));
    }
    return withColumns(frame, add, state.columns.map((c) => c.column));
  },
  io: (params, state) => ({ inputs: [...params.columns], outputs: state ? state.columns.flatMap((c) => c.outputs) : [] }),
  lineage: (_params, state) => Object.fromEntries(state.columns.flatMap((c) => c.outputs.map((o) => [o, [c.column]]))),
  drops: (params) => [...params.columns],
};
