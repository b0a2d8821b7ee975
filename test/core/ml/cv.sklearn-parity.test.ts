import { expect, it } from 'vitest';
import { kFold, prepareFolds, scoreFolds } from '../../../core/ml/cv.ts';
import { deriveSeed } from '../../../core/spec/random.ts';
import { fakeContext } from '../../support/fake-context.ts';
import { describePython, runPython } from '../../support/python.ts';
import { makeRows, rawTable, scaleStep, withRecipe } from './model-fixtures.ts';

const SCRIPT = `
import json, sys, numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_validate
d = json.load(sys.stdin)
X = np.column_stack([d['x1'], d['x2']]); y = np.array(d['y'])
r = cross_validate(make_pipeline(StandardScaler(), Ridge(alpha=1.0)), X, y, cv=[(np.array(a), np.array(b)) for a, b in d['folds']],
                   scoring=['neg_root_mean_squared_error', 'neg_mean_absolute_error', 'r2'])
print(json.dumps({'rmse': (-r['test_neg_root_mean_squared_error']).tolist(), 'mae': (-r['test_neg_mean_absolute_error']).tolist(), 'r2': r['test_r2'].tolist()}))
`;

describePython('sklearn', 'cross-validation matches a scikit-learn Pipeline on the same folds', () => {
  it('scale re-fitted per fold + ridge: rmse, mae, r2 per fold equal sklearn\'s', async () => {
    const ctx = fakeContext({ nodeId: 'cv', seed: 11 });
    const n = 120;
    const rows = makeRows(n, 8);
    // a noisier target than the fixture's so the scores are not all ~1
    const y = Float64Array.from(rows.amount, (v, i) => v + Math.sin(i) * 2);
    const t = withRecipe(await rawTable(ctx, [{ name: 'x1', data: rows.x1 }, { name: 'x2', data: rows.x2 }, { name: 'y', data: y }]), [scaleStep(['x1', 'x2'])]);
    const cv = await prepareFolds(ctx, t, { target: 'y', task: 'regression', folds: 5 });
    const scores = await scoreFolds(ctx, cv, { kind: 'ridge', params: { alpha: 1 } });
    const folds = kFold(n, 5, deriveSeed(ctx.seed, 'folds')).map((f) => [Array.from(f.train), Array.from(f.test)]);
    const ref = runPython<Record<'rmse' | 'mae' | 'r2', number[]>>(SCRIPT, { x1: Array.from(rows.x1), x2: Array.from(rows.x2), y: Array.from(y), folds });
    scores.forEach((s, f) => {
      expect(s.values.rmse).toBeCloseTo(ref.rmse[f], 9);
      expect(s.values.mae).toBeCloseTo(ref.mae[f], 9);
      expect(s.values.r2).toBeCloseTo(ref.r2[f], 9);
    });
  });
});
