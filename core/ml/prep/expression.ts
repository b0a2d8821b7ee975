/**
 * Flowline's expression language (core/spec/expression.ts) evaluated row by row on a frame, for
 * Formula Column and the recipe replay.
 */
import { FlowlineError } from '../../spec/errors.ts';
import type { Frame } from '../frame.ts';
import { checkExpressionColumns, type ExpressionNode, type Value } from '../../spec/expression.ts';

export { checkExpressionArithmetic, checkExpressionColumns, expressionColumns, expressionLabel, FUNCTIONS, parseExpression, type ExpressionNode, type Value } from '../../spec/expression.ts';

type Node = ExpressionNode;

const missing = (v: Value) => v === null || (typeof v === 'number' && Number.isNaN(v));
function compare(op: string, x: number | string, y: number | string): boolean {
  const [l, r] = typeof x === typeof y ? [x, y] : [String(x), String(y)];
  return op === '==' ? l === r : op === '!=' ? l !== r : op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
}
const num = (v: Value) => (v === null ? NaN : typeof v === 'number' ? v : NaN);

/** Compile to a row function over a frame; unknown columns are an error naming them. */
export function compileExpression(node: Node, frame: Frame, label = 'Formula'): (i: number) => Value {
  checkExpressionColumns(node, Object.keys(frame.columns), label);
  const c = (n: Node): ((i: number) => Value) => {
    switch (n.t) {
      case 'num':
        return () => n.v;
      case 'bool':
        return n.v ? () => 1 : () => 0;
      case 'str':
        return () => n.v;
      case 'col': {
        const col = frame.columns[n.name];
        return (i) => col[i];
      }
      case 'un': {
        const a = c(n.a);
        return n.op === '-' ? (i) => -num(a(i)) : (i) => (missing(a(i)) ? NaN : a(i) ? 0 : 1);
      }
      case 'bin': {
        const a = c(n.a);
        const b = c(n.b);
        switch (n.op) {
          case '+': return (i) => num(a(i)) + num(b(i));
          case '-': return (i) => num(a(i)) - num(b(i));
          case '*': return (i) => num(a(i)) * num(b(i));
          case '/': return (i) => num(a(i)) / num(b(i));
          case '%': return (i) => num(a(i)) % num(b(i));
          case '^': return (i) => Math.pow(num(a(i)), num(b(i)));
          // Three-valued, as SQL: a known false decides "and", a known true decides "or".
          case 'and': return (i) => { const x = a(i), y = b(i); return (!missing(x) && !x) || (!missing(y) && !y) ? 0 : missing(x) || missing(y) ? NaN : 1; };
          case 'or': return (i) => { const x = a(i), y = b(i); return (!missing(x) && x) || (!missing(y) && y) ? 1 : missing(x) || missing(y) ? NaN : 0; };
          default: {
            const op = n.op;
            return (i) => {
              const x = a(i);
              const y = b(i);
              if (missing(x) || missing(y)) return NaN;
              return compare(op, x!, y!) ? 1 : 0;
            };
          }
        }
      }
      case 'in': {
        const a = c(n.a);
        const list = n.list.map(c);
        return (i) => {
          const x = a(i);
          if (missing(x)) return NaN;
          const found = list.some((g) => { const y = g(i); return !missing(y) && compare('==', x!, y!); });
          return found !== n.not ? 1 : 0;
        };
      }
      case 'call': {
        const args = n.args.map(c);
        const [a, b, d] = args;
        switch (n.fn) {
          case 'log': return (i) => Math.log(num(a(i)));
          case 'exp': return (i) => Math.exp(num(a(i)));
          case 'sqrt': return (i) => Math.sqrt(num(a(i)));
          case 'abs': return (i) => Math.abs(num(a(i)));
          case 'floor': return (i) => Math.floor(num(a(i)));
          case 'ceil': return (i) => Math.ceil(num(a(i)));
          case 'round': return (i) => { const f = 10 ** (b ? num(b(i)) : 0); return Math.round(num(a(i)) * f) / f; };
          case 'min': return (i) => { let m = Infinity; for (const g of args) m = Math.min(m, num(g(i))); return m; };
          case 'max': return (i) => { let m = -Infinity; for (const g of args) m = Math.max(m, num(g(i))); return m; };
          case 'if': return (i) => { const x = a(i); return missing(x) ? NaN : x ? b(i) : d(i); };
          case 'is_missing': return (i) => (missing(a(i)) ? 1 : 0);
          case 'coalesce': return (i) => { for (const g of args) { const v = g(i); if (!missing(v)) return v; } return NaN; };
        }
        throw new FlowlineError({ code: 'EXPRESSION_ERROR', message: `${label}: unknown function '${n.fn}'.` });
      }
    }
  };
  return c(node);
}
