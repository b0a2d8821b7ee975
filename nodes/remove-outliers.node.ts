import { z } from 'zod';
import { defineNode, describeSelection, NUMERIC, selectedColumns, fewerRows, knownSelection, retyped } from '../core/spec/index.ts';
import { ident, literal, relation, writeTable } from '../core/data/tables.ts';
import { outlierBounds, outliersClip, outliersParams } from '../core/ml/prep/outliers.ts';
import { addRecipeStep, checkColumns, readFrame } from '../core/ml/prep/table-step.ts';

export const removeOutliersNode = defineNode({
  type: 'prep.outliers',
  version: 1,
  title: 'Remove Outliers',
  category: 'Clean',
  description: 'Clip extreme values to IQR or z-score bounds (a feature step, re-learned on training rows), or remove the rows that fall outside them.',
  help: {
    text:
      'Deals with extreme values, found with the IQR fence (outside Q1 − k·IQR … Q3 + k·IQR) or a z-score (more than k standard deviations from the mean). clip pulls them back to the bound and is a step of the model, learned again on the training rows; remove drops those rows and is a table step, not part of the model.',
    example: 'column body_mass_g, method iqr, factor 1.5, action clip → masses above the upper fence become the fence.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: outliersParams.extend({
    action: z.enum(['clip', 'remove']).default('clip').describe('clip: pull values back to the bound (kept in the model); remove: drop the rows (a table step, not part of the model)'),
  }),
  exportable: true,
  summary: (p) => `${p.action} ${p.method} ×${p.factor}: ${describeSelection(p.columns) || '(no columns)'}`,
  columns: ({ inputs: { table: t }, params }) => ({ table: t && (params.action === 'remove' ? fewerRows(t) : retyped(t, knownSelection(t, params.columns, NUMERIC), 'number')) }),
  async run({ inputs, params, ctx }) {
    const check = { need: 'Outliers are found in numbers', advice: 'remove it from the column list' };
    const stepParams = { columns: params.columns, method: params.method, factor: params.factor };
    if (params.action === 'clip') return { table: await addRecipeStep(ctx, inputs.table, outliersClip, stepParams, { check }) };
    // Removing rows is a table step: the selection is resolved here, once.
    const columns = selectedColumns(params.columns, inputs.table.columns, { who: 'Remove Outliers', accepts: NUMERIC });
    checkColumns(inputs.table, columns, { who: 'Remove Outliers', types: NUMERIC, ...check });
    const { frame } = await readFrame(inputs.table, columns);
    const b = outlierBounds(frame, { ...stepParams, columns });
    // Missing values are not outliers: keep those rows.
    const where = columns.map((c, j) => `(${ident(c)} IS NULL OR ${ident(c)} BETWEEN ${literal(b.lower[j])} AND ${literal(b.upper[j])})`).join(' AND ');
    const table = await writeTable(ctx, `SELECT * FROM ${relation(inputs.table)} WHERE ${where}`, { recipe: inputs.table.recipe });
    ctx.log(`kept ${table.rowCount} of ${inputs.table.rowCount} rows`);
    return { table };
  },
});
