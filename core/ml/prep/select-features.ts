/**
 * Feature selection that learns which of the candidate columns to keep, on the fitting rows:
 *  - variance: keep columns whose population variance > threshold (scikit-learn's
 *    VarianceThreshold; with threshold 0 constant columns go);
 *  - correlation: walk the columns in order and drop one whose |Pearson r| with an
 *    already-kept column exceeds the threshold;
 *  - kbest: keep the k best by f_classif (one-way ANOVA F) or f_regression (F of the correlation
 *    with the target), as SelectKBest (ties: the later column wins, as its stable argsort).
 * Missing values are skipped pairwise. Apply drops the unkept columns. Exportable (it only drops).
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { numericColumn, pick, textKeys, withColumns, type Frame } from '../frame.ts';
import { moments } from './stats.ts';
import type { StepKind } from './types.ts';

export const selectParams = z.object({
  columns: param.selection('Candidate columns (others pass through untouched)', { types: NUMERIC }).default([]),
  method: z.enum(['variance', 'correlation', 'kbest']).default('variance').describe('variance: drop columns whose variance ≤ threshold; correlation: drop a column whose |r| with an earlier kept one > threshold; kbest: keep the k highest F scores'),
  threshold: z.number().min(0).optional().describe('variance: default 0 (drops constant columns); correlation: default 0.95'),
  k: z.number().int().min(1).default(10).describe('kbest: how many columns to keep'),
  score: z.enum(['f_classif', 'f_regression']).default('f_classif').describe('kbest: f_classif for a category target, f_regression for a numeric one'),
  target: param.column('kbest: the column to predict').optional(),
});
export type SelectParams = Resolved<z.infer<typeof selectParams>>;

export interface SelectState {
  kept: string[];
  dropped: string[];
  /** Variance, max |r| with a kept column, or F score, per candidate column. */
  scores: number[];
}

const WHO = 'Select Features';

function pearson(a: Float64Array, b: Float64Array): number {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    n++;
    sa += a[i];
    sb += b[i];
  }
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) continue;
    const da = a[i] - ma;
    const db = b[i] - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return cov / Math.sqrt(va * vb);
}

export function fRegression(x: Float64Array, y: Float64Array): number {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) n++;
  const r = pearson(x, y);
  return ((r * r) / (1 - r * r)) * (n - 2);
}

export function fClassif(x: Float64Array, cls: (string | null)[]): number {
  const groups = new Map<string, { n: number; s: number }>();
  let n = 0;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || cls[i] === null) continue;
    const g = groups.get(cls[i]!) ?? { n: 0, s: 0 };
    g.n++;
    g.s += x[i];
    groups.set(cls[i]!, g);
    n++;
    total += x[i];
  }
  const mean = total / n;
  let ssb = 0;
  for (const g of groups.values()) ssb += g.n * (g.s / g.n - mean) ** 2;
  let ssw = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || cls[i] === null) continue;
    const g = groups.get(cls[i]!)!;
    ssw += (x[i] - g.s / g.n) ** 2;
  }
  const dfb = groups.size - 1;
  const dfw = n - groups.size;
  return ssb / dfb / (ssw / dfw);
}

export const selectFeatures: StepKind<SelectParams, SelectState, typeof selectParams> = {
  kind: 'select_features',
  title: WHO,
  params: selectParams,
  exportable: true,
  fit(frame: Frame, params, rowIndex) {
    const cols = params.columns.map((c) => pick(numericColumn(frame, c, WHO, 'encode it first with Encode Categories'), rowIndex));
    let keep: boolean[];
    let scores: number[];
    if (params.method === 'variance') {
      const t = params.threshold ?? 0;
      const ms = cols.map(moments);
      scores = ms.map((m) => m.variance);
      keep = ms.map((m) => m.variance > t && (t > 0 || m.max > m.min));
    } else if (params.method === 'correlation') {
      const t = params.threshold ?? 0.95;
      keep = [];
      scores = [];
      cols.forEach((c, j) => {
        let worst = 0;
        for (let i = 0; i < j; i++) if (keep[i]) worst = Math.max(worst, Math.abs(pearson(cols[i], c)) || 0);
        scores.push(worst);
        keep.push(worst <= t);
      });
    } else {
      if (!params.target) throw new FlowlineError({ code: 'INVALID_PARAM', message: `${WHO}: k-best needs a target column to score against.`, path: ['target'] });
      if (params.columns.includes(params.target)) throw new FlowlineError({ code: 'INVALID_PARAM', message: `${WHO}: the target '${params.target}' is also among the columns to select from.`, hint: 'Remove the target from the column list.', column: params.target });
      const score = params.score ?? 'f_classif';
      if (score === 'f_regression') {
        const y = pick(numericColumn(frame, params.target, WHO, 'use f_classif for a text target'), rowIndex);
        scores = cols.map((c) => fRegression(c, y));
      } else {
        const y = pick(textKeys(frame, params.target, WHO), rowIndex);
        scores = cols.map((c) => fClassif(c, y));
      }
      const k = Math.min(params.k ?? 10, cols.length);
      const order = scores.map((_, i) => i).sort((a, b) => (scores[a] || 0) - (scores[b] || 0) || a - b);
      const best = new Set(order.slice(order.length - k));
      keep = cols.map((_, i) => best.has(i));
    }
    return { kept: params.columns.filter((_, i) => keep[i]), dropped: params.columns.filter((_, i) => !keep[i]), scores };
  },
  apply: (state, frame) => withColumns(frame, [], state.dropped),
  io: (params, state) => ({ inputs: [...params.columns], outputs: state ? [...state.kept] : [...params.columns] }),
  drops: (params) => [...params.columns],
};
