/**
 * A mistake in Filter Rows, Formula Column or Group Aggregates is reported in the user's words:
 * the expression as written and the column it names — never SQL the engine generated.
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runPipeline } from '../support/run-pipeline.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/data');

/** people.csv (id, name, age, income, city, joined, member) → one node; its error. */
async function errorOf(type: string, params: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-errors-'));
  copyFileSync(join(FIXTURES, 'people.csv'), join(dir, 'people.csv'));
  const r = await runPipeline(
    { nodes: [{ id: 'people', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } }, { id: 'n', type, version: 1, params }], edges: [{ from: 'people.table', to: 'n.table' }] },
    { dir },
  );
  const error = r.node('n').error;
  expect(error, `${type} ${JSON.stringify(params)} should fail`).toBeDefined();
  return error!;
}

/** What generated SQL looks like in a message: keywords, casts, bound parameters, DuckDB's caret lines. */
function expectNoSql(text: string): void {
  expect(text).not.toMatch(/\bSELECT\b|\bFROM\b|\bCAST\(|\$\d|LINE \d|Binder Error|Parser Error|__row|TRY_CAST|DOUBLE|VARCHAR/);
}

describe('user-facing errors name the expression and the column, never SQL', () => {
  it('a bad Filter Rows expression names the expression and the column', async () => {
    const e = await errorOf('data.filter_rows', { condition: 'city + 1 > 2' });
    expect(e).toMatchObject({ code: 'EXPRESSION_ERROR', column: 'city', nodeId: 'n' });
    expect(e.message).toBe(`Filter "city + 1 > 2": '+' needs numbers, but column 'city' (text) is not a number.`);
    expectNoSql(`${e.message} ${e.hint ?? ''}`);
    const typo = await errorOf('data.filter_rows', { condition: "cty = 'Paris'" });
    expect(typo).toMatchObject({ column: 'cty' });
    expect(typo.message).toBe(`Filter "cty = 'Paris'": there is no column 'cty'.`);
    expectNoSql(`${typo.message} ${typo.hint ?? ''}`);
  });

  it('a bad Formula Column names its expression, and arithmetic on a text column is an error, not a column of blanks', async () => {
    const text = await errorOf('prep.formula', { output: 'x', expression: 'city * 2' });
    expect(text).toMatchObject({ code: 'EXPRESSION_ERROR', column: 'city', nodeId: 'n' });
    expect(text.message).toBe(`Formula "city * 2": '*' needs numbers, but column 'city' (text) is not a number.`);
    const fn = await errorOf('prep.formula', { output: 'x', expression: 'log(name) + age' });
    expect(fn.message).toBe(`Formula "log(name) + age": log() needs numbers, but column 'name' (text) is not a number.`);
    const quoted = await errorOf('prep.formula', { output: 'x', expression: "age / '2'" });
    expect(quoted.message).toBe(`Formula "age / '2'": '/' needs numbers, but the text '2' is not a number.`);
    const syntax = await errorOf('prep.formula', { output: 'x', expression: 'age +' });
    expect(syntax.message).toBe('Formula "age +": the expression ends too early.');
    const missing = await errorOf('prep.formula', { output: 'x', expression: 'incme / 12' });
    expect(missing).toMatchObject({ column: 'incme' });
    expect(missing.message).toBe(`Formula "incme / 12": there is no column 'incme'.`);
    for (const e of [text, fn, quoted, syntax, missing]) expectNoSql(`${e.message} ${e.hint ?? ''}`);
  });

  it('text still works where the language allows it: comparisons, if() choosing text, coalesce', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-errors-'));
    copyFileSync(join(FIXTURES, 'people.csv'), join(dir, 'people.csv'));
    const r = await runPipeline(
      {
        nodes: [
          { id: 'people', type: 'data.load_csv', version: 1, params: { path: 'people.csv' } },
          { id: 'a', type: 'prep.formula', version: 1, params: { output: 'paris', expression: "if(city = 'Paris', 'yes', 'no')" } },
          { id: 'b', type: 'prep.formula', version: 1, params: { output: 'older', expression: 'age * 2 + income / 1000' } },
        ],
        edges: [{ from: 'people.table', to: 'a.table' }, { from: 'a.table', to: 'b.table' }],
      },
      { dir },
    );
    expect(r.node('a').error).toBeUndefined();
    expect(r.node('b').error).toBeUndefined();
  });

  it('a missing column in Group Aggregates names the column and lists the real ones', async () => {
    const key = await errorOf('prep.group_features', { keys: ['cityy'], column: 'age', aggs: ['mean'] });
    expect(key).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'cityy', nodeId: 'n' });
    expect(key.message).toBe("Group Aggregates: there is no column 'cityy' in the input table.");
    expect(key.hint).toContain('city');
    const value = await errorOf('prep.group_features', { keys: ['city'], column: 'agee', aggs: ['mean'] });
    expect(value).toMatchObject({ code: 'COLUMN_NOT_FOUND', column: 'agee' });
    const text = await errorOf('prep.group_features', { keys: ['city'], column: 'name', aggs: ['mean'] });
    expect(text).toMatchObject({ code: 'COLUMN_TYPE', column: 'name' });
    expect(text.message).toContain("column 'name' is text");
    for (const e of [key, value]) expectNoSql(`${e.message} ${e.hint ?? ''}`);
  });
});
