import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScaleState } from '../../core/ml/prep/scale.ts';
import type { MetricsValue, ModelValue, TableRef } from '../../core/spec/index.ts';
import { resolveColumns } from '../../core/spec/index.ts';
import { datasetPath } from '../support/datasets.ts';
import { itPython, runPython } from '../support/python.ts';
import { runPipeline } from '../support/run-pipeline.ts';

/** digits: 64 pixel columns (whole numbers 0–16) and a whole-number target 0–9. */
function digitsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-selectors-'));
  copyFileSync(datasetPath('digits', 'train'), join(dir, 'train.csv'));
  copyFileSync(datasetPath('digits', 'test'), join(dir, 'test.csv'));
  return dir;
}

const digitsPipeline = (columns: unknown) => ({
  nodes: [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'train.csv' } },
    { id: 'load_test', type: 'data.load_csv', version: 1, params: { path: 'test.csv' } },
    { id: 'scale', type: 'prep.scale', version: 1, params: { columns, method: 'standard' } },
    { id: 'train', type: 'ml.train', version: 2, params: { target: 'target', learner: 'knn' } },
    { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
  ],
  edges: [
    { from: 'load.table', to: 'scale.table' },
    { from: 'scale.table', to: 'train.table' },
    { from: 'train.model', to: 'evaluate.model' },
    { from: 'load_test.table', to: 'evaluate.table' },
  ],
});

describe('column selectors', () => {
  it('resolve by type, name pattern and exceptions, in table order, among the types a node accepts', () => {
    const cols = [
      { name: 'id', type: 'integer' as const },
      { name: 'city', type: 'string' as const },
      { name: 'x_1', type: 'number' as const },
      { name: 'flag', type: 'boolean' as const },
      { name: '__row', type: 'integer' as const },
      { name: 'x_2', type: 'number' as const },
    ];
    expect(resolveColumns({ type: 'numeric', except: ['id'] }, cols)).toEqual(['x_1', 'x_2']);
    expect(resolveColumns({ type: 'text', except: [] }, cols)).toEqual(['city']);
    expect(resolveColumns({ type: 'any', pattern: '^x_', except: [] }, cols)).toEqual(['x_1', 'x_2']);
    expect(resolveColumns({ type: 'any', except: ['city'] }, cols, ['number', 'integer', 'boolean'])).toEqual(['id', 'x_1', 'flag', 'x_2']);
    expect(resolveColumns(['x_2', 'id'], cols)).toEqual(['x_2', 'id']);
  });

  itPython('sklearn', 'one "all numeric except target" selector scales the 64 digit columns as StandardScaler does, and Train re-resolves it on its rows', async () => {
    const dir = digitsFolder();
    const run = await runPipeline(digitsPipeline({ type: 'numeric', except: ['target'] }), { dir });
    const scaled = run.output<TableRef>('scale', 'table');
    const step = scaled.recipe.steps[0];
    expect(step.selectors).toEqual({ columns: { type: 'numeric', except: ['target'] } });
    expect(step.inputs).toHaveLength(64);
    expect(step.inputs[0]).toBe('pixel_0_0');
    expect(step.params.columns).toEqual(step.inputs);
    const model = run.output<ModelValue>('train', 'model');
    const fitted = model.recipe[0];
    expect(fitted.inputs).toHaveLength(64);
    expect(model.inputColumns.map((c) => c.name)).toEqual(step.inputs);
    const state = fitted.state as ScaleState;
    const sk = runPython<{ mean: number[]; scale: number[] }>(
      `import json, sys, pandas as pd
from sklearn.preprocessing import StandardScaler
d = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else json.load(sys.stdin))
s = StandardScaler().fit(d.drop(columns=['target']))
print(json.dumps({"mean": s.mean_.tolist(), "scale": s.scale_.tolist()}))`,
      join(dir, 'train.csv'),
    );
    state.offset.forEach((m, j) => expect(Math.abs(m - sk.mean[j])).toBeLessThan(1e-12));
    state.scale.forEach((s, j) => expect(Math.abs(s - sk.scale[j]) / sk.scale[j]).toBeLessThan(1e-12));
    expect(run.output<MetricsValue>('evaluate', 'metrics').values.accuracy).toBeGreaterThan(0.9);
  });

  it('a name pattern picks the same 64 columns; a selector that matches nothing names the node and lists the columns', async () => {
    const dir = digitsFolder();
    const run = await runPipeline(digitsPipeline({ pattern: '^pixel_' }), { dir, to: 'scale' });
    expect(run.output<TableRef>('scale', 'table').recipe.steps[0].inputs).toHaveLength(64);
    const none = await runPipeline(digitsPipeline({ type: 'text' }), { dir, to: 'scale' });
    expect(none.node('scale').error).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('matches none of the input table\'s columns') });
    expect(none.node('scale').error?.hint).toContain('pixel_0_0 (integer)');
  });
});
