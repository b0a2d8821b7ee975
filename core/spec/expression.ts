/**
 * A small, safe expression language for Formula Column and Filter Rows — parsed here, never passed
 * to eval, and never passed to DuckDB as text. Two engines run the tree: core/ml/prep/expression.ts
 * on a frame, core/data/expression-sql.ts as SQL. Pure (zod-free, Node-free): the studio may parse too.
 *   numbers, "text" or 'text', true / false, column names (letters, digits, _), or `any column
 *   name` in backticks
 *   + - * / % ^ (power, right-associative), unary -, comparisons == != < <= > >= (= means ==, <>
 *   means !=), x in (a, b, ...), x not in (...), x is null, x is not null,
 *   and / or / not (also && || !), parentheses
 *   functions: log exp sqrt abs round(x[, digits]) floor ceil min(...) max(...) if(cond, a, b)
 *              is_missing(x) coalesce(x, y, ...)
 * Missing values (NaN / null) propagate: any arithmetic or comparison with a missing value is
 * missing; if(missing, a, b) is missing. and / or follow SQL's three-valued logic (false and
 * missing is false, true or missing is true), so a filter means the same in both engines. In
 * arithmetic, true/false are 1/0.
 */
import { FlowlineError } from './errors.ts';

export type Value = number | string | null;
/** The parse tree. `str.quote` keeps how the text was written (a filter names "x" as a column by mistake). */
export type ExpressionNode =
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'str'; v: string; quote: string }
  | { t: 'col'; name: string }
  | { t: 'un'; op: '-' | 'not'; a: ExpressionNode }
  | { t: 'bin'; op: string; a: ExpressionNode; b: ExpressionNode }
  | { t: 'in'; a: ExpressionNode; list: ExpressionNode[]; not: boolean }
  | { t: 'call'; fn: string; args: ExpressionNode[] };
type Node = ExpressionNode;

interface Token {
  k: 'num' | 'str' | 'id' | 'col' | 'op' | 'end';
  v: string;
  at: number;
  quote?: string;
}

export const FUNCTIONS: Record<string, [number, number]> = {
  log: [1, 1], exp: [1, 1], sqrt: [1, 1], abs: [1, 1], round: [1, 2], floor: [1, 1], ceil: [1, 1],
  min: [1, 99], max: [1, 99], if: [3, 3], is_missing: [1, 1], coalesce: [1, 99],
};

function fail(message: string, hint?: string, column?: string): never {
  throw new FlowlineError({ code: 'EXPRESSION_ERROR', message, hint, column });
}

/** How errors name the expression: 'Formula', or 'Filter "age > 3"' (long text shortened). */
export function expressionLabel(what: string, src: string): string {
  const text = src.replace(/\s+/g, ' ').trim();
  return `${what} "${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`;
}

function tokenize(src: string, label: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (/[0-9.]/.test(c)) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m) fail(`${label}: cannot read a number at position ${at + 1}.`);
      out.push({ k: 'num', v: m[0], at });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) fail(`${label}: the text starting at position ${at + 1} has no closing ${c}.`);
      out.push({ k: 'str', v: src.slice(i + 1, end), at, quote: c });
      i = end + 1;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) fail(`${label}: the column name starting at position ${at + 1} has no closing backtick.`);
      out.push({ k: 'col', v: src.slice(i + 1, end), at });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], at });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '<=', '>=', '&&', '||', '<>'].includes(two)) {
        out.push({ k: 'op', v: two === '<>' ? '!=' : two, at });
        i += 2;
      } else if ('+-*/%^()<>=!,'.includes(c)) {
        out.push({ k: 'op', v: c === '=' ? '==' : c, at });
        i++;
      } else fail(`${label}: unexpected character '${c}' at position ${at + 1}.`);
    }
  }
  out.push({ k: 'end', v: '', at: src.length });
  return out;
}

export function parseExpression(src: string, label = 'Formula'): Node {
  const toks = tokenize(src, label);
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => peek().k === 'op' && peek().v === v;
  const isWord = (v: string) => peek().k === 'id' && peek().v.toLowerCase() === v;
  const expect = (v: string) => {
    if (!isOp(v)) fail(`${label}: expected '${v}' at position ${peek().at + 1}${peek().k === 'end' ? ' (the expression ends too early)' : ''}.`);
    p++;
  };
  const orExpr = (): Node => {
    let a = andExpr();
    while (isOp('||') || isWord('or')) {
      p++;
      a = { t: 'bin', op: 'or', a, b: andExpr() };
    }
    return a;
  };
  const andExpr = (): Node => {
    let a = notExpr();
    while (isOp('&&') || isWord('and')) {
      p++;
      a = { t: 'bin', op: 'and', a, b: notExpr() };
    }
    return a;
  };
  const notExpr = (): Node => {
    if (isOp('!') || isWord('not')) {
      p++;
      return { t: 'un', op: 'not', a: notExpr() };
    }
    return cmpExpr();
  };
  const isWordAt = (k: number, v: string) => toks[k]?.k === 'id' && toks[k].v.toLowerCase() === v;
  const cmpExpr = (): Node => {
    const a = addExpr();
    for (const op of ['==', '!=', '<=', '>=', '<', '>']) {
      if (isOp(op)) {
        p++;
        return { t: 'bin', op, a, b: addExpr() };
      }
    }
    // x is null / x is not null (as SQL writes it): is_missing(x)
    if (isWord('is')) {
      p++;
      const negated = isWord('not') && (p++, true);
      if (!isWord('null')) fail(`${label}: expected 'null' after 'is${negated ? ' not' : ''}' at position ${peek().at + 1}.`);
      p++;
      const test: Node = { t: 'call', fn: 'is_missing', args: [a] };
      return negated ? { t: 'un', op: 'not', a: test } : test;
    }
    // x in (a, b, ...) / x not in (...)
    if (isWord('in') || (isWord('not') && isWordAt(p + 1, 'in'))) {
      const negated = isWord('not');
      p += negated ? 2 : 1;
      expect('(');
      const list: Node[] = [addExpr()];
      while (isOp(',')) {
        p++;
        list.push(addExpr());
      }
      expect(')');
      return { t: 'in', a, list, not: negated };
    }
    return a;
  };
  const addExpr = (): Node => {
    let a = mulExpr();
    while (isOp('+') || isOp('-')) {
      const op = toks[p++].v;
      a = { t: 'bin', op, a, b: mulExpr() };
    }
    return a;
  };
  const mulExpr = (): Node => {
    let a = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = toks[p++].v;
      a = { t: 'bin', op, a, b: unary() };
    }
    return a;
  };
  const unary = (): Node => {
    if (isOp('-')) {
      p++;
      return { t: 'un', op: '-', a: unary() };
    }
    if (isOp('+')) {
      p++;
      return unary();
    }
    const a = primary();
    if (isOp('^')) {
      p++;
      return { t: 'bin', op: '^', a, b: unary() };
    }
    return a;
  };
  const primary = (): Node => {
    const tok = peek();
    if (tok.k === 'num') {
      p++;
      return { t: 'num', v: Number(tok.v) };
    }
    if (tok.k === 'str') {
      p++;
      return { t: 'str', v: tok.v, quote: tok.quote ?? "'" };
    }
    if (tok.k === 'col') {
      p++;
      return { t: 'col', name: tok.v };
    }
    if (tok.k === 'id') {
      p++;
      const lower = tok.v.toLowerCase();
      if (isOp('(')) {
        const arity = FUNCTIONS[lower];
        if (!arity) fail(`${label}: unknown function '${tok.v}'.`, `Functions: ${Object.keys(FUNCTIONS).join(', ')}.`);
        p++;
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(orExpr());
          while (isOp(',')) {
            p++;
            args.push(orExpr());
          }
        }
        expect(')');
        if (args.length < arity[0] || args.length > arity[1]) fail(`${label}: ${lower}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s), got ${args.length}.`);
        return { t: 'call', fn: lower, args };
      }
      if (lower === 'true') return { t: 'bool', v: true };
      if (lower === 'false') return { t: 'bool', v: false };
      return { t: 'col', name: tok.v };
    }
    if (isOp('(')) {
      p++;
      const e = orExpr();
      expect(')');
      return e;
    }
    fail(tok.k === 'end' ? `${label}: the expression ends too early.` : `${label}: unexpected '${tok.v}' at position ${tok.at + 1}.`);
  };
  if (peek().k === 'end') fail(`${label}: the expression is empty.`, 'Write an expression such as price / area.');
  const tree = orExpr();
  if (peek().k !== 'end') fail(`${label}: unexpected '${peek().v}' at position ${peek().at + 1}.`);
  return tree;
}

/** Column names an expression reads. */
export function expressionColumns(node: Node): string[] {
  const out = new Set<string>();
  const walk = (n: Node) => {
    if (n.t === 'col') out.add(n.name);
    else if (n.t === 'un') walk(n.a);
    else if (n.t === 'bin') {
      walk(n.a);
      walk(n.b);
    }
    else if (n.t === 'in') [n.a, ...n.list].forEach(walk);
    else if (n.t === 'call') n.args.forEach(walk);
  };
  walk(node);
  return [...out];
}

/** Column names an expression's text reads; none when it does not parse (the run reports the syntax error). */
export function expressionRefs(src: string): string[] {
  try {
    return expressionColumns(parseExpression(src));
  } catch {
    return [];
  }
}

/** Every column the expression reads must be among `available`; the error names the first that is not. */
export function checkExpressionColumns(node: Node, available: string[], label = 'Formula'): void {
  const have = new Set(available);
  const known = available.filter((c) => !c.startsWith('__'));
  for (const name of expressionColumns(node)) {
    if (!have.has(name)) {
      throw new FlowlineError({
        code: 'EXPRESSION_ERROR',
        column: name,
        message: `${label}: there is no column '${name}'.`,
        hint: `Columns here: ${known.slice(0, 12).join(', ')}. Put names with spaces or symbols in backticks: \`my column\`.`,
      });
    }
  }
}

const NUMERIC_FUNCTIONS = new Set(['log', 'exp', 'sqrt', 'abs', 'round', 'floor', 'ceil', 'min', 'max']);

/**
 * Formula Column evaluates on a frame where text stays text and everything else (numbers,
 * true/false, dates as epoch ms) is a number. Arithmetic on text would quietly give a column of
 * missing values; this names the operator and the column instead, in the words Filter Rows uses.
 * `textColumns` are the input's text columns; a value whose kind is not known is never an error.
 */
export function checkExpressionArithmetic(node: Node, textColumns: ReadonlySet<string>, label = 'Formula'): void {
  type Kind = 'number' | 'text' | 'unknown';
  const describe = (n: Node) => (n.t === 'col' ? `column '${n.name}' (text)` : n.t === 'str' ? `the text '${n.v}'` : 'text');
  const needNumber = (n: Node, what: string): void => {
    if (kind(n) !== 'text') return;
    throw new FlowlineError({
      code: 'EXPRESSION_ERROR',
      column: n.t === 'col' ? n.name : undefined,
      message: `${label}: ${what} needs numbers, but ${describe(n)} is not a number.`,
      hint: n.t === 'col' ? `Convert '${n.name}' first (Cast Types, or Encode Categories for categories).` : 'Write numbers without quotes.',
    });
  };
  const kind = (n: Node): Kind => {
    switch (n.t) {
      case 'num':
      case 'bool':
        return 'number';
      case 'str':
        return 'text';
      case 'col':
        return textColumns.has(n.name) ? 'text' : 'number';
      case 'un':
        if (n.op === '-') needNumber(n.a, "'-'");
        else kind(n.a);
        return 'number';
      case 'bin':
        if ('+-*/%^'.includes(n.op)) {
          needNumber(n.a, `'${n.op}'`);
          needNumber(n.b, `'${n.op}'`);
        } else {
          kind(n.a);
          kind(n.b);
        }
        return 'number';
      case 'in':
        [n.a, ...n.list].forEach(kind);
        return 'number';
      case 'call': {
        if (NUMERIC_FUNCTIONS.has(n.fn)) {
          n.args.forEach((a) => needNumber(a, `${n.fn}()`));
          return 'number';
        }
        const kinds = n.args.map(kind);
        if (n.fn === 'if') return kinds[1] === kinds[2] ? kinds[1] : 'unknown';
        if (n.fn === 'coalesce') return kinds.every((k) => k === kinds[0]) ? kinds[0] : 'unknown';
        return 'number';
      }
    }
  };
  kind(node);
}
