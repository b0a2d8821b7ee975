/**
 * Independent checks of an exported model: run it with onnxruntime-node here (not through the
 * exporter's own verification) and compare with the app's predictions computed here too.
 */
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { neededSteps, type ExportedModelInfo } from '../../../../core/export/onnx/index.ts';
import type { Frame } from '../../../../core/ml/frame.ts';
import { learnerByKind } from '../../../../core/ml/learners/index.ts';
import type { Prediction } from '../../../../core/ml/learners/types.ts';
import { applyRecipe, frameToMatrix } from '../../../../core/ml/recipe.ts';
import type { ModelValue } from '../../../../core/spec/values.ts';

export function appPrediction(model: ModelValue, rows: Frame): Prediction {
  const X = frameToMatrix(applyRecipe(model.recipe.filter((s) => neededSteps(model).includes(s)), rows), model.features);
  return learnerByKind(model.estimator.kind).predict(model.estimator.state, X);
}

export async function onnxOutputs(bytes: Uint8Array, info: ExportedModelInfo, rows: Frame): Promise<Record<string, ort.Tensor>> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of info.inputs) {
    const col = rows.columns[input.column];
    feeds[input.name] =
      input.type === 'double'
        ? new ort.Tensor('float64', Float64Array.from(col as Float64Array), [rows.rows, 1])
        : new ort.Tensor('string', (col as (string | null)[]).map((v) => v ?? ''), [rows.rows, 1]);
  }
  const session = await ort.InferenceSession.create(bytes);
  return session.run(feeds);
}

/** Labels identical; probabilities within `probTol`; values within `relTol` relative (0 = bit-identical). */
export function expectSameAsApp(model: ModelValue, app: Prediction, out: Record<string, ort.Tensor>, probTol: number, relTol: number): void {
  const n = app.values.length;
  if (model.classes) {
    const labels = Array.from(out.label.data as ArrayLike<string | number>);
    expect(labels).toEqual(Array.from(app.values, (v) => model.classes![v]));
    const p = out.probabilities.data as Float64Array;
    expect(p.length).toBe(app.proba!.length);
    let worst = 0;
    for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - app.proba![i]));
    expect(worst).toBeLessThanOrEqual(probTol);
    return;
  }
  if (model.task === 'clustering') {
    expect(Array.from(out.cluster.data as BigInt64Array, Number)).toEqual(Array.from(app.values));
    return;
  }
  const v = out[model.task === 'anomaly' ? 'score' : 'value'].data as Float64Array;
  expect(v.length).toBe(n);
  for (let i = 0; i < n; i++) {
    if (relTol === 0) expect(v[i], `row ${i}`).toBe(app.values[i]);
    else expect(Math.abs(v[i] - app.values[i]), `row ${i}: onnx ${v[i]} app ${app.values[i]}`).toBeLessThanOrEqual(relTol * Math.abs(app.values[i]));
  }
}
