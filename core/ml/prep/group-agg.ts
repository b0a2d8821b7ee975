/**
 * Group features: for each row, a statistic of `column` over the fitting rows that share its key
 * (mean / count / sum / min / max, missing values skipped), learned from the fitting rows only —
 * so the test rows' values never shape their own features. Unknown keys get missing (count: 0).
 * Outputs `<column>_<agg>_by_<key1>_<key2>`. Exportable: at serving time it is a lookup table
 * (an ONNX LabelEncoder on the key).
 */
import { z } from 'zod';
import { NUMERIC, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { numericColumn, textKeys, withColumns, type Frame, type NewColumn } from '../frame.ts';
import type { StepKind } from './types.ts';

export type GroupAgg = 'mean' | 'count' | 'sum' | 'min' | 'max';

export const groupAggParams = z.object({
  keys: param.columns('Columns that define a group').default([]),
  column: param.column('Numeric column to summarise', { types: NUMERIC }).default(''),
  aggs: z.array(z.enum(['mean', 'count', 'sum', 'min', 'max'])).min(1).default(['mean']).describe('Statistics to add as <column>_<stat>_by_<keys>'),
});
export type GroupAggParams = Resolved<z.infer<typeof groupAggParams>>;

export interface GroupAggState {
  keys: string[];
  column: string;
  aggs: GroupAgg[];
  groups: string[];
  /** values[a][g]: statistic a of group g. */
  values: number[][];
}

const WHO = 'Group Features';
const SEP = '\u0001';

export const groupAggName = (p: { keys: string[]; column: string }, agg: GroupAgg) => `${p.column}_${agg}_by_${p.keys.join('_')}`;

function groupKeys(frame: Frame, keys: string[]): string[] {
  const cols = keys.map((k) => textKeys(frame, k, WHO));
  const out = new Array<string>(frame.rows);
  for (let i = 0; i < frame.rows; i++) out[i] = cols.map((c) => (c[i] === null ? '\u0000' : c[i])).join(SEP);
  return out;
}

export const groupAgg: StepKind<GroupAggParams, GroupAggState, typeof groupAggParams> = {
  kind: 'group_agg',
  title: WHO,
  params: groupAggParams,
  exportable: true,
  fit(frame, params, rowIndex) {
    if (params.keys.length === 0) throw new FlowlineError({ code: 'INVALID_PARAM', message: `${WHO}: choose at least one column to group by.`, path: ['keys'] });
    const keys = groupKeys(frame, params.keys);
    const v = numericColumn(frame, params.column, WHO, 'choose a numeric column to aggregate');
    const slot = new Map<string, number>();
    const sum: number[] = [];
    const count: number[] = [];
    const min: number[] = [];
    const max: number[] = [];
    const n = rowIndex ? rowIndex.length : frame.rows;
    for (let r = 0; r < n; r++) {
      const i = rowIndex ? rowIndex[r] : r;
      let s = slot.get(keys[i]);
      if (s === undefined) {
        s = sum.length;
        slot.set(keys[i], s);
        sum.push(0);
        count.push(0);
        min.push(NaN);
        max.push(NaN);
      }
      const x = v[i];
      if (Number.isNaN(x)) continue;
      sum[s] += x;
      count[s]++;
      if (!(x >= min[s])) min[s] = x;
      if (!(x <= max[s])) max[s] = x;
    }
    const values = params.aggs.map((a) =>
      sum.map((_, s) => (a === 'count' ? count[s] : count[s] === 0 ? NaN : a === 'sum' ? sum[s] : a === 'mean' ? sum[s] / count[s] : a === 'min' ? min[s] : max[s])),
    );
    // A group with no values has NaN statistics; JSON turns them into null, which apply reads as missing.
    return { keys: [...params.keys], column: params.column, aggs: [...params.aggs], groups: [...slot.keys()], values };
  },
  apply(state, frame) {
    const keys = groupKeys(frame, state.keys);
    const slot = new Map<string, number>(state.groups.map((g, s) => [g, s]));
    const add: NewColumn[] = state.aggs.map((agg, a) => {
      const out = new Float64Array(frame.rows);
      const vals = state.values[a];
      for (let i = 0; i < frame.rows; i++) {
        const s = slot.get(keys[i]);
        out[i] = s === undefined ? (agg === 'count' ? 0 : NaN) : (vals[s] ?? NaN);
      }
      return { name: groupAggName(state, agg), type: agg === 'count' ? 'integer' : 'number', values: out };
    });
    return withColumns(frame, add);
  },
  io: (params) => ({ inputs: [...params.keys, params.column], outputs: params.aggs.map((a) => groupAggName(params, a)) }),
};
