import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { exportOnnx } from '../../../../core/export/onnx/index.ts';
import { describePython, PYTHON } from '../../../support/python.ts';
import { fitModel, LEARNER_CASES, syntheticRows, withTarget } from './fit-model.ts';

/** Every default-target model, with every exportable step kind in front, through onnx.checker(full_check=True). */
describePython('onnx', 'default-target models pass onnx.checker.check_model(full_check=True) (python3-onnx 1.12)', () => {
  it('every learner', async () => {
    const train = syntheticRows(200, 3);
    const heldOut = syntheticRows(60, 4, { unseen: true });
    const steps = [
      { kind: 'impute', params: { columns: ['x1', 'x2'], strategy: 'median', add_indicator: true } },
      { kind: 'impute', params: { columns: ['city'], strategy: 'most_frequent' } },
      { kind: 'formula', params: { output: 'ratio', expression: 'if(x2 > 0, x1 / (1 + x2), round(x1, 1))' } },
      { kind: 'outliers_clip', params: { columns: ['x1'], method: 'iqr', factor: 1.5 } },
      { kind: 'power', params: { columns: ['x2'], method: 'yeo-johnson', standardize: true } },
      { kind: 'group_agg', params: { keys: ['city'], column: 'x1', aggs: ['mean', 'count'] } },
      { kind: 'discretize', params: { columns: ['ratio'], strategy: 'quantile', n_bins: 4 } },
      { kind: 'onehot', params: { columns: ['city'] } },
      { kind: 'scale', params: { columns: ['x1', 'x2'], method: 'robust' } },
      { kind: 'select_features', params: { columns: ['x1', 'x2', 'ratio'], method: 'variance', threshold: 0 } },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'flowline-onnx-check-'));
    const files: string[] = [];
    for (const [learner, target, params] of LEARNER_CASES) {
      const model = fitModel({ frame: withTarget(train, target), steps, target: target ?? undefined, learner, params });
      const r = await exportOnnx(model, { rows: heldOut, rowSource: 'held-out', flowlineVersion: 'test' });
      const file = join(dir, `${learner}-${target}.onnx`);
      writeFileSync(file, r.bytes);
      files.push(file);
    }
    const script = `
import json, sys, onnx
out = {}
for f in json.load(sys.stdin):
    try:
        onnx.checker.check_model(onnx.load(f), full_check=True)
        out[f] = 'ok'
    except Exception as e:
        out[f] = str(e)[:400]
print(json.dumps(out))`;
    const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(files), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.values(results).filter((v) => v !== 'ok')).toEqual([]);
    expect(Object.keys(results)).toHaveLength(LEARNER_CASES.length);
  });
});
