/**
 * Gates checked against one model (docs/lifecycle.md, "Gates"): the one function the registry's
 * `promote`, an export marked production and the model card all call. Pure over what a model
 * version records — its metrics, the columns it reads, its training reference — and the current
 * production model's training reference, so the same answer comes back wherever it is asked.
 */
import { gateName, type DriftGate, type Gate, type GateResult, type MetricGate } from '../schema/gates.ts';
import type { TrainingReference } from '../spec/drift.ts';
import { protectedAttributeOf } from '../spec/protected-attributes.ts';
import { DEFAULT_THRESHOLDS, type ColumnDrift, type DriftThresholds } from '../ml/drift/drift.ts';
import { referenceDrift } from '../ml/drift/reference-drift.ts';
import type { ExportedModelInfo } from './onnx/model-info.ts';

export type { Gate, GateResult } from '../schema/gates.ts';

/** What the gates look at in a model. */
export interface GateSubject {
  /** Metrics by node id: the run's that exported the model (every Evaluate of the pipeline). */
  metrics: Record<string, Record<string, number>>;
  /** Columns the model reads, raw and after its feature steps (one-hot columns included). */
  columns: string[];
  trainingReference?: TrainingReference;
}

/** The model in production the drift gate compares with; null when there is none. */
export interface GateBaseline {
  /** How it is named in messages, e.g. the registry version "v3". */
  id: string;
  trainingReference?: TrainingReference;
}

/** A model's subject from its exported metadata; `runMetrics` (every node's) wins over the Evaluate metrics the file carries. */
export function gateSubjectOf(info: ExportedModelInfo, runMetrics?: Record<string, Record<string, number>>): GateSubject {
  const metrics: GateSubject['metrics'] = {};
  if (info.metrics) metrics[info.metrics.nodeId] = { ...info.metrics.values };
  for (const [node, values] of Object.entries(runMetrics ?? {})) metrics[node] = { ...(metrics[node] ?? {}), ...values };
  return { metrics, columns: [...new Set([...info.inputs.map((i) => i.column), ...info.features])], trainingReference: info.trainingReference };
}

/** Every gate of the pipeline, in order, each with its verdict. */
export function evaluateGates(gates: readonly Gate[], subject: GateSubject, production: GateBaseline | null): GateResult[] {
  return gates.map((gate) => (gate.kind === 'metric' ? metricGate(gate, subject) : gate.kind === 'drift' ? driftGate(gate, subject, production) : protectedGate(gate, subject)));
}

/** The gates that failed, as one sentence each: "gate X: measured M, bound B — why". */
export function refusalLines(results: readonly GateResult[]): string[] {
  return results.filter((r) => !r.passed).map((r) => `gate "${r.gate}" failed: measured ${r.measured ?? 'nothing'}, bound ${r.bound} — ${r.message}`);
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 ? String(Number(v.toPrecision(4))) : v.toExponential(2));

function metricGate(gate: MetricGate, subject: GateSubject): GateResult {
  const dot = gate.metric.indexOf('.');
  const [node, metric] = [gate.metric.slice(0, dot), gate.metric.slice(dot + 1)];
  const base = { gate: gateName(gate), kind: gate.kind, bound: `${gate.op} ${gate.value}` };
  const value = subject.metrics[node]?.[metric];
  if (value === undefined || !Number.isFinite(value)) {
    const known = Object.keys(subject.metrics[node] ?? {});
    const why = subject.metrics[node] ? `node "${node}" measured no "${metric}" (it has ${known.join(', ') || 'none'})` : `no metrics of node "${node}" were recorded with this model`;
    return { ...base, passed: false, measured: null, message: `${why}.` };
  }
  const passed = gate.op === '>=' ? value >= gate.value : gate.op === '>' ? value > gate.value : gate.op === '<=' ? value <= gate.value : value < gate.value;
  return { ...base, passed, measured: value, message: `${gate.metric} is ${fmt(value)}${passed ? '' : `, not ${gate.op} ${gate.value}`}.` };
}

function protectedGate(gate: Extract<Gate, { kind: 'no_protected_attributes' }>, subject: GateSubject): GateResult {
  const allowed = new Set(gate.allow ?? []);
  const found = subject.columns.filter((c) => !allowed.has(c)).flatMap((c) => {
    const attribute = protectedAttributeOf(c);
    return attribute ? [`${c} (${attribute})`] : [];
  });
  const base = { gate: gateName(gate), kind: gate.kind, bound: 'none' };
  if (!found.length) return { ...base, passed: true, measured: null, message: `None of the ${subject.columns.length} columns the model reads looks like a protected attribute.` };
  return { ...base, passed: false, measured: found.join(', '), message: `The model reads ${found.length === 1 ? 'a column that looks' : 'columns that look'} like a protected attribute: ${found.join(', ')}.` };
}

function driftGate(gate: DriftGate, subject: GateSubject, production: GateBaseline | null): GateResult {
  const thresholds: DriftThresholds = { psi: gate.psi ?? DEFAULT_THRESHOLDS.psi, ks: gate.ks ?? DEFAULT_THRESHOLDS.ks, jensenShannon: gate.js ?? DEFAULT_THRESHOLDS.jensenShannon, missingRate: gate.missing ?? DEFAULT_THRESHOLDS.missingRate };
  const base = { gate: gateName(gate), kind: gate.kind, bound: `PSI < ${thresholds.psi}, KS < ${thresholds.ks}, Jensen–Shannon < ${thresholds.jensenShannon}, missing-rate change < ${thresholds.missingRate}` };
  if (!production) return { ...base, passed: true, measured: null, message: 'There is no production model to compare with.' };
  if (!production.trainingReference) return { ...base, passed: false, measured: null, message: `The production model ${production.id} carries no training reference (exported by an older Flowline): drift cannot be checked.` };
  if (!subject.trainingReference) return { ...base, passed: false, measured: null, message: 'This model carries no training reference (exported by an older Flowline): drift cannot be checked.' };
  const report = referenceDrift(production.trainingReference, subject.trainingReference, thresholds);
  const drifted = [...report.columns.filter((c) => c.drifted), ...(report.prediction?.drifted ? [report.prediction] : [])];
  if (!drifted.length && !report.missingColumns.length) return { ...base, passed: true, measured: null, message: `Its training rows are within bounds against ${production.id}'s training reference (${report.columns.length} columns${report.prediction ? ' and the predictions' : ''}).` };
  const worst = drifted.length ? firstCrossing(drifted[0], thresholds) : `column "${report.missingColumns[0]}" missing`;
  const parts = [...drifted.map((c) => `${c.column}: ${c.reasons.join(', ')}`), ...report.missingColumns.map((m) => `${m}: not read by this model`)];
  return { ...base, passed: false, measured: worst, message: `Its training rows drift from ${production.id}'s training reference: ${parts.join('; ')}.` };
}

/** The first statistic of a drifted column past its bound, as "PSI 0.412 on income". */
function firstCrossing(c: ColumnDrift, t: DriftThresholds): string {
  const on = ` on ${c.column}`;
  if (c.psi >= t.psi) return `PSI ${fmt(c.psi)}${on}`;
  if (c.ks && c.ks.statistic >= t.ks) return `KS ${fmt(c.ks.statistic)}${on}`;
  if (c.jensenShannon !== undefined && c.jensenShannon >= t.jensenShannon) return `Jensen–Shannon ${fmt(c.jensenShannon)}${on}`;
  return `missing-rate change ${fmt(Math.abs(c.missingRate.current - c.missingRate.reference))}${on}`;
}
