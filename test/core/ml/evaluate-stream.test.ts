import { describe, expect, it } from 'vitest';
import { relation, writeTable } from '../../../core/data/tables.ts';
import { addToTally, newTally, tallyReport } from '../../../core/ml/evaluation-report.ts';
import { evaluateTable } from '../../../core/ml/evaluate-stream.ts';
import { textKeys } from '../../../core/ml/frame.ts';
import { actualValues, predictTable } from '../../../core/ml/model.ts';
import { predictStreamStats } from '../../../core/ml/predict-stream.ts';
import type { MetricsValue, ModelValue, RunContext, TableRef } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { recipeModel } from '../../support/recipe-model.ts';

/** The unchunked path: every row read at once (ROW_ID order) and scored as one batch. */
async function evaluateWhole(ctx: RunContext, model: ModelValue, table: TableRef, group: string): Promise<MetricsValue> {
  const p = await predictTable(ctx, model, table, [model.target!, group]);
  const valueNames = [...new Set(model.inputColumns.map((c) => c.name))].slice(0, 8);
  const tally = newTally({ task: model.task, scope: 'test', classes: model.classes, detail: true, worstRows: 20, capacity: p.rowIds.length, group, valueNames });
  addToTally(tally, {
    yTrue: actualValues(model, p),
    prediction: p.prediction,
    rowIds: p.rowIds,
    groups: textKeys(p.raw, group, 'Evaluate'),
    rowValues: Object.fromEntries(valueNames.map((n) => [n, p.raw.columns[n]])),
  });
  return tallyReport(tally);
}

describe('Evaluate scores a table chunk by chunk (data past memory)', () => {
  it('a classifier evaluated in 64-row chunks gives the whole-table metrics, curves, worst rows and group scores, bit for bit', async () => {
    const { model, all } = await recipeModel('random_forest', 'label');
    expect(model.recipe.map((s) => s.kind)).toEqual(['scale', 'onehot']);
    const whole = await evaluateWhole(fakeContext(), model, all, 'city');
    const before = predictStreamStats.chunks;
    const chunked = await evaluateTable(fakeContext(), model, all, { worstRows: 20, group: 'city', chunkRows: 64 });
    expect(predictStreamStats.chunks - before).toBe(Math.ceil(300 / 64));
    expect(chunked).toEqual(whole);
    expect(Object.keys(chunked.values)).toEqual(expect.arrayContaining(['accuracy', 'f1', 'roc_auc', 'log_loss', 'demographic_parity_difference']));
    expect(chunked.charts.map((c) => c.id)).toEqual(['confusion', 'roc', 'pr', 'calibration', 'gains', 'lift', 'group_metrics']);
    const worst = chunked.tables.find((t) => t.id === 'worst_rows')!;
    expect(worst.rows).toHaveLength(20);
    expect(worst.columns).toEqual(['row', 'actual', 'predicted', 'probability_of_actual', 'x1', 'x2', 'city']);
  });

  it('a regressor evaluated in chunks gives the whole-table rmse, mae, r2, chart and worst rows', async () => {
    const { model, all } = await recipeModel('ridge', 'amount');
    const whole = await evaluateWhole(fakeContext(), model, all, 'city');
    const chunked = await evaluateTable(fakeContext(), model, all, { worstRows: 20, group: 'city', chunkRows: 37 });
    expect(chunked).toEqual(whole);
    expect(Object.keys(chunked.values)).toEqual(expect.arrayContaining(['rmse', 'mae', 'r2']));
  });

  it('a table stored out of ROW_ID order is scored in its file order: counts exact, log loss to the last digits', async () => {
    const { model, all } = await recipeModel('random_forest', 'label');
    const shuffled = await writeTable(fakeContext(), `SELECT * FROM ${relation(all)} ORDER BY x2 DESC`, { port: 'shuffled', recipe: all.recipe });
    const whole = await evaluateWhole(fakeContext(), model, shuffled, 'city');
    const chunked = await evaluateTable(fakeContext(), model, shuffled, { worstRows: 20, group: 'city', chunkRows: 64 });
    for (const name of ['accuracy', 'precision', 'recall', 'f1', 'f1_macro', 'roc_auc', 'demographic_parity_difference']) expect(chunked.values[name]).toBe(whole.values[name]);
    expect(chunked.values.log_loss).toBeCloseTo(whole.values.log_loss, 12);
    expect(chunked.charts.find((c) => c.id === 'roc')).toEqual(whole.charts.find((c) => c.id === 'roc'));
  });

  it('an empty table still needs its actual values: a missing target is named', async () => {
    const { model, raw } = await recipeModel('random_forest', 'label');
    const none = await writeTable(fakeContext(), `SELECT * EXCLUDE (label) FROM ${relation(raw)} WHERE false`, { port: 'none', recipe: raw.recipe });
    await expect(evaluateTable(fakeContext(), model, none, { worstRows: 20 })).rejects.toThrow(/no column "label"/);
  });
});
