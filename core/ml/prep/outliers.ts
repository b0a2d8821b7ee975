/**
 * Clip outliers to bounds learned on the fitting rows: IQR (Q1 - k·IQR, Q3 + k·IQR, numpy linear
 * percentiles) or z-score (mean ± k·std, population std). Removing outlier rows instead is a table
 * step done by the Remove Outliers node with the same bounds (see `outlierBounds`).
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { withColumns, type Frame } from '../frame.ts';
import { fitValues, mapColumns, noValues } from './numeric.ts';
import { moments, percentiles } from './stats.ts';
import type { StepKind } from './types.ts';

export type OutlierMethod = 'iqr' | 'zscore';

export const outliersParams = z.object({
  columns: param.selection('Numeric columns to check', { types: NUMERIC }).default([]),
  method: z.enum(['iqr', 'zscore']).default('iqr').describe('iqr: outside Q1 − k·IQR … Q3 + k·IQR; zscore: more than k standard deviations from the mean'),
  factor: z.number().positive().default(1.5).describe('k: 1.5 is the usual IQR fence, 3 the usual z-score limit'),
});
export type OutliersParams = Resolved<z.infer<typeof outliersParams>>;

export interface OutliersState {
  columns: string[];
  lower: number[];
  upper: number[];
}

const WHO = 'Remove Outliers';

export function outlierBounds(frame: Frame, params: OutliersParams, rowIndex?: Uint32Array): OutliersState {
  const lower: number[] = [];
  const upper: number[] = [];
  for (const name of params.columns) {
    const v = fitValues(frame, name, WHO, rowIndex);
    if (params.method === 'iqr') {
      const [q1, q3] = percentiles(v, [25, 75]);
      if (Number.isNaN(q1)) throw noValues(WHO, name);
      lower.push(q1 - params.factor * (q3 - q1));
      upper.push(q3 + params.factor * (q3 - q1));
    } else {
      const m = moments(v);
      if (m.count === 0) throw noValues(WHO, name);
      const sd = Math.sqrt(m.variance);
      lower.push(m.mean - params.factor * sd);
      upper.push(m.mean + params.factor * sd);
    }
  }
  return { columns: [...params.columns], lower, upper };
}

export const outliersClip: StepKind<OutliersParams, OutliersState, typeof outliersParams> = {
  kind: 'outliers_clip',
  title: WHO,
  params: outliersParams,
  exportable: true,
  fit: outlierBounds,
  apply(state, frame) {
    return withColumns(
      frame,
      mapColumns(frame, state.columns, WHO, (x, j) => (x < state.lower[j] ? state.lower[j] : x > state.upper[j] ? state.upper[j] : x)),
    );
  },
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
