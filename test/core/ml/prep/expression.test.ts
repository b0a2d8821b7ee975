import { describe, expect, it } from 'vitest';
import { frameFromArrays } from '../../../../core/ml/frame.ts';
import { compileExpression, parseExpression } from '../../../../core/ml/prep/expression.ts';
import { formula } from '../../../../core/ml/prep/formula.ts';

const frame = frameFromArrays({ a: [1, 2, NaN, 4], b: [10, 20, 30, 40], city: ['Paris', 'Lyon', null, 'Paris'], 'unit price': [2, 3, 4, 5] });
const evalAll = (src: string) => {
  const f = compileExpression(parseExpression(src), frame);
  return Array.from({ length: frame.rows }, (_, i) => f(i));
};

describe('formula expressions (no eval)', () => {
  it('follows arithmetic precedence, right-assoc power and unary minus', () => {
    expect(evalAll('1 + 2 * 3 ^ 2 ^ 0.5')[0]).toBeCloseTo(1 + 2 * 3 ** (2 ** 0.5), 14);
    expect(evalAll('-2 ^ 2')[0]).toBe(-4);
    expect(evalAll('(a + b) / 2 % 4')).toEqual([1.5, 3, NaN, 2]);
  });

  it('compares, combines with and/or/not, and branches with if', () => {
    expect(evalAll('a >= 2 and b < 40')).toEqual([0, 1, NaN, 0]);
    expect(evalAll('not (a = 1) || b == 10')).toEqual([1, 1, NaN, 1]);
    expect(evalAll('if(city == "Paris", b, -b)')).toEqual([10, -20, NaN, 40]);
    expect(evalAll("city != 'Paris'")).toEqual([0, 1, NaN, 0]);
  });

  it('reads is null, in (...) and SQL-style three-valued and/or, as Filter Rows does', () => {
    expect(evalAll('a is null')).toEqual([0, 0, 1, 0]);
    expect(evalAll('a IS NOT NULL')).toEqual([1, 1, 0, 1]);
    expect(evalAll("city in ('Paris', 'Nice')")).toEqual([1, 0, NaN, 1]);
    expect(evalAll("city not in ('Paris')")).toEqual([0, 1, NaN, 0]);
    expect(evalAll('a > 1 or b == 30')).toEqual([0, 1, 1, 1]);
    expect(evalAll('a > 1 and b == 10')).toEqual([0, 0, 0, 0]);
    expect(evalAll('true and a > 0')).toEqual([1, 1, NaN, 1]);
    expect(() => evalAll('a is 3')).toThrow("expected 'null' after 'is'");
  });

  it('has the documented functions and backticked names', () => {
    expect(evalAll('round(log(b) * 100) / 100')[0]).toBe(2.3);
    expect(evalAll('round(sqrt(b), 2)')[1]).toBe(4.47);
    expect(evalAll('max(a, 3, abs(-5)) + min(a, b)')).toEqual([6, 7, NaN, 9]);
    expect(evalAll('coalesce(a, 0) + is_missing(a)')).toEqual([1, 2, 1, 4]);
    expect(evalAll('`unit price` * b')).toEqual([20, 60, 120, 200]);
    expect(evalAll('exp(0) + floor(2.7) + ceil(2.1)')[0]).toBe(6);
  });

  it('gives clear errors: unknown column, unknown function, bad syntax', () => {
    expect(() => evalAll('price * 2')).toThrow("Formula: there is no column 'price'.");
    expect(() => evalAll('foo(a)')).toThrow("unknown function 'foo'");
    expect(() => evalAll('a + ')).toThrow('ends too early');
    expect(() => evalAll('a $ b')).toThrow("unexpected character '$' at position 3");
    expect(() => evalAll('if(a, 1)')).toThrow('if() takes 3 argument(s), got 2');
    expect(() => evalAll('constructor')).toThrow("no column 'constructor'");
  });

  it('the formula step adds a column and names its inputs', () => {
    const state = formula.fit(frame, { output: 'ab', expression: 'a * b' });
    expect(Array.from(formula.apply(state, frame).columns.ab as Float64Array)).toEqual([10, 40, NaN, 160]);
    expect(formula.io({ output: 'ab', expression: 'a * b + a' }, state)).toEqual({ inputs: ['a', 'b'], outputs: ['ab'] });
  });
});
