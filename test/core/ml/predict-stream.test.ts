import { describe, expect, it } from 'vitest';
import { relation, withConnection, writeTable } from '../../../core/data/tables.ts';
import { predictionColumns, predictTable } from '../../../core/ml/model.ts';
import { predictStreamStats, predictToTable } from '../../../core/ml/predict-stream.ts';
import { writeColumns } from '../../../core/data/tables.ts';
import { type ModelValue, type RunContext, type TableRef } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { recipeModel } from '../../support/recipe-model.ts';

/** Every column of a table (ROW_ID first), rows in FILE order: what a reader of the output sees. */
async function fileRows(t: TableRef): Promise<unknown[][]> {
  return withConnection(async (con) => (await con.runAndReadAll(`SELECT * FROM ${relation(t)}`)).getRowsJS());
}

/** Today's whole-table path: every row read and scored at once, then written beside the table. */
async function predictWhole(ctx: RunContext, model: ModelValue, table: TableRef): Promise<TableRef> {
  return writeColumns(ctx, table, predictionColumns(model, await predictTable(ctx, model, table)));
}

describe('Predict scores a table chunk by chunk (data past memory)', () => {
  it('chunked predictions equal the whole-table ones, row for row in file order, across chunk boundaries (classifier, recipe replayed from raw rows)', async () => {
    const { model, all } = await recipeModel('random_forest', 'label');
    expect(model.recipe.map((s) => s.kind)).toEqual(['scale', 'onehot']);
    expect(all.recipe.steps.length).toBeGreaterThan(0);
    // File order unlike ROW_ID order: the output must keep the table's own order.
    const ctx = fakeContext();
    const shuffled = await writeTable(ctx, `SELECT * FROM ${relation(all)} ORDER BY x2 DESC`, { port: 'shuffled', recipe: all.recipe });
    const whole = await predictWhole(fakeContext(), model, shuffled);
    const before = predictStreamStats.chunks;
    const chunked = await predictToTable(fakeContext(), model, shuffled, { chunkRows: 64 });
    expect(predictStreamStats.chunks - before).toBe(Math.ceil(300 / 64));
    expect(chunked.columns).toEqual(whole.columns);
    expect(chunked.columns.map((c) => c.name).slice(-3)).toEqual(['prediction', 'proba_no', 'proba_yes']);
    const [a, b] = [await fileRows(chunked), await fileRows(whole)];
    expect(a).toHaveLength(300);
    expect(a).toEqual(b);
    // and the rows really are out of ROW_ID order, as written
    const ids = a.map((r) => Number(r[0]));
    expect(ids).not.toEqual([...ids].sort((x, y) => x - y));
  });

  it('a table with no recipe (read as it is) and a regressor: the same numbers chunked or whole', async () => {
    const { model, raw } = await recipeModel('ridge', 'amount');
    const ctx = fakeContext();
    // The source rows, no recipe to replay, in an order of their own (ROW_ID carried through).
    const plain = await writeTable(ctx, `SELECT * FROM ${relation(raw)} ORDER BY x1`, { port: 'plain', recipe: raw.recipe });
    expect(plain.recipe.steps).toEqual([]);
    const whole = await predictWhole(fakeContext(), model, plain);
    const chunked = await predictToTable(fakeContext(), model, plain, { chunkRows: 64 });
    expect(await fileRows(chunked)).toEqual(await fileRows(whole));
    expect(chunked.columns.at(-1)).toMatchObject({ name: 'prediction', type: 'number' });
  });

  it('an empty table gets the prediction columns and no rows', async () => {
    const { model, all } = await recipeModel('random_forest', 'label');
    const ctx = fakeContext();
    const none = await writeTable(ctx, `SELECT * FROM ${relation(all)} WHERE false`, { port: 'none', recipe: all.recipe });
    const out = await predictToTable(fakeContext(), model, none, { chunkRows: 7 });
    expect(out.rowCount).toBe(0);
    expect(out.columns.map((c) => c.name).slice(-3)).toEqual(['prediction', 'proba_no', 'proba_yes']);
  });
});
