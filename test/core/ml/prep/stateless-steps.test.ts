import { stepParams } from './helpers.ts';
import { describe, expect, it } from 'vitest';
import { frameFromArrays } from '../../../../core/ml/frame.ts';
import { cast } from '../../../../core/ml/prep/cast.ts';
import { dateParts } from '../../../../core/ml/prep/date-parts.ts';
import { groupAgg } from '../../../../core/ml/prep/group-agg.ts';
import { splitText } from '../../../../core/ml/prep/split-text.ts';

describe('date parts, split text, cast, group aggregates', () => {
  it('date parts in UTC, weekday 0 = Monday, ISO text parsed', () => {
    const f = frameFromArrays({ d: ['2024-02-29T13:45:00Z', '2023-12-31', null] });
    const out = dateParts.apply(dateParts.fit(f, stepParams(dateParts, { columns: ['d'], parts: ['year', 'month', 'day', 'weekday', 'hour', 'minute', 'day_of_year', 'quarter', 'is_weekend'] })), f);
    const row = (i: number) => ['year', 'month', 'day', 'weekday', 'hour', 'minute', 'day_of_year', 'quarter', 'is_weekend'].map((p) => (out.columns[`d_${p}`] as Float64Array)[i]);
    expect(row(0)).toEqual([2024, 2, 29, 3, 13, 45, 60, 1, 0]);
    expect(row(1)).toEqual([2023, 12, 31, 6, 0, 0, 365, 4, 1]);
    expect(row(2).every(Number.isNaN)).toBe(true);
    expect('d' in out.columns).toBe(false);
  });

  it('split text: fixed parts, the last keeps the rest, missing parts are missing', () => {
    const f = frameFromArrays({ p: ['a-b-c-d', 'x', null] });
    const out = splitText.apply(splitText.fit(f, stepParams(splitText, { column: 'p', delimiter: '-', parts: 3 })), f);
    expect([out.columns.p_1, out.columns.p_2, out.columns.p_3]).toEqual([
      ['a', 'x', null],
      ['b', null, null],
      ['c-d', null, null],
    ]);
  });

  it('cast: text → number / integer / boolean, number → text', () => {
    const f = frameFromArrays({ s: [' 12.5', 'abc', '', null], b: ['Yes', 'no', '1', 'maybe'], n: [1.5, NaN, 3, 4] });
    expect(Array.from(cast.apply(cast.fit(f, { columns: ['s'], to: 'number' }), f).columns.s as Float64Array)).toEqual([12.5, NaN, NaN, NaN]);
    expect(Array.from(cast.apply(cast.fit(f, { columns: ['s'], to: 'integer' }), f).columns.s as Float64Array)).toEqual([12, NaN, NaN, NaN]);
    expect(Array.from(cast.apply(cast.fit(f, { columns: ['b'], to: 'boolean' }), f).columns.b as Float64Array)).toEqual([1, 0, 1, NaN]);
    expect(cast.apply(cast.fit(f, { columns: ['n'], to: 'string' }), f).columns.n).toEqual(['1.5', null, '3', '4']);
  });

  it('group aggregates are learned from the fitting rows only; unknown groups get missing / 0', () => {
    const f = frameFromArrays({ g: ['a', 'a', 'b', 'b', 'c'], v: [1, 3, 10, NaN, 100] });
    const state = groupAgg.fit(f, { keys: ['g'], column: 'v', aggs: ['mean', 'count', 'sum', 'min', 'max'] }, Uint32Array.from([0, 1, 2, 3]));
    const out = groupAgg.apply(state, f);
    expect(Array.from(out.columns.v_mean_by_g as Float64Array)).toEqual([2, 2, 10, 10, NaN]);
    expect(Array.from(out.columns.v_count_by_g as Float64Array)).toEqual([2, 2, 1, 1, 0]);
    expect(Array.from(out.columns.v_sum_by_g as Float64Array)).toEqual([4, 4, 10, 10, NaN]);
    expect(Array.from(out.columns.v_min_by_g as Float64Array)).toEqual([1, 1, 10, 10, NaN]);
    expect(Array.from(out.columns.v_max_by_g as Float64Array)).toEqual([3, 3, 10, 10, NaN]);
  });
});
