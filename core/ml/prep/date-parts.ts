/**
 * Calendar parts of a date/timestamp column (UTC): year, month (1-12), day, weekday (0 = Monday,
 * as pandas), hour, minute, day_of_year, quarter, is_weekend. Text columns are parsed as ISO dates
 * (unparseable → missing). Stateless. Outputs `<col>_<part>`; the source column is dropped unless
 * `keep_original`. Not exportable: ONNX has no calendar ops, and the served model would need to
 * parse date strings.
 */
import { z } from 'zod';
import { param, type Resolved } from '../../spec/index.ts';
import { getColumn, withColumns, type Frame, type NewColumn } from '../frame.ts';
import type { StepKind } from './types.ts';

export const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'minute', 'day_of_year', 'quarter', 'is_weekend'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export const datePartsParams = z.object({
  columns: param.selection('Date, timestamp or ISO-date text columns', { types: ['date', 'timestamp', 'string'] }).default([]),
  parts: z.array(z.enum(DATE_PARTS)).min(1).default(['year', 'month', 'day', 'weekday']).describe('Parts to add as <column>_<part>; weekday 0 = Monday'),
  keep_original: z.boolean().default(false).describe('Keep the date column itself (a model cannot use it directly)'),
});
export type DatePartsParams = Resolved<z.infer<typeof datePartsParams>>;

type DateState = DatePartsParams;

function epochMs(frame: Frame, name: string): Float64Array {
  const col = getColumn(frame, name, 'Date Parts');
  if (col instanceof Float64Array) return col;
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = col[i] === null ? NaN : Date.parse(col[i]!);
  return out;
}

function part(ms: number, p: DatePart): number {
  if (Number.isNaN(ms)) return NaN;
  const d = new Date(ms);
  switch (p) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'weekday':
      return (d.getUTCDay() + 6) % 7;
    case 'hour':
      return d.getUTCHours();
    case 'minute':
      return d.getUTCMinutes();
    case 'day_of_year':
      return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    case 'quarter':
      return Math.floor(d.getUTCMonth() / 3) + 1;
    case 'is_weekend':
      return d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1 : 0;
  }
}

export const datePartName = (column: string, p: DatePart) => `${column}_${p}`;

export const dateParts: StepKind<DatePartsParams, DateState, typeof datePartsParams> = {
  kind: 'date_parts',
  title: 'Date Parts',
  params: datePartsParams,
  exportable: false,
  fit: (_frame, params) => ({ columns: [...params.columns], parts: [...params.parts], keep_original: !!params.keep_original }),
  apply(state, frame) {
    const add: NewColumn[] = [];
    for (const column of state.columns) {
      const ms = epochMs(frame, column);
      for (const p of state.parts) {
        const out = new Float64Array(frame.rows);
        for (let i = 0; i < frame.rows; i++) out[i] = part(ms[i], p);
        add.push({ name: datePartName(column, p), type: 'integer', values: out });
      }
    }
    return withColumns(frame, add, state.keep_original ? [] : state.columns);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: params.columns.flatMap((c) => params.parts.map((p) => datePartName(c, p))) }),
  lineage: (params) => Object.fromEntries(params.columns.flatMap((c) => params.parts.map((p) => [datePartName(c, p), [c]]))),
  drops: (params) => (params.keep_original ? [] : [...params.columns]),
};
