import { describe, expect, it } from 'vitest';
import { exportOnnx, type TargetName } from '../../../../core/export/onnx/index.ts';
import { appPrediction, expectSameAsApp, onnxOutputs } from './onnx-check.ts';
import { fitModel, LEARNER_CASES, syntheticRows, withTarget } from './fit-model.ts';

/**
 * Every learner, both targets: impute + scale + one-hot in front, held-out rows with missing
 * values in every column and a city never seen in training ("Quito").
 */
const train = syntheticRows(300, 1);
const heldOut = syntheticRows(120, 2, { unseen: true });
const steps = [
  { kind: 'impute', params: { columns: ['x1', 'x2'], strategy: 'mean' } },
  { kind: 'scale', params: { columns: ['x1', 'x2'], method: 'standard' } },
  { kind: 'onehot', params: { columns: ['city'] } },
];

describe('ONNX export of every learner matches the app on held-out rows with missing values and unseen categories', () => {
  for (const [learner, target, params] of LEARNER_CASES) {
    for (const t of ['default', 'exact'] as TargetName[]) {
      it(`${learner} → ${target ?? '(no target)'}, ${t} target`, async () => {
        const model = fitModel({ frame: withTarget(train, target), steps, target: target ?? undefined, learner, params });
        const r = await exportOnnx(model, { target: t, rows: heldOut, rowSource: 'held-out', flowlineVersion: 'test' });
        expect(r.verification.passed).toBe(true);
        expect(r.verification.missingRows).toBeGreaterThan(0);
        expect(r.verification.unseenRows).toBeGreaterThan(0);
        const app = appPrediction(model, heldOut);
        const out = await onnxOutputs(r.bytes, r.info, heldOut);
        const regression = model.task === 'regression';
        // regression on the exact target: bit-identical (no learner here computes a value with exp/log/tanh)
        expectSameAsApp(model, app, out, t === 'exact' ? 1e-12 : 1e-6, regression && t === 'exact' ? 0 : t === 'exact' ? 1e-12 : 1e-6);
        if (t === 'exact' && regression) expect(r.verification.bitIdentical).toBe(true);
      });
    }
  }
});
