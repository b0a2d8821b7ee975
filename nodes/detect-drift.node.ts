import { z } from 'zod';
import { writeJsTable } from '../core/data/tables.ts';
import { DEFAULT_THRESHOLDS } from '../core/ml/drift/drift.ts';
import { driftMetrics, driftTableColumns } from '../core/ml/drift/drift-result.ts';
import { driftReportTask, type PredictionsOf } from '../core/ml/drift/drift-task.ts';
import { predictTable } from '../core/ml/model.ts';
import { defineNode, FlowlineError, param, resolveColumns, type ModelValue, type TableRef } from '../core/spec/index.ts';

export const detectDriftNode = defineNode({
  type: 'ml.detect_drift',
  version: 1,
  title: 'Detect Drift',
  category: 'Evaluate',
  description:
    'Compare new rows with reference rows — a reference table, or the training rows a model carries a summary of — column by column (Kolmogorov–Smirnov, Wasserstein, chi-square, Jensen–Shannon, PSI, missing values), with a verdict per column and overall; with a model, also the drift of its predictions.',
  help: {
    text:
      'Tells you whether new rows still look like the rows a model learned from. Per column: for numbers the Kolmogorov–Smirnov test and the Wasserstein distance, for text chi-square and the Jensen–Shannon distance, for both the population stability index (PSI) and the change in the share of missing values. A column drifts when any of them crosses its threshold; the whole table drifts when any column (or the predictions) does.\n\nConnect a model to compare with its training rows (every trained model carries a summary of them) and to see whether its predictions drift too; connect a reference table to compare two tables directly. The numbers are those `flowline monitor` prints for an exported model.',
    example: 'The churn model and last month\'s customers → a table with one row per column (statistic, p-value, PSI, missing values, verdict) and a PSI chart in Results: "Drift in tenure".',
  },
  inputs: {
    model: { type: 'model', label: 'Model (its training rows are the reference)', required: false },
    reference: { type: 'table', label: 'Reference rows (optional with a model)', required: false },
    table: { type: 'table', label: 'New rows' },
  },
  outputs: {
    drift: { type: 'table', label: 'Drift per column' },
    report: { type: 'metrics', label: 'Drift report' },
  },
  params: z.object({
    columns: param.selection('Columns to compare (empty: every column the model reads, or every column both tables have)').default([]),
    psi: z.number().min(0).default(DEFAULT_THRESHOLDS.psi).describe('A PSI at or above this is drift (numbers and text)'),
    ks: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.ks).describe('A Kolmogorov–Smirnov statistic D at or above this is drift (numbers)'),
    jensen_shannon: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.jensenShannon).describe('A Jensen–Shannon distance (base 2) at or above this is drift (text)'),
    missing_rate: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.missingRate).describe('A change in the share of missing values at or above this is drift'),
  }),
  exportable: false,
  summary: (p) => `PSI ≥ ${p.psi} · KS ≥ ${p.ks}`,
  async run({ inputs, params, ctx }) {
    const { model, reference, table } = inputs;
    if (!model && !reference) throw new FlowlineError({ code: 'MISSING_INPUT', message: 'Detect Drift needs a reference: connect a model or a reference table.', hint: 'A model compares with its training rows; a table is compared column by column.' });
    if (model && !reference && !model.reference) {
      throw new FlowlineError({ code: 'BAD_DATA', message: 'The model carries no summary of its training rows (it was trained by an older Flowline).', hint: 'Run its Train node again (clear the cache), or connect a reference table.' });
    }
    const columns = comparedColumns(params.columns, table, model, reference);
    ctx.progress(0.05, `comparing ${columns.length} columns`);
    const predictions = model ? await predictionsOf(ctx, model, table) : undefined;
    const referencePredictions = model && reference ? await predictionsOf(ctx, model, reference) : undefined;
    const report = await ctx.runInWorker(driftReportTask, {
      table,
      columns,
      read: model ? 'raw' : 'visible',
      reference: reference ? { table: reference } : { summary: model!.reference! },
      thresholds: { psi: params.psi, ks: params.ks, jensenShannon: params.jensen_shannon, missingRate: params.missing_rate },
      predictions,
      referencePredictions,
    });
    if (report.verdict === 'drift') ctx.log(`drift in ${[...report.drifted, ...(report.prediction?.drifted ? ['the predictions'] : [])].join(', ')}`);
    return { drift: await writeJsTable(ctx, driftTableColumns(report), { port: 'drift' }), report: driftMetrics(report, model?.task) };
  },
});

async function predictionsOf(ctx: Parameters<typeof predictTable>[0], model: ModelValue, table: TableRef): Promise<PredictionsOf> {
  const p = await predictTable(ctx, model, table);
  return { task: model.task, classes: model.classes, values: p.prediction.values };
}

/** The columns compared: the chosen ones, else the model's inputs, else those both tables have; a missing one is named. */
function comparedColumns(selection: Parameters<typeof resolveColumns>[0], table: TableRef, model: ModelValue | undefined, reference: TableRef | undefined): string[] {
  const chosen = resolveColumns(selection, table.columns);
  const summarised = model && !reference ? new Set(model.reference!.columns.map((c) => c.column)) : undefined;
  const refNames = new Set((reference?.columns ?? []).map((c) => c.name));
  if (chosen.length) {
    for (const name of chosen) {
      if (summarised && !summarised.has(name)) throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: name, message: `The model does not read column "${name}", so its training rows were not summarised for it.`, hint: `It reads: ${[...summarised].join(', ')}. Connect a reference table to compare other columns.` });
      if (reference && !refNames.has(name)) throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', column: name, message: `The reference rows have no column "${name}".`, hint: 'Choose columns both tables have.' });
    }
    return chosen;
  }
  if (model) return model.inputColumns.map((c) => c.name);
  const both = resolveColumns({ type: 'any', except: [] }, table.columns).filter((n) => refNames.has(n));
  if (!both.length) throw new FlowlineError({ code: 'COLUMN_NOT_FOUND', message: 'The new rows and the reference rows have no column in common.', hint: 'Connect tables with the same columns.' });
  return both;
}
