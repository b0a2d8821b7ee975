/**
 * Change column types: to number / integer (text parsed; unparseable → missing; integer truncates
 * toward zero), to boolean (true/yes/1 → 1, false/no/0 → 0), to string (numbers with String()).
 * Stateless. Exportable: an ONNX Cast (text → number casts are ONNX Cast too).
 */
import { z } from 'zod';
import { param, type Resolved } from '../../spec/index.ts';
import { getColumn, withColumns, type NewColumn } from '../frame.ts';
import type { StepKind } from './types.ts';

export type CastTarget = 'number' | 'integer' | 'boolean' | 'string';

export const castParams = z.object({
  columns: param.selection('Columns to convert', { types: ['number', 'integer', 'boolean', 'string'] }).default([]),
  to: z.enum(['number', 'integer', 'boolean', 'string']).default('number').describe('Target type; integer truncates toward zero, boolean reads true/yes/1 and false/no/0'),
});
export type CastParams = Resolved<z.infer<typeof castParams>>;

const TRUE = new Set(['true', 'yes', 'y', '1', 't']);
const FALSE = new Set(['false', 'no', 'n', '0', 'f']);

function parseNumber(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const n = Number(t);
  return n;
}

export const cast: StepKind<CastParams, CastParams, typeof castParams> = {
  kind: 'cast',
  title: 'Cast Types',
  params: castParams,
  exportable: true,
  fit: (_frame, params) => ({ columns: [...params.columns], to: params.to }),
  apply(state, frame) {
    const add: NewColumn[] = state.columns.map((name) => {
      const col = getColumn(frame, name, 'Cast Types');
      if (state.to === 'string') {
        return { name, type: 'string', values: col instanceof Float64Array ? Array.from(col, (v) => (Number.isNaN(v) ? null : String(v))) : col };
      }
      const out = new Float64Array(frame.rows);
      for (let i = 0; i < frame.rows; i++) {
        let v: number;
        if (col instanceof Float64Array) v = col[i];
        else if (col[i] === null) v = NaN;
        else if (state.to === 'boolean') {
          const s = col[i]!.trim().toLowerCase();
          v = TRUE.has(s) ? 1 : FALSE.has(s) ? 0 : NaN;
        } else v = parseNumber(col[i]!);
        if (state.to === 'integer') v = Math.trunc(v);
        else if (state.to === 'boolean' && !Number.isNaN(v)) v = v !== 0 ? 1 : 0;
        out[i] = v;
      }
      return { name, type: state.to, values: out };
    });
    return withColumns(frame, add);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
