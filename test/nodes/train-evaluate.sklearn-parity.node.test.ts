import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { readColumns } from '../../core/data/tables.ts';
import type { MetricsValue, TableRef } from '../../core/spec/index.ts';
import { datasetPath } from '../support/datasets.ts';
import { describePython, runPython } from '../support/python.ts';
import { runPipeline } from '../support/run-pipeline.ts';

const csv = datasetPath('breast_cancer', 'train');
const features = readFileSync(csv, 'utf8').split('\n')[0].split(',').slice(0, -1);

const SCRIPT = `
import json, sys, numpy as np, pandas as pd
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn import metrics
d = json.load(sys.stdin)
df = pd.read_csv(d['csv']); X = df[d['features']].values; y = df['target'].values
tr, te = np.array(d['train']), np.array(d['test'])
m = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[tr], y[tr])
p = m.predict_proba(X[te])[:, 1]
print(json.dumps({'accuracy': metrics.accuracy_score(y[te], m.predict(X[te])), 'roc_auc': metrics.roc_auc_score(y[te], p), 'log_loss': metrics.log_loss(y[te], p)}))
`;

describePython('sklearn', 'load CSV → scale → stratified split → train → evaluate, against scikit-learn', () => {
  it('gives the numbers of make_pipeline(StandardScaler(), LogisticRegression()) fitted on the same training rows', async () => {
    const run = await runPipeline(
      {
        seed: 5,
        nodes: [
          { id: 'load', type: 'data.load_csv', version: 1, params: { path: csv } },
          { id: 'scale', type: 'prep.scale', version: 1, params: { columns: features } },
          { id: 'split', type: 'data.split', version: 1, params: { method: 'stratified', column: 'target', test_fraction: 0.3 } },
          { id: 'train', type: 'ml.train', version: 1, params: { target: 'target', learner: 'logistic_regression' } },
          { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
        ],
        edges: [
          { from: 'load.table', to: 'scale.table' },
          { from: 'scale.table', to: 'split.table' },
          { from: 'split.train', to: 'train.table' },
          { from: 'train.model', to: 'evaluate.model' },
          { from: 'split.test', to: 'evaluate.table' },
        ],
      },
    );
    expect(run.status).toBe('done');
    const ids = async (port: string) => Array.from((await readColumns(run.output<TableRef>('split', port), [])).rowIds);
    const ref = runPython<Record<string, number>>(SCRIPT, { csv, features, train: await ids('train'), test: await ids('test') });
    const m = run.output<MetricsValue>('evaluate', 'metrics');
    expect(m.values.accuracy).toBeCloseTo(ref.accuracy, 10);
    expect(m.values.roc_auc).toBeCloseTo(ref.roc_auc, 6);
    expect(m.values.log_loss).toBeCloseTo(ref.log_loss, 4);
  });
});
