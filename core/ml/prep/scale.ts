/**
 * Scale numeric columns in place, as scikit-learn 1.2's StandardScaler (population std),
 * MinMaxScaler (to [0, 1]), RobustScaler (median, 25–75 % range) and MaxAbsScaler do. Constant
 * columns get scale 1, as scikit-learn's _handle_zeros_in_scale. Missing values stay missing.
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { numericColumn, withColumns } from '../frame.ts';
import { fitValues, noValues } from './numeric.ts';
import { moments, percentiles, safeScale } from './stats.ts';
import type { StepKind } from './types.ts';

export type ScaleMethod = 'standard' | 'minmax' | 'robust' | 'maxabs';

export const scaleParams = z.object({
  columns: param.selection('Numeric columns to scale', { types: NUMERIC }).default([]),
  method: z.enum(['standard', 'minmax', 'robust', 'maxabs']).default('standard').describe('standard: mean 0, std 1; minmax: to [0, 1]; robust: median and interquartile range; maxabs: to [-1, 1]'),
});
export type ScaleParams = Resolved<z.infer<typeof scaleParams>>;

/** y = (x - offset) / scale for every method (minmax: offset = min, scale = range). */
export interface ScaleState {
  method: ScaleMethod;
  columns: string[];
  offset: number[];
  scale: number[];
}

const WHO = 'Scale Features';

export const scale: StepKind<ScaleParams, ScaleState, typeof scaleParams> = {
  kind: 'scale',
  title: WHO,
  params: scaleParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    const offset: number[] = [];
    const scales: number[] = [];
    for (const name of params.columns) {
      const v = fitValues(frame, name, WHO, rowIndex);
      const m = moments(v);
      if (m.count === 0) throw noValues(WHO, name);
      if (params.method === 'standard') {
        offset.push(m.mean);
        scales.push(safeScale(Math.sqrt(m.variance)));
      } else if (params.method === 'minmax') {
        offset.push(m.min);
        scales.push(safeScale(m.max - m.min));
      } else if (params.method === 'robust') {
        const [q25, q50, q75] = percentiles(v, [25, 50, 75]);
        offset.push(q50);
        scales.push(safeScale(q75 - q25));
      } else {
        offset.push(0);
        scales.push(safeScale(Math.max(Math.abs(m.min), Math.abs(m.max))));
      }
    }
    return { method: params.method, columns: [...params.columns], offset, scale: scales };
  },
  apply(state, frame) {
    const add = state.columns.map((name, j) => {
      const col = numericColumn(frame, name, WHO);
      const out = new Float64Array(col.length);
      if (state.method === 'minmax') {
        // MinMaxScaler computes x * scale_ + min_ with scale_ = 1 / range, min_ = -min * scale_.
        const mul = 1 / state.scale[j];
        const plus = 0 - state.offset[j] * mul;
        for (let i = 0; i < col.length; i++) out[i] = col[i] * mul + plus;
      } else {
        const o = state.offset[j];
        const s = state.scale[j];
        for (let i = 0; i < col.length; i++) out[i] = (col[i] - o) / s;
      }
      return { name, type: 'number' as const, values: out };
    });
    return withColumns(frame, add);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
