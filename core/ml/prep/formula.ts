/**
 * A new (or replaced) column computed by an expression over the row's columns (see
 * expression.ts for the language). Stateless. Exportable: core/export/onnx/steps/formula.ts
 * compiles the expression to ONNX ops (refusing, by name, the few it cannot mirror).
 */
import { z } from 'zod';
import { param, type Resolved } from '../../spec/index.ts';
import { withColumns, type NewColumn } from '../frame.ts';
import { compileExpression, expressionColumns, expressionLabel, parseExpression, type Value } from './expression.ts';
import type { StepKind } from './types.ts';

export const formulaParams = z.object({
  output: z.string().min(1).default('new_column').describe('Name of the new column (an existing name is replaced)'),
  expression: param.code('Expression over the row; put names with spaces in backticks: `unit price` * qty', 'expression').default(''),
});
export type FormulaParams = Resolved<z.infer<typeof formulaParams>>;

export const formula: StepKind<FormulaParams, FormulaParams, typeof formulaParams> = {
  kind: 'formula',
  title: 'Formula Column',
  params: formulaParams,
  exportable: true,
  fit(frame, params) {
    const label = expressionLabel('Formula', params.expression);
    compileExpression(parseExpression(params.expression, label), frame, label); // fail early on unknown columns
    return { output: params.output, expression: params.expression };
  },
  apply(state, frame) {
    const f = compileExpression(parseExpression(state.expression), frame);
    const values: Value[] = new Array(frame.rows);
    let text = false;
    for (let i = 0; i < frame.rows; i++) {
      values[i] = f(i);
      if (typeof values[i] === 'string') text = true;
    }
    let col: NewColumn;
    if (text) col = { name: state.output, type: 'string', values: values.map((v) => (v === null || (typeof v === 'number' && Number.isNaN(v)) ? null : String(v))) };
    else {
      const out = Float64Array.from(values as (number | null)[], (v) => (v === null ? NaN : v));
      col = { name: state.output, type: 'number', values: out };
    }
    return withColumns(frame, [col]);
  },
  io: (params) => ({ inputs: expressionColumns(parseExpression(params.expression)), outputs: [params.output] }),
};
