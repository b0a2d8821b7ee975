/**
 * Fill missing values as scikit-learn 1.2's SimpleImputer does: mean / median / most_frequent
 * (ties go to the smallest value) / constant, learned on the fitting rows only.
 * The missing indicator (`<col>_was_missing`, 1 = was missing) is added for every chosen column,
 * like SimpleImputer(add_indicator=True) with MissingIndicator(features="all"): a column set that
 * depended on which rows happened to have gaps would change between preview and training.
 * Dropping rows with gaps is a table step (it changes which rows exist), not part of this step.
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { getColumn, pick, withColumns, type NewColumn, type TextColumn } from '../frame.ts';
import { meanOf, percentiles } from './stats.ts';
import type { StepKind } from './types.ts';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

export const imputeParams = z.object({
  columns: param.selection('Columns to fill', { types: ['number', 'integer', 'boolean', 'string'] }).default([]),
  strategy: z.enum(['mean', 'median', 'most_frequent', 'constant']).default('mean').describe('mean / median: numbers only; most_frequent and constant also work for text'),
  fill_value: z.union([z.number(), z.string()]).nullable().optional().describe('The value used by the "constant" strategy (default 0 for numbers, "missing" for text)'),
  add_indicator: z.boolean().default(false).describe('Also add a 0/1 column <name>_was_missing per column, so a model can learn from the gaps'),
});
export type ImputeParams = Resolved<z.infer<typeof imputeParams>>;

export interface ImputeState {
  columns: { name: string; numeric: boolean; fill: number | string }[];
  indicator: boolean;
}

export const indicatorName = (column: string) => `${column}_was_missing`;

function mostFrequentNumber(values: Float64Array): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let best = NaN;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  return best;
}

function mostFrequentText(values: TextColumn): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && best !== null && v < best)) [best, bestCount] = [v, c];
  return best;
}

function noValues(column: string): FlowlineError {
  return new FlowlineError({
    code: 'BAD_DATA',
    message: `Impute Missing: column '${column}' has no values in the rows used for fitting, so there is nothing to learn a fill value from.`,
    hint: `Use the "constant" strategy for '${column}', or remove it from the column list.`,
    column,
  });
}

export const impute: StepKind<ImputeParams, ImputeState, typeof imputeParams> = {
  kind: 'impute',
  title: 'Impute Missing',
  params: imputeParams,
  accepts: (p) => (p.strategy === 'mean' || p.strategy === 'median' ? NUMERIC : [...NUMERIC, 'string']),
  exportable: true,
  fit(frame, params, rowIndex) {
    const columns = params.columns.map((name) => {
      const col = pick(getColumn(frame, name, 'Impute Missing'), rowIndex);
      const numeric = col instanceof Float64Array;
      let fill: number | string | null;
      if (params.strategy === 'constant') {
        fill = params.fill_value ?? (numeric ? 0 : 'missing');
        if (numeric && typeof fill !== 'number') {
          const n = Number(fill);
          if (!Number.isFinite(n)) {
            throw new FlowlineError({ code: 'INVALID_PARAM', message: `Impute Missing: column '${name}' holds numbers, but the fill value '${fill}' is not a number.`, hint: 'Give a number as the fill value, or impute text columns in a separate Impute Missing node.', column: name, path: ['fill_value'] });
          }
          fill = n;
        }
        if (!numeric) fill = String(fill);
      } else if (numeric) {
        const v = col as Float64Array;
        fill = params.strategy === 'mean' ? meanOf(v) : params.strategy === 'median' ? percentiles(v, [50])[0] : mostFrequentNumber(v);
        if (Number.isNaN(fill)) throw noValues(name);
      } else {
        if (params.strategy !== 'most_frequent') {
          throw new FlowlineError({
            code: 'COLUMN_TYPE',
            message: `Impute Missing: column '${name}' is text, so it has no ${params.strategy}.`,
            hint: 'Use "most_frequent" or "constant" for text columns (a separate Impute Missing node can handle them).',
            column: name,
          });
        }
        fill = mostFrequentText(col as TextColumn);
        if (fill === null) throw noValues(name);
      }
      return { name, numeric, fill };
    });
    return { columns, indicator: !!params.add_indicator };
  },
  apply(state, frame) {
    const add: NewColumn[] = [];
    for (const { name, numeric, fill } of state.columns) {
      const col = getColumn(frame, name, 'Impute Missing');
      const flags = state.indicator ? new Float64Array(frame.rows) : null;
      if (numeric) {
        if (!(col instanceof Float64Array)) throw new FlowlineError({ code: 'COLUMN_TYPE', message: `Impute Missing: column '${name}' was numeric when fitted but is text here.`, column: name });
        const out = new Float64Array(col.length);
        const f = fill as number;
        for (let i = 0; i < col.length; i++) {
          const v = col[i];
          if (Number.isNaN(v)) {
            out[i] = f;
            if (flags) flags[i] = 1;
          } else out[i] = v;
        }
        add.push({ name, type: frame.types[name], values: out });
      } else {
        const src = col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? null : String(v))) : col;
        const out: TextColumn = new Array(src.length);
        for (let i = 0; i < src.length; i++) {
          if (src[i] === null) {
            out[i] = fill as string;
            if (flags) flags[i] = 1;
          } else out[i] = src[i];
        }
        add.push({ name, type: 'string', values: out });
      }
      if (flags) add.push({ name: indicatorName(name), type: 'integer', values: flags });
    }
    // Put each indicator right after its column: remove nothing, add in order.
    return withColumns(frame, add);
  },
  io(params) {
    const outputs = params.add_indicator ? params.columns.flatMap((c) => [c, indicatorName(c)]) : [...params.columns];
    return { inputs: [...params.columns], outputs };
  },
  lineage: (params) => Object.fromEntries(params.columns.flatMap((c) => [[c, [c]], [indicatorName(c), [c]]])),
};
