import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile } from '../../core/compile/index.ts';
import { readColumns } from '../../core/data/tables.ts';
import type { ImputeState } from '../../core/ml/prep/impute.ts';
import type { OneHotState } from '../../core/ml/prep/onehot.ts';
import { Pipeline } from '../../core/schema/index.ts';
import type { MetricsValue, ModelValue, TableRef } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';
import { itPython, runPython } from '../support/python.ts';
import { runPipeline } from '../support/run-pipeline.ts';

const PENGUINS = new URL('../../templates/data/penguins.csv', import.meta.url).pathname;

/** penguins.csv straight from Load CSV (text columns, missing numbers and a missing sex) into Train. */
function penguins(trainParams: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-autoprep-'));
  copyFileSync(PENGUINS, join(dir, 'penguins.csv'));
  return {
    dir,
    pipeline: {
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'penguins.csv' } },
        { id: 'train', type: 'ml.train', version: 3, params: { target: 'species', learner: 'random_forest', learner_params: { n_estimators: 20 }, ...trainParams } },
        { id: 'predict', type: 'ml.predict', version: 1, params: {} },
        { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
      ],
      edges: [
        { from: 'load.table', to: 'train.table' },
        { from: 'train.model', to: 'predict.model' },
        { from: 'load.table', to: 'predict.table' },
        { from: 'train.model', to: 'evaluate.model' },
        { from: 'load.table', to: 'evaluate.table' },
      ],
    },
  };
}

describe('Train with automatic preparation', () => {
  it('trains on the raw penguins file (text and missing values) and its model predicts every raw row', async () => {
    const { dir, pipeline } = penguins({});
    const run = await runPipeline(pipeline, { dir });
    const model = run.output<ModelValue>('train', 'model');
    expect(model.recipe.map((s) => [s.kind, s.auto, s.inputs])).toEqual([
      ['impute', true, ['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g']],
      ['onehot', true, ['island', 'sex']],
    ]);
    expect(model.features).toEqual([
      'island_Biscoe', 'island_Dream', 'island_Torgersen',
      'beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g',
      'sex_FEMALE', 'sex_MALE', 'sex_missing',
    ]);
    expect(model.inputColumns.map((c) => c.name)).toEqual(['island', 'beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g', 'sex']);
    // listed with the training results
    const table = run.output<MetricsValue>('train', 'metrics').tables.find((t) => t.id === 'auto_prep')!;
    expect(table.rows.map((r) => r[0])).toEqual(['fill missing with the median', 'one-hot encode']);
    // the model scores raw rows, the two with no measurements included
    const predicted = await readColumns(run.output<TableRef>('predict', 'table'), ['prediction']);
    expect(predicted.rowIds.length).toBe(344);
    expect((predicted.columns.prediction as string[]).every((p) => ['Adelie', 'Chinstrap', 'Gentoo'].includes(p))).toBe(true);
    expect(run.output<MetricsValue>('evaluate', 'metrics').values.accuracy).toBeGreaterThan(0.95);
  });

  itPython('sklearn', 'fits what a ColumnTransformer(SimpleImputer(median), OneHotEncoder) fits on the same rows', async () => {
    const { dir, pipeline } = penguins({});
    const model = (await runPipeline(pipeline, { dir, to: 'train' })).output<ModelValue>('train', 'model');
    const sk = runPython<{ medians: number[]; categories: (string | null)[][] }>(
      `import json, sys, pandas as pd, numpy as np
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder
d = pd.read_csv(json.load(sys.stdin))
num = ['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g']
imp = SimpleImputer(strategy='median').fit(d[num])
enc = OneHotEncoder(handle_unknown='ignore').fit(d[['island', 'sex']].astype(object))
cats = [[None if (isinstance(c, float) and np.isnan(c)) else c for c in cs] for cs in enc.categories_]
print(json.dumps({"medians": imp.statistics_.tolist(), "categories": cats}))`,
      PENGUINS,
    );
    const imputed = model.recipe[0].state as ImputeState;
    expect(imputed.columns.map((c) => c.fill)).toEqual(sk.medians);
    expect((model.recipe[1].state as OneHotState).columns.map((c) => c.categories)).toEqual(sk.categories);
  });

  it('hashes a text column with more categories than the limit', async () => {
    const { dir, pipeline } = penguins({ auto_prep_max_categories: 2 });
    const model = (await runPipeline(pipeline, { dir, to: 'train' })).output<ModelValue>('train', 'model');
    expect(model.recipe.map((s) => [s.kind, s.inputs])).toEqual([
      ['impute', ['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g']],
      ['hashing', ['island', 'sex']],
    ]);
    expect(model.features).toHaveLength(4 + 2 * 16);
  });

  it("off, a text feature is today's clear error, which names the column and the ways out", async () => {
    const { dir, pipeline } = penguins({ auto_prep: false });
    const run = await runPipeline(pipeline, { dir, to: 'train' });
    expect(run.node('train').error).toMatchObject({ code: 'COLUMN_TYPE', column: 'island', message: 'Feature "island" holds text; the learner needs numbers.' });
    expect(run.node('train').error?.hint).toContain('automatic preparation');
  });

  it('is on for a new Train node and off for one saved before it existed (version 2)', () => {
    const train = (version: number) =>
      compile(
        Pipeline.parse({
          format: 'flowline.pipeline',
          version: 2,
          nodes: [
            { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'x.csv' } },
            { id: 'train', type: 'ml.train', version, params: { target: 'y' } },
          ],
          edges: [{ from: 'load.table', to: 'train.table' }],
        }),
        NODES,
      ).plan!.nodes[1].params.auto_prep;
    expect(train(3)).toBe(true);
    expect(train(2)).toBe(false);
  });
});
