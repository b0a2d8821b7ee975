/**
 * Gates (docs/lifecycle.md, "Gates"): each verdict names the gate, the measured value and the
 * bound; the pipeline file keeps them through a save; a metric gate on a node without metrics is
 * a compile error naming the gate.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../core/compile/index.ts';
import { evaluateGates, refusalLines, type GateSubject } from '../../../core/export/gates.ts';
import { numericReference, categoryReference } from '../../../core/ml/drift/reference.ts';
import { parsePipeline, serializePipeline } from '../../../core/schema/serialize.ts';
import { REFERENCE_FORMAT, type TrainingReference } from '../../../core/spec/drift.ts';
import { NODES } from '../../../nodes/index.ts';

/** A reference of `n` rows: income uniform on [shift, shift + 100), plan a/b alternating. */
function reference(n: number, shift: number): TrainingReference {
  const income = Float64Array.from({ length: n }, (_, i) => shift + (i * 100) / n);
  const plan = Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b'));
  return { format: REFERENCE_FORMAT, version: 1, rows: n, columns: [numericReference('income', income), categoryReference('plan', plan)] };
}

const subject = (over: Partial<GateSubject> = {}): GateSubject => ({ metrics: { evaluate: { roc_auc: 0.83, accuracy: 0.9 } }, columns: ['income', 'plan'], trainingReference: reference(300, 0), ...over });

describe('gates evaluated for a model', () => {
  it('a metric gate passes at its bound and fails below it, naming the measured value and the bound', () => {
    const [pass, fail, absent] = evaluateGates(
      [
        { kind: 'metric', metric: 'evaluate.roc_auc', op: '>=', value: 0.83 },
        { kind: 'metric', metric: 'evaluate.accuracy', op: '>', value: 0.95, name: 'accurate enough' },
        { kind: 'metric', metric: 'evaluate.rmse', op: '<', value: 1 },
      ],
      subject(),
      null,
    );
    expect(pass).toMatchObject({ gate: 'evaluate.roc_auc >= 0.83', passed: true, measured: 0.83, bound: '>= 0.83' });
    expect(fail).toMatchObject({ gate: 'accurate enough', passed: false, measured: 0.9, bound: '> 0.95' });
    expect(absent).toMatchObject({ passed: false, measured: null });
    expect(absent.message).toContain('no "rmse"');
    expect(refusalLines([pass, fail])).toEqual(['gate "accurate enough" failed: measured 0.9, bound > 0.95 — evaluate.accuracy is 0.9, not > 0.95.']);
  });

  it('the protected-attribute gate names each protected column the model reads, raw or one-hot, unless allowed', () => {
    const gate = { kind: 'no_protected_attributes' as const };
    expect(evaluateGates([gate], subject(), null)[0]).toMatchObject({ passed: true, bound: 'none' });
    const [failed] = evaluateGates([gate], subject({ columns: ['income', 'sex_male', 'age_group'] }), null);
    expect(failed).toMatchObject({ gate: 'no protected attributes', passed: false, measured: 'sex_male (sex), age_group (age)' });
    expect(evaluateGates([{ ...gate, allow: ['sex_male', 'age_group'] }], subject({ columns: ['income', 'sex_male', 'age_group'] }), null)[0].passed).toBe(true);
  });

  it('the drift gate compares the training rows with the production model\'s reference: same distribution passes, a shifted one fails naming PSI and the column', () => {
    const gate = { kind: 'drift' as const, psi: 0.2 };
    const production = { id: 'v1', trainingReference: reference(400, 0) };
    expect(evaluateGates([gate], subject(), production)[0]).toMatchObject({ passed: true });
    const [drifted] = evaluateGates([gate], subject({ trainingReference: reference(300, 60) }), production);
    expect(drifted.passed).toBe(false);
    expect(drifted.measured).toMatch(/^PSI \d+(\.\d+)? on income$/);
    expect(drifted.bound).toContain('PSI < 0.2');
    expect(drifted.message).toContain("v1's training reference");
    // No production model: nothing to drift from.
    expect(evaluateGates([gate], subject({ trainingReference: reference(300, 60) }), null)[0]).toMatchObject({ passed: true, measured: null });
  });

  it('the drift gate measures what monitor measures when the reference holds every value: PSI over the production deciles', () => {
    const production = reference(400, 0);
    const candidate = reference(300, 60);
    const [r] = evaluateGates([{ kind: 'drift', psi: 100, ks: 100, js: 100, missing: 100 }], subject({ trainingReference: candidate }), { id: 'v1', trainingReference: production });
    expect(r.passed).toBe(true);
    // Hand computation: candidate income is uniform on [60, 160); production deciles are 10, 20, ..., 90 (approximately).
    const edges = (production.columns[0] as { edges: number[] }).edges;
    const values = Array.from({ length: 300 }, (_, i) => 60 + (i * 100) / 300);
    const shares = [...edges, Infinity].map((e, k) => values.filter((v) => v <= e && (k === 0 || v > edges[k - 1])).length / 300);
    const expected = (production.columns[0] as { proportions: number[] }).proportions;
    const psi = shares.reduce((s, a, k) => s + (Math.max(a, 1e-4) - Math.max(expected[k], 1e-4)) * Math.log(Math.max(a, 1e-4) / Math.max(expected[k], 1e-4)), 0);
    const [strict] = evaluateGates([{ kind: 'drift', psi: 0.2 }], subject({ trainingReference: candidate }), { id: 'v1', trainingReference: production });
    expect(strict.measured).toBe(`PSI ${Number(psi.toPrecision(4))} on income`);
  });

  it('the pipeline file keeps its gates through a save, and a metric gate on a node without metrics is an error naming the gate', () => {
    const text = JSON.stringify({
      format: 'flowline.pipeline',
      version: 2,
      name: 'gated',
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'x.csv' } },
        { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
      ],
      edges: [],
      gates: [
        { kind: 'metric', metric: 'load.rows', op: '>=', value: 1 },
        { kind: 'metric', metric: 'nowhere.auc', op: '>=', value: 1 },
        { kind: 'no_protected_attributes' },
      ],
    });
    const pipeline = parsePipeline(text);
    expect(parsePipeline(serializePipeline(pipeline)).gates).toEqual(pipeline.gates);
    const messages = compile(pipeline, NODES).diagnostics.filter((d) => d.path?.[0] === 'gates').map((d) => d.message);
    expect(messages).toEqual(['Gate "load.rows >= 1" reads node "load" (Load CSV), which produces no metrics.', 'Gate "nowhere.auc >= 1" reads node "nowhere", which the pipeline does not have.']);
    expect(() => parsePipeline(text.replace('"op":">="', '"op":"=>"'))).toThrow(/gates\.0\.op/);
  });
});
