/**
 * Bin numeric columns into bin indices 0..k-1, as scikit-learn 1.2's KBinsDiscretizer
 * (encode="ordinal", subsample=None): uniform edges from min to max, quantile edges from numpy's
 * linear percentiles (bins narrower than 1e-8 removed), or custom edges. A constant column gets one
 * bin (index 0). Missing values stay missing (scikit-learn refuses them).
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { numericColumn, withColumns } from '../frame.ts';
import { fitValues, noValues } from './numeric.ts';
import { linspace, moments, percentiles } from './stats.ts';
import type { StepKind } from './types.ts';

export type BinStrategy = 'uniform' | 'quantile' | 'custom';

export const discretizeParams = z.object({
  columns: param.selection('Numeric columns to bin', { types: NUMERIC }).default([]),
  strategy: z.enum(['uniform', 'quantile', 'custom']).default('quantile').describe('uniform: equal width; quantile: about equal counts; custom: the edges below'),
  n_bins: z.number().int().min(2).max(1000).default(5).describe('Number of bins (uniform and quantile)'),
  edges: z.array(z.number()).default([]).describe('Custom: increasing edges, e.g. [0, 18, 65, 120]; values outside go to the first or last bin'),
});
export type DiscretizeParams = Resolved<z.infer<typeof discretizeParams>>;

export interface DiscretizeState {
  columns: string[];
  /** Per column, all edges (first = min, last = max); bins = edges.length - 1. */
  edges: number[][];
}

const WHO = 'Discretize';

/** Index of the bin: number of inner edges <= x (numpy.searchsorted(inner, x, side="right")). */
export function binIndex(inner: ArrayLike<number>, x: number): number {
  if (inner.length <= 16) {
    // a few edges: count without branches (no mispredictions on shuffled data)
    let b = 0;
    for (let k = 0; k < inner.length; k++) b += +(x >= inner[k]);
    return b;
  }
  let lo = 0;
  let hi = inner.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (inner[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const discretize: StepKind<DiscretizeParams, DiscretizeState, typeof discretizeParams> = {
  kind: 'discretize',
  title: WHO,
  params: discretizeParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    if (params.strategy === 'custom') {
      const e = params.edges ?? [];
      if (e.length < 2 || e.some((v, i) => i > 0 && !(v > e[i - 1]))) {
        throw new FlowlineError({ code: 'INVALID_PARAM', message: `${WHO}: custom edges must be at least two numbers in increasing order.`, hint: 'For example [0, 18, 65, 120] makes three bins.', path: ['edges'] });
      }
      return { columns: [...params.columns], edges: params.columns.map(() => [...e]) };
    }
    const edges = params.columns.map((name) => {
      const v = fitValues(frame, name, WHO, rowIndex);
      // quantile: the 0th and 100th percentiles are the min and max, found in the same selection
      const raw = params.strategy === 'quantile' ? percentiles(v, linspace(0, 100, params.n_bins + 1)) : null;
      const m = raw ? { min: raw[0], max: raw[raw.length - 1] } : moments(v);
      if (Number.isNaN(m.min)) throw noValues(WHO, name);
      if (m.min === m.max) return [m.min, m.max]; // one bin (no inner edges)
      if (!raw) return linspace(m.min, m.max, params.n_bins + 1);
      return raw.filter((e, i) => i === 0 || e - raw[i - 1] > 1e-8);
    });
    return { columns: [...params.columns], edges };
  },
  apply(state, frame) {
    const add = state.columns.map((name, j) => {
      const inner = Float64Array.from(state.edges[j].slice(1, -1));
      const col = numericColumn(frame, name, WHO);
      const out = new Float64Array(col.length);
      const m = inner.length;
      if (m <= 16) {
        // the common case, inlined: count the inner edges <= x without branches
        for (let i = 0; i < col.length; i++) {
          const x = col[i];
          let b = 0;
          for (let k = 0; k < m; k++) b += +(x >= inner[k]);
          out[i] = x === x ? b : NaN;
        }
      } else for (let i = 0; i < col.length; i++) out[i] = col[i] === col[i] ? binIndex(inner, col[i]) : NaN;
      return { name, type: 'integer' as const, values: out };
    });
    return withColumns(frame, add);
  },
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
