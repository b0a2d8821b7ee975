import { describe, expect, it } from 'vitest';
import { readColumns } from '../../core/data/tables.ts';
import type { MetricsValue, ModelValue, TableRef } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { FRONT, TEST_NODES } from './ml-test-nodes.ts';

const pipeline = (trainParams: Record<string, unknown>) => ({
  seed: 3,
  nodes: [
    ...FRONT.nodes,
    { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'random_forest', learner_params: { n_estimators: 20 }, features: ['x1', 'x2'], ...trainParams } },
    { id: 'predict', type: 'ml.predict', version: 1, params: {} },
    { id: 'evaluate', type: 'ml.evaluate', version: 1, params: { worst_rows: 5 } },
  ],
  edges: [
    ...FRONT.edges,
    { from: 'split.train', to: 'train.table' },
    { from: 'train.model', to: 'predict.model' },
    { from: 'split.test', to: 'predict.table' },
    { from: 'train.model', to: 'evaluate.model' },
    { from: 'split.test', to: 'evaluate.table' },
  ],
});

describe('ml.train → ml.predict / ml.evaluate, headless', () => {
  it('trains on the training rows, predicts the test rows, and evaluates them with every chart', async () => {
    const run = await runPipeline(pipeline({}), { nodes: TEST_NODES });
    expect(run.nodes.filter((n) => n.error).map((n) => `${n.id}: ${n.error!.code} ${n.error!.message}`)).toEqual([]);
    expect(run.status).toBe('done');

    const model = run.output<ModelValue>('train', 'model');
    expect(model).toMatchObject({ task: 'binary', classes: ['no', 'yes'], features: ['x1', 'x2'], trainedOn: { nodeId: 'train', rows: 100 } });
    // the scale step was re-fitted on the 100 training rows, not all 150
    expect(model.recipe.map((s) => s.kind)).toEqual(['scale']);
    const trainMetrics = run.output<MetricsValue>('train', 'metrics');
    expect(trainMetrics.scope).toBe('train');
    expect(trainMetrics.values.accuracy).toBeGreaterThan(0.9);

    const predicted = run.output<TableRef>('predict', 'table');
    expect(predicted.rowCount).toBe(50);
    expect(predicted.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'city', 'label', 'amount', 'prediction', 'proba_no', 'proba_yes']);
    const cols = await readColumns(predicted, ['label', 'prediction', 'proba_yes']);
    const labels = cols.columns.label as string[], preds = cols.columns.prediction as string[];
    expect(labels.filter((l, i) => l === preds[i]).length / 50).toBeGreaterThan(0.7);
    const p = cols.columns.proba_yes as Float64Array;
    expect(preds.every((v, i) => v === (p[i] > 0.5 ? 'yes' : p[i] < 0.5 ? 'no' : v))).toBe(true);

    const m = run.output<MetricsValue>('evaluate', 'metrics');
    expect(m.scope).toBe('test');
    expect(Object.keys(m.values).sort()).toEqual(['accuracy', 'f1', 'f1_macro', 'log_loss', 'precision', 'recall', 'roc_auc']);
    expect(m.values.accuracy).toBeCloseTo(labels.filter((l, i) => l === preds[i]).length / 50, 12);
    expect(m.charts.map((c) => c.id)).toEqual(['confusion', 'roc', 'pr', 'calibration', 'gains', 'lift']);
    const worst = m.tables.find((t) => t.id === 'worst_rows')!;
    expect(worst.rows).toHaveLength(5);
    expect(worst.columns).toEqual(['row', 'actual', 'predicted', 'probability_of_actual', 'x1', 'x2']);
    expect((worst.rows[0][0] as number) >= 100).toBe(true); // test rows only
    expect(m.tables.find((t) => t.id === 'notes')!.rows.flat().join(' ')).toMatch(/"yes".*positive class/);
  });

  it('the same seed gives bit-identical predictions across two runs', async () => {
    const proba = async () => {
      const run = await runPipeline(pipeline({}), { nodes: TEST_NODES });
      const t = run.output<TableRef>('predict', 'table');
      return (await readColumns(t, ['proba_yes'])).columns.proba_yes as Float64Array;
    };
    const a = await proba(), b = await proba();
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
  });

  it('bad learner params stop the pipeline before it runs, naming the node and the param', async () => {
    await expect(runPipeline(pipeline({ learner_params: { n_estimators: 0 } }), { nodes: TEST_NODES })).rejects.toThrow(/\[INVALID_PARAM\] train Node "train" \(Train Model\), param "learner_params.n_estimators"/);
  });

  it('regression: predictions are numbers; evaluate reports rmse, mae, r2', async () => {
    const run = await runPipeline(pipeline({ target: 'amount', learner: 'ridge', learner_params: {} }), { nodes: TEST_NODES });
    const m = run.output<MetricsValue>('evaluate', 'metrics');
    expect(Object.keys(m.values).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(m.values.r2).toBeGreaterThan(0.99);
    expect(m.charts.map((c) => c.id)).toEqual(['actual_vs_predicted']);
  });
});
