import { expressionRefs } from '../core/spec/expression.ts';
import { defineNode, knownColumn, withColumns } from '../core/spec/index.ts';
import { checkExpressionArithmetic, checkExpressionColumns, expressionLabel, parseExpression } from '../core/ml/prep/expression.ts';
import { addRecipeStep } from '../core/ml/prep/table-step.ts';
import { formula, formulaParams } from '../core/ml/prep/formula.ts';

export const formulaColumnNode = defineNode({
  type: 'prep.formula',
  version: 1,
  title: 'Formula Column',
  category: 'Features',
  description: 'Add a column computed from others, e.g. price / area or if(age >= 18, 1, 0). Functions: log, exp, sqrt, abs, round, floor, ceil, min, max, if, is_missing, coalesce.',
  help: {
    text:
      'Adds a column computed row by row from others, with arithmetic and functions such as log, sqrt, round, min, max, if, is_missing and coalesce. Put a column name that contains spaces in backticks. A column that already has the output name is replaced.',
    example: 'output price_per_m2, expression price / area → a new column with the price per square metre.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: formulaParams,
  exportable: false,
  summary: (p) => `${p.output} = ${p.expression}`,
  columnRefs: (p) => [{ param: 'expression', columns: expressionRefs(p.expression) }],
  // The result's type (number or text) shows when it runs.
  columns: ({ inputs: { table: t }, params }) => ({ table: t && withColumns(t, [knownColumn(params.output, 'other')]) }),
  async run({ inputs, params, ctx }) {
    // Errors name the expression as written and its column, before any row is read.
    const label = expressionLabel('Formula', params.expression);
    const tree = parseExpression(params.expression, label);
    checkExpressionColumns(tree, inputs.table.columns.map((c) => c.name), label);
    checkExpressionArithmetic(tree, new Set(inputs.table.columns.filter((c) => c.type === 'string').map((c) => c.name)), label);
    return { table: await addRecipeStep(ctx, inputs.table, formula, params) };
  },
});
