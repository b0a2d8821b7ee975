import { z } from 'zod';
import { defineNode, param } from '../core/spec/index.ts';
import { ident, literal, relation, writeTable } from '../core/data/tables.ts';
import { outlierBounds } from '../core/ml/prep/outliers.ts';
import { addRecipeStep, checkColumns, NUMERIC, readFrame } from '../core/ml/prep/table-step.ts';

export const removeOutliersNode = defineNode({
  type: 'prep.outliers',
  version: 1,
  title: 'Remove Outliers',
  category: 'Clean',
  description: 'Clip extreme values to IQR or z-score bounds (a feature step, re-learned on training rows), or remove the rows that fall outside them.',
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    columns: param.columns('Numeric columns to check', { types: NUMERIC }).default([]),
    method: z.enum(['iqr', 'zscore']).default('iqr').describe('iqr: outside Q1 − k·IQR … Q3 + k·IQR; zscore: more than k standard deviations from the mean'),
    factor: z.number().positive().default(1.5).describe('k: 1.5 is the usual IQR fence, 3 the usual z-score limit'),
    action: z.enum(['clip', 'remove']).default('clip').describe('clip: pull values back to the bound (kept in the model); remove: drop the rows (a table step, not part of the model)'),
  }),
  exportable: true,
  summary: (p) => `${p.action} ${p.method} ×${p.factor}: ${p.columns.join(', ') || '(no columns)'}`,
  async run({ inputs, params, ctx }) {
    checkColumns(inputs.table, params.columns, { who: 'Remove Outliers', types: NUMERIC, need: 'Outliers are found in numbers', advice: 'remove it from the column list' });
    const stepParams = { columns: params.columns, method: params.method, factor: params.factor };
    if (params.action === 'clip') return { table: await addRecipeStep(ctx, inputs.table, 'outliers_clip', stepParams) };
    const { frame } = await readFrame(inputs.table, params.columns);
    const b = outlierBounds(frame, stepParams);
    // Missing values are not outliers: keep those rows.
    const where = params.columns.map((c, j) => `(${ident(c)} IS NULL OR ${ident(c)} BETWEEN ${literal(b.lower[j])} AND ${literal(b.upper[j])})`).join(' AND ');
    const table = await writeTable(ctx, `SELECT * FROM ${relation(inputs.table)} WHERE ${where}`, { recipe: inputs.table.recipe });
    ctx.log(`kept ${table.rowCount} of ${inputs.table.rowCount} rows`);
    return { table };
  },
});
