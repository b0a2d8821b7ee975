/**
 * Clip outliers to bounds learned on the fitting rows: IQR (Q1 - k·IQR, Q3 + k·IQR, numpy linear
 * percentiles) or z-score (mean ± k·std, population std). Removing outlier rows instead is a table
 * step done by the Remove Outliers node with the same bounds (see `outlierBounds`).
 */
import { withColumns, type Frame } from '../frame.ts';
import { fitValues, mapColumns, noValues } from './numeric.ts';
import { moments, percentiles } from './stats.ts';
import type { StepKind } from './types.ts';

export type OutlierMethod = 'iqr' | 'zscore';

export interface OutliersParams {
  columns: string[];
  method: OutlierMethod;
  /** IQR multiplier (1.5) or number of standard deviations (3). */
  factor: number;
}

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

export const outliersClip: StepKind<OutliersParams, OutliersState> = {
  kind: 'outliers_clip',
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
