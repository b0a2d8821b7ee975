/**
 * Formula columns (expression.ts) compiled to ONNX, with the app's rules: missing propagates
 * through arithmetic and comparisons, text in arithmetic is missing, true/false are 1/0,
 * round() rounds halves up (Math.round), % is the remainder with the dividend's sign (fmod).
 * Each sub-expression is a double or a string tensor; what ONNX cannot mirror exactly — ordering
 * text (<, >) and comparing text with numbers (the app compares their printed forms) — is refused
 * by name, as is a formula that yields text on some rows and numbers on others.
 */
import { FlowlineError } from '../../../spec/errors.ts';
import type { RecipeStep } from '../../../spec/values.ts';
import { parseExpression, type ExpressionNode } from '../../../ml/prep/expression.ts';
import type { FormulaParams } from '../../../ml/prep/formula.ts';
import { MISSING_TEXT, textEquals, type ColumnSet } from '../columns.ts';
import { tensor, type OnnxGraph } from '../graph.ts';

interface Val {
  t: string;
  kind: 'double' | 'string';
  /** The text of a string literal (compared at export time, or through a lookup). */
  literal?: string;
}

export function emitFormula(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as FormulaParams;
  const refuse = (what: string, hint: string): never => {
    throw new FlowlineError({
      code: 'NOT_EXPORTABLE',
      nodeId: step.nodeId,
      message: `ONNX export: the formula of node '${step.nodeId}' (${state.expression}) ${what}.`,
      hint,
    });
  };
  const tree = parseExpression(state.expression);
  let anyColumn: Val | null = null as Val | null;

  const dbl = (v: number) => g.scalar(v);
  const NaN_ = () => dbl(NaN);
  const isMissing = (v: Val) => (v.kind === 'double' ? g.op('IsNaN', [v.t]) : textEquals(g, v.t, MISSING_TEXT));
  /** num(v): text is missing in arithmetic. */
  const num = (v: Val): string => (v.kind === 'double' ? v.t : g.op('Where', [isMissing(v), NaN_(), NaN_()]));
  /** Truthiness of a value known not to be missing: non-zero number, non-empty text. */
  const truthy = (v: Val) => (v.kind === 'double' ? g.op('Not', [g.op('Equal', [v.t, dbl(0)])]) : g.op('Not', [isMissing(v)]));
  const bool01 = (b: string) => g.cast(b, 'double');
  const orMissing = (a: Val, b: Val) => g.op('Or', [isMissing(a), isMissing(b)]);
  const missingLike = (kind: 'double' | 'string') => (kind === 'double' ? NaN_() : g.constant(tensor.string([MISSING_TEXT], [1, 1])));
  /** bool [N, 1] of a comparison of two non-missing values, as the app's compare(). */
  const compare = (op: string, a: Val, b: Val): string => {
    if (a.kind !== b.kind) refuse('compares text with a number (the app compares their printed forms)', 'Compare numbers with numbers and text with text.');
    if (a.kind === 'string') {
      if (op !== '==' && op !== '!=') refuse(`orders text with ${op}`, 'ONNX cannot order text; compare text with == or != only.');
      const lit = b.literal ?? a.literal;
      if (lit === undefined) refuse('compares two text columns', 'Compare a text column with a fixed text ("..."), or encode the columns first.');
      const eq = textEquals(g, b.literal !== undefined ? a.t : b.t, lit!);
      return op === '!=' ? g.op('Not', [eq]) : eq;
    }
    const cmp: Record<string, string> = { '==': 'Equal', '<': 'Less', '<=': 'LessOrEqual', '>': 'Greater', '>=': 'GreaterOrEqual' };
    return op === '!=' ? g.op('Not', [g.op('Equal', [a.t, b.t])]) : g.op(cmp[op], [a.t, b.t]);
  };
  const pick = (cond: string, a: Val, b: Val): Val => {
    if (a.kind !== b.kind) refuse('gives text on some rows and numbers on others', 'Make both branches numbers, or both text.');
    return { t: g.op('Where', [cond, a.t, b.t]), kind: a.kind };
  };

  const c = (n: ExpressionNode): Val => {
    switch (n.t) {
      case 'num':
        return { t: dbl(n.v), kind: 'double' };
      case 'bool':
        return { t: dbl(n.v ? 1 : 0), kind: 'double' };
      case 'str':
        return { t: g.constant(tensor.string([n.v], [1, 1])), kind: 'string', literal: n.v };
      case 'col': {
        const col = cols.get(n.name, 'Formula');
        anyColumn ??= { t: col.tensor, kind: col.kind };
        return { t: col.tensor, kind: col.kind };
      }
      case 'un': {
        const a = c(n.a);
        if (n.op === '-') return { t: g.op('Neg', [num(a)]), kind: 'double' };
        return { t: g.op('Where', [isMissing(a), NaN_(), bool01(g.op('Not', [truthy(a)]))]), kind: 'double' };
      }
      case 'bin': {
        const a = c(n.a);
        const b = c(n.b);
        const arith: Record<string, string> = { '+': 'Add', '-': 'Sub', '*': 'Mul', '/': 'Div' };
        if (arith[n.op]) return { t: g.op(arith[n.op], [num(a), num(b)]), kind: 'double' };
        if (n.op === '%') return { t: g.op('Mod', [num(a), num(b)], { fmod: { i: 1 } }), kind: 'double' };
        if (n.op === '^') return { t: g.op('Pow', [num(a), num(b)]), kind: 'double' };
        if (n.op === 'and' || n.op === 'or') {
          // three-valued, as SQL: a known false decides "and", a known true decides "or"
          const and = n.op === 'and';
          const known = (v: Val) => g.op('And', [g.op('Not', [isMissing(v)]), and ? g.op('Not', [truthy(v)]) : truthy(v)]);
          const decided = g.op('Or', [known(a), known(b)]);
          return { t: g.op('Where', [decided, dbl(and ? 0 : 1), g.op('Where', [orMissing(a, b), NaN_(), dbl(and ? 1 : 0)])]), kind: 'double' };
        }
        return { t: g.op('Where', [orMissing(a, b), NaN_(), bool01(compare(n.op, a, b))]), kind: 'double' };
      }
      case 'in': {
        const a = c(n.a);
        // found: some item is not missing and equals a
        const hits = n.list.map(c).map((y) => g.op('And', [g.op('Not', [isMissing(y)]), compare('==', a, y)]));
        const found = hits.reduce((acc, h) => g.op('Or', [acc, h]));
        const result = n.not ? g.op('Not', [found]) : found;
        return { t: g.op('Where', [isMissing(a), NaN_(), bool01(result)]), kind: 'double' };
      }
      case 'call': {
        const args = n.args.map(c);
        const [a, b, d] = args;
        const unary: Record<string, string> = { log: 'Log', exp: 'Exp', sqrt: 'Sqrt', abs: 'Abs', floor: 'Floor', ceil: 'Ceil' };
        if (unary[n.fn]) return { t: g.op(unary[n.fn], [num(a)]), kind: 'double' };
        switch (n.fn) {
          case 'round': {
            let f: string;
            if (!b) f = dbl(1);
            else if (n.args[1].t === 'num') f = dbl(10 ** n.args[1].v);
            else f = g.op('Pow', [dbl(10), num(b)]);
            const v = g.op('Mul', [num(a), f]);
            // Math.round: floor, plus one when the fraction is at least a half (v − floor(v) is exact)
            const fl = g.op('Floor', [v]);
            const up = g.op('GreaterOrEqual', [g.op('Sub', [v, fl]), dbl(0.5)]);
            return { t: g.op('Div', [g.op('Where', [up, g.op('Add', [fl, dbl(1)]), fl]), f]), kind: 'double' };
          }
          case 'min':
          case 'max': {
            let m = num(args[0]);
            for (const v of args.slice(1)) {
              const x = num(v);
              const nan = g.op('Or', [g.op('IsNaN', [m]), g.op('IsNaN', [x])]);
              m = g.op('Where', [nan, NaN_(), g.op(n.fn === 'min' ? 'Min' : 'Max', [m, x])]);
            }
            return { t: m, kind: 'double' };
          }
          case 'if': {
            const chosen = pick(truthy(a), b, d);
            return { t: g.op('Where', [isMissing(a), missingLike(chosen.kind), chosen.t]), kind: chosen.kind };
          }
          case 'is_missing':
            return { t: bool01(isMissing(a)), kind: 'double' };
          case 'coalesce': {
            let out = args[args.length - 1];
            for (let i = args.length - 2; i >= 0; i--) out = pick(g.op('Not', [isMissing(args[i])]), args[i], out);
            return out;
          }
        }
        return refuse(`uses the function ${n.fn}(), which has no ONNX form here`, 'Rewrite the formula without it.');
      }
    }
  };
  let out = c(tree);
  // a formula of constants only still needs one value per row
  const some = cols.any();
  const rows = isMissing(anyColumn ?? { t: some.tensor, kind: some.kind });
  out = { t: g.op('Where', [rows, out.t, out.t]), kind: out.kind };
  cols.set(state.output, { tensor: out.t, kind: out.kind });
}
