/**
 * Numeric recipe steps as ONNX: impute, scale, clip outliers, discretise, math transforms
 * (log1p / sqrt / power / Box-Cox / Yeo-Johnson), cast, feature selection. Each emits the same
 * IEEE operations the step's `apply` performs, in the same order, so its numbers are the app's
 * bit for bit — except log/exp/pow, which the runtime's libm may round an ulp apart.
 */
import { FlowlineError } from '../../../spec/errors.ts';
import type { RecipeStep } from '../../../spec/values.ts';
import { indicatorName, type ImputeState } from '../../../ml/prep/impute.ts';
import type { ScaleState } from '../../../ml/prep/scale.ts';
import type { OutliersState } from '../../../ml/prep/outliers.ts';
import type { DiscretizeState } from '../../../ml/prep/discretize.ts';
import type { PowerState } from '../../../ml/prep/power.ts';
import type { CastParams } from '../../../ml/prep/cast.ts';
import type { SelectState } from '../../../ml/prep/select-features.ts';
import { MISSING_TEXT, textEquals, type ColumnSet } from '../columns.ts';
import { tensor, type OnnxGraph } from '../graph.ts';

const SPACING_1 = Number.EPSILON;

export function emitImpute(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as ImputeState;
  for (const { name, numeric, fill } of state.columns) {
    const col = cols.get(name, 'Impute Missing');
    let missing: string;
    if (numeric) {
      const x = cols.double(name, 'Impute Missing', step.nodeId);
      missing = g.op('IsNaN', [x]);
      cols.set(name, { tensor: g.op('Where', [missing, g.scalar(fill as number), x]), kind: 'double' });
    } else {
      if (col.kind !== 'string') {
        throw new FlowlineError({ code: 'NOT_EXPORTABLE', nodeId: step.nodeId, column: name, message: `ONNX export: Impute Missing (node '${step.nodeId}') fills '${name}' with text, but the column holds numbers here.`, hint: 'Impute numeric columns with a number.' });
      }
      missing = textEquals(g, col.tensor, MISSING_TEXT);
      cols.set(name, { tensor: g.op('Where', [missing, g.constant(tensor.string([String(fill)], [1, 1])), col.tensor]), kind: 'string' });
    }
    if (state.indicator) cols.set(indicatorName(name), { tensor: g.cast(missing, 'double'), kind: 'double' });
  }
}

export function emitScale(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as ScaleState;
  state.columns.forEach((name, j) => {
    const x = cols.double(name, 'Scale Features', step.nodeId);
    let y: string;
    if (state.method === 'minmax') {
      // as apply: x * (1 / range) + (0 - min * (1 / range))
      const mul = 1 / state.scale[j];
      const plus = 0 - state.offset[j] * mul;
      y = g.op('Add', [g.op('Mul', [x, g.scalar(mul)]), g.scalar(plus)]);
    } else y = g.op('Div', [g.op('Sub', [x, g.scalar(state.offset[j])]), g.scalar(state.scale[j])]);
    cols.set(name, { tensor: y, kind: 'double' });
  });
}

export function emitClip(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as OutliersState;
  state.columns.forEach((name, j) => {
    const x = cols.double(name, 'Remove Outliers (clip)', step.nodeId);
    const lo = g.scalar(state.lower[j]);
    const hi = g.scalar(state.upper[j]);
    // x < lo ? lo : x > hi ? hi : x — NaN fails both tests and stays NaN
    const y = g.op('Where', [g.op('Less', [x, lo]), lo, g.op('Where', [g.op('Greater', [x, hi]), hi, x])]);
    cols.set(name, { tensor: y, kind: 'double' });
  });
}

export function emitDiscretize(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as DiscretizeState;
  state.columns.forEach((name, j) => {
    const x = cols.double(name, 'Discretize', step.nodeId);
    const inner = state.edges[j].slice(1, -1);
    // bin = number of inner edges <= x (a sum of 0/1, exact in any order); NaN stays NaN
    const count = inner.length === 0 ? g.op('Mul', [x, g.scalar(0)]) : g.reduce('ReduceSum', g.cast(g.op('GreaterOrEqual', [x, g.constant(tensor.double(inner, [1, inner.length]), 'edges')]), 'double'), 1, true);
    cols.set(name, { tensor: g.op('Where', [g.op('IsNaN', [x]), g.scalar(NaN), count]), kind: 'double' });
  });
}

/** log(1 + x) accurate for small x (Kahan: log(u)·x/(u−1) with u = 1 + x; x itself when u == 1). */
export function log1p(g: OnnxGraph, x: string): string {
  const u = g.op('Add', [x, g.scalar(1)]);
  const um1 = g.op('Sub', [u, g.scalar(1)]);
  const ratio = g.op('Div', [g.op('Mul', [g.op('Log', [u]), x]), um1]);
  // x = +inf: log(inf)·inf/inf is NaN; log1p(inf) = inf
  const inf = g.op('Equal', [x, g.scalar(Infinity)]);
  return g.op('Where', [g.op('Equal', [u, g.scalar(1)]), x, g.op('Where', [inf, x, ratio])]);
}

/** exp(y) − 1 accurate for small y (Kahan: (u−1)·y/log(u) with u = e^y). */
function expm1(g: OnnxGraph, y: string): string {
  const u = g.op('Exp', [y]);
  const um1 = g.op('Sub', [u, g.scalar(1)]);
  const ratio = g.op('Div', [g.op('Mul', [um1, y]), g.op('Log', [u])]);
  const plain = g.op('Or', [g.op('Equal', [um1, g.scalar(-1)]), g.op('IsInf', [u])]);
  return g.op('Where', [g.op('Equal', [u, g.scalar(1)]), y, g.op('Where', [plain, um1, ratio])]);
}

function pow(g: OnnxGraph, x: string, p: number): string {
  if (p === 1) return x;
  if (p === 2) return g.op('Mul', [x, x]); // Math.pow(x, 2) is exactly x·x
  if (p === 0.5) return g.op('Sqrt', [x]); // not exact for -0 / -inf, which a sqrt step never sees here
  return g.op('Pow', [x, g.scalar(p)]);
}

function boxCox(g: OnnxGraph, x: string, lambda: number): string {
  const logx = g.op('Log', [x]);
  if (Math.abs(lambda) < 1e-19) return logx;
  return g.op('Div', [expm1(g, g.op('Mul', [logx, g.scalar(lambda)])), g.scalar(lambda)]);
}

function yeoJohnson(g: OnnxGraph, x: string, lambda: number): string {
  const pos = Math.abs(lambda) < SPACING_1 ? log1p(g, x) : g.op('Div', [g.op('Sub', [pow(g, g.op('Add', [x, g.scalar(1)]), lambda), g.scalar(1)]), g.scalar(lambda)]);
  const negX = g.op('Neg', [x]);
  const neg =
    Math.abs(lambda - 2) > SPACING_1
      ? g.op('Neg', [g.op('Div', [g.op('Sub', [pow(g, g.op('Add', [negX, g.scalar(1)]), 2 - lambda), g.scalar(1)]), g.scalar(2 - lambda)])])
      : g.op('Neg', [log1p(g, negX)]);
  return g.op('Where', [g.op('GreaterOrEqual', [x, g.scalar(0)]), pos, neg]);
}

export function emitPower(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as PowerState;
  state.columns.forEach((name, j) => {
    const x = cols.double(name, 'Transform Values', step.nodeId);
    let y: string;
    switch (state.method) {
      case 'log1p':
        y = log1p(g, x);
        break;
      case 'sqrt':
        y = g.op('Sqrt', [x]);
        break;
      case 'power':
        y = pow(g, x, state.exponent);
        break;
      case 'box-cox':
        y = boxCox(g, x, state.lambdas[j]);
        break;
      case 'yeo-johnson':
        y = yeoJohnson(g, x, state.lambdas[j]);
        break;
    }
    if (state.mean && state.scale) y = g.op('Div', [g.op('Sub', [y, g.scalar(state.mean[j])]), g.scalar(state.scale[j])]);
    cols.set(name, { tensor: y, kind: 'double' });
  });
}

export function emitCast(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as CastParams;
  for (const name of state.columns) {
    const col = cols.get(name, 'Cast Types');
    if (state.to === 'string' && col.kind === 'string') continue;
    if (col.kind === 'string' || state.to === 'string') {
      throw new FlowlineError({
        code: 'NOT_EXPORTABLE',
        nodeId: step.nodeId,
        column: name,
        message: `ONNX export: Cast Types (node '${step.nodeId}') turns '${name}' ${col.kind === 'string' ? 'from text into numbers' : 'from numbers into text'}; ONNX parses and prints numbers differently from Flowline, so the served model could disagree.`,
        hint:
          col.kind === 'string'
            ? `Convert '${name}' before the split, as a table step (e.g. a SQL node: CAST(${name} AS DOUBLE)), so the model receives numbers.`
            : `Encode Categories reads a numeric column's values as categories already: remove the cast to text for '${name}'.`,
      });
    }
    const x = col.tensor;
    let y = x;
    if (state.to === 'integer') y = g.op('Sub', [x, g.op('Mod', [x, g.scalar(1)], { fmod: { i: 1 } })]); // trunc toward 0
    else if (state.to === 'boolean') y = g.op('Where', [g.op('IsNaN', [x]), x, g.cast(g.op('Not', [g.op('Equal', [x, g.scalar(0)])]), 'double')]);
    cols.set(name, { tensor: y, kind: 'double' });
  }
}

export function emitSelect(_g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  for (const name of (step.state as SelectState).dropped) cols.delete(name);
}
