/**
 * The credit-risk template with an Explain node and an Export ONNX node whose model card gets
 * Evaluate's per-group metrics (group column `sex`), the explanation and two gates: run through
 * the CLI (so the run is recorded), for the model card's vitest and Playwright tests.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../core/host/cli.ts';
import { WORKER_TASKS } from '../../core/host/worker-tasks.ts';
import { NODES } from '../../nodes/index.ts';
import { captureIo } from './capture-io.ts';

const TEMPLATES = new URL('../../templates/', import.meta.url);

export const INTENDED_USE = 'Rank loan applications for a second look by a credit officer.\n\nNot for automatic refusals.';
export const LIMITATIONS = 'Trained on 2,000 synthetic loans; `sex` is left out of the features but may leak through | income.';

export async function cli(...argv: string[]) {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out };
}

/** Writes the pipeline and its data into `dir`, runs it with --json, and returns the report. */
export async function runCreditCardPipeline(dir: string): Promise<{ file: string; report: { status: string; metrics: Record<string, Record<string, number>>; explanations: Record<string, { top: { column: string; mean_abs: number }[] }> } }> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  copyFileSync(new URL('data/loans.csv', TEMPLATES), join(dir, 'data', 'loans.csv'));
  const doc = JSON.parse(readFileSync(new URL('credit-risk.flow.json', TEMPLATES), 'utf8'));
  doc.nodes.push(
    { id: 'explain', type: 'ml.explain', version: 1, params: { rows_cap: 200, permutation_repeats: 0 } },
    { id: 'export', type: 'export.onnx', version: 1, params: { path: 'credit.onnx', intended_use: INTENDED_USE, limitations: LIMITATIONS } },
  );
  doc.edges.push(
    { from: 'train.model', to: 'explain.model' },
    { from: 'split.test', to: 'explain.table' },
    { from: 'train.model', to: 'export.model' },
    { from: 'split.test', to: 'export.table' },
    { from: 'evaluate_by_sex.metrics', to: 'export.metrics' },
    { from: 'explain.explanation', to: 'export.explanation' },
  );
  doc.gates = [
    { kind: 'metric', metric: 'evaluate_by_sex.roc_auc', op: '>=', value: 0.6 },
    { kind: 'metric', name: 'demographic parity', metric: 'evaluate_by_sex.demographic_parity_difference', op: '<', value: 0.0001 },
  ];
  const file = join(dir, 'credit.flow.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  const r = await cli('run', file, '--json', '--trust');
  if (r.code !== 0) throw new Error(`credit pipeline failed (${r.code}): ${r.stdout.slice(0, 2000)} ${r.stderr}`);
  return { file, report: JSON.parse(r.stdout) };
}
