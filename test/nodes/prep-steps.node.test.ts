import { describe, expect, it } from 'vitest';
import { readColumns } from '../../core/data/tables.ts';
import { fitRecipe, loadRawFrame } from '../../core/ml/recipe.ts';
import type { ImputeState } from '../../core/ml/prep/impute.ts';
import type { TableRef } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { CITY, N, pipelineWith, PREP_TEST_NODES, X } from './prep-test-nodes.ts';

async function run(type: string, params: Record<string, unknown>, opts: { split?: number } = {}) {
  return runPipeline(pipelineWith(type, params, opts), { nodes: PREP_TEST_NODES });
}
async function output(type: string, params: Record<string, unknown>) {
  const r = await run(type, params);
  const table = r.output<TableRef>('step', 'table');
  return { table, step: table.recipe.steps.at(-1)! };
}
const col = async (t: TableRef, name: string) => (await readColumns(t, [name])).columns[name];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('feature-step nodes, headless through compile + execute', () => {
  it('prep.impute fills gaps for preview and re-fits on the training rows', async () => {
    const r = await run('prep.impute', { columns: ['x'], strategy: 'mean', add_indicator: true }, { split: 10 });
    const table = r.output<TableRef>('step', 'table');
    const present = Array.from(X).filter((v) => !Number.isNaN(v));
    const x = (await col(table, 'x')) as Float64Array;
    expect(x[3]).toBeCloseTo(mean(present), 12);
    expect(Array.from((await col(table, 'x_was_missing')) as Float64Array).filter((v) => v === 1)).toHaveLength(2);
    expect(table.recipe.steps[0]).toMatchObject({ nodeId: 'step', kind: 'impute', inputs: ['x'], outputs: ['x', 'x_was_missing'], exportable: true });
    // the training part re-fits on its 10 raw rows
    const train = r.output<TableRef>('split', 'train');
    const { frame } = await loadRawFrame(train);
    const fitted = fitRecipe(train.recipe.steps, frame);
    const trainPresent = Array.from(X.slice(0, 10)).filter((v) => !Number.isNaN(v));
    expect((fitted[0].state as ImputeState).columns[0].fill).toBeCloseTo(mean(trainPresent), 12);
  });

  it('prep.impute refuses the mean of a text column, naming it', async () => {
    const r = await run('prep.impute', { columns: ['city'], strategy: 'mean' });
    expect(r.node('step').status).toBe('error');
    expect(r.node('step').error?.message).toMatch(/column 'city' is text \(VARCHAR\)/);
  });

  it('prep.outliers clips to IQR bounds, or removes the rows (keeping the recipe)', async () => {
    const clipped = await output('prep.outliers', { columns: ['pos'], method: 'iqr', factor: 0.5, action: 'clip' });
    const pos = (await col(clipped.table, 'pos')) as Float64Array;
    const { upper } = clipped.step.state as { upper: number[] };
    expect(Math.max(...pos)).toBeCloseTo(upper[0], 12);
    const removed = await run('prep.outliers', { columns: ['pos'], method: 'iqr', factor: 0.5, action: 'remove' });
    const t = removed.output<TableRef>('step', 'table');
    const { lower } = clipped.step.state as { lower: number[] };
    const raw = Array.from({ length: N }, (_, i) => 1 + ((i * 7) % 11) ** 2);
    const kept = raw.filter((v) => v >= lower[0] && v <= upper[0]).length;
    expect(kept).toBeLessThan(N);
    expect(t.rowCount).toBe(kept);
    expect(t.recipe.steps).toHaveLength(0);
  });

  it('prep.cast turns text into numbers (unreadable → missing)', async () => {
    const { table } = await output('prep.cast', { columns: ['city'], to: 'number' });
    expect(Array.from((await col(table, 'city')) as Float64Array).every(Number.isNaN)).toBe(true);
  });

  it('prep.discretize makes quantile bin indices', async () => {
    const { table } = await output('prep.discretize', { columns: ['pos'], strategy: 'quantile', n_bins: 4 });
    const bins = Array.from((await col(table, 'pos')) as Float64Array);
    expect(new Set(bins)).toEqual(new Set([0, 1, 2, 3]));
  });

  it('prep.date_parts adds year / month / weekday and drops the date', async () => {
    const { table } = await output('prep.date_parts', { columns: ['day'], parts: ['year', 'month', 'weekday'] });
    expect(table.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['day_year', 'day_month', 'day_weekday']));
    expect(table.columns.map((c) => c.name)).not.toContain('day');
    expect(((await col(table, 'day_year')) as Float64Array)[0]).toBe(2024);
    expect(((await col(table, 'day_weekday')) as Float64Array)[0]).toBe(0); // 2024-01-01 was a Monday
  });

  it('prep.split_text splits "Paris, FR" into two trimmed parts', async () => {
    const { table } = await output('prep.split_text', { column: 'place', delimiter: ',', parts: 2 });
    expect(((await col(table, 'place_1')) as string[])[0]).toBe('Paris');
    expect(((await col(table, 'place_2')) as string[])[1]).toBe('EU');
  });

  it('prep.transform applies log1p', async () => {
    const { table } = await output('prep.transform', { columns: ['pos'], method: 'log1p', standardize: false });
    expect(((await col(table, 'pos')) as Float64Array)[0]).toBeCloseTo(Math.log1p(1), 14);
    // an error raised while fitting (on the worker thread) reaches the user as it was written
    const bad = await run('prep.transform', { columns: ['x'], method: 'box-cox' });
    expect(bad.node('step').error).toMatchObject({ code: 'BAD_DATA', column: 'x', message: expect.stringMatching(/Box-Cox needs strictly positive values, but column 'x'/) });
  });

  it('prep.scale standardises, and names a text column it cannot scale', async () => {
    const { table } = await output('prep.scale', { columns: ['pos'], method: 'standard' });
    const v = Array.from((await col(table, 'pos')) as Float64Array);
    expect(mean(v)).toBeCloseTo(0, 12);
    const bad = await run('prep.scale', { columns: ['city'] });
    expect(bad.node('step').error?.message).toBe(
      "Scale Features: column 'city' is text (VARCHAR). Scaling needs numbers — encode it first with Encode Categories, or remove it from the column list.",
    );
  });

  it('prep.encode one-hot with an "other" bucket; target encoding fitted out-of-fold', async () => {
    // Paris 11, Lyon 4, Nice 4, missing 1: keep 2 + other; of the tied Lyon/Nice the earlier (Lyon) goes to other, as scikit-learn
    const { table } = await output('prep.encode', { columns: ['city'], method: 'onehot', max_categories: 3 });
    expect(table.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['city_Nice', 'city_Paris', 'city_other']));
    expect(table.columns.map((c) => c.name)).not.toContain('city');
    const paris = (await col(table, 'city_Paris')) as Float64Array;
    expect(Array.from(paris)).toEqual(CITY.map((c) => (c === 'Paris' ? 1 : 0)));
    const te = await output('prep.encode', { columns: ['city'], method: 'target', target: 'y', cv: 5 });
    expect(te.step.kind).toBe('target_encode');
    const enc = (await col(te.table, 'city')) as Float64Array;
    expect(enc.length).toBe(N);
    // out-of-fold: two Paris rows do not all share the full-data encoding
    const full = (te.step.state as { columns: { categories: (string | null)[]; encodings: number[] }[] }).columns[0];
    const parisFull = full.encodings[full.categories.indexOf('Paris')];
    expect(Array.from(enc).filter((v, i) => CITY[i] === 'Paris' && v !== parisFull).length).toBeGreaterThan(0);
  });

  it('prep.formula adds a computed column and names an unknown column', async () => {
    const { table } = await output('prep.formula', { output: 'ratio', expression: 'if(pos > 10, pos / 2, 0)' });
    const pos = (await col(table, 'pos')) as Float64Array;
    const ratio = (await col(table, 'ratio')) as Float64Array;
    expect(Array.from(ratio)).toEqual(Array.from(pos, (p) => (p > 10 ? p / 2 : 0)));
    const bad = await run('prep.formula', { output: 'r', expression: 'price * 2' });
    expect(bad.node('step').error).toMatchObject({ code: 'EXPRESSION_ERROR', column: 'price' });
  });

  it('prep.group_features adds the mean of y per city', async () => {
    const { table } = await output('prep.group_features', { keys: ['city'], column: 'y', aggs: ['mean', 'count'] });
    const m = (await col(table, 'y_mean_by_city')) as Float64Array;
    const yOf = (c: string | null) => Array.from({ length: N }, (_, i) => i).filter((i) => CITY[i] === c);
    const paris = yOf('Paris');
    expect(m[paris[0]]).toBeCloseTo(mean(paris.map((i) => [1, 0][i % 2] + (i > 12 ? 0.5 : 0))), 12);
    expect(((await col(table, 'y_count_by_city')) as Float64Array)[paris[0]]).toBe(paris.length);
  });

  it('prep.pca replaces columns by components', async () => {
    const { table, step } = await output('prep.pca', { columns: ['pos', 'y'], n_components: 1 });
    expect(table.columns.map((c) => c.name)).toContain('pc1');
    expect(table.columns.map((c) => c.name)).not.toContain('pos');
    expect(step.outputs).toEqual(['pc1']);
  });

  it('prep.select_features drops a constant-free column set by k-best', async () => {
    const { table, step } = await output('prep.select_features', { columns: ['pos', 'y'], method: 'kbest', k: 1, score: 'f_classif', target: 'label' });
    // y is built from the label: it must win
    expect((step.state as { kept: string[] }).kept).toEqual(['y']);
    expect(table.columns.map((c) => c.name)).not.toContain('pos');
  });
});
