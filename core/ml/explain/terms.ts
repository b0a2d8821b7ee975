/**
 * Raw-column terms: which column of the analyst's data each learner feature comes from.
 *
 * Walking the fitted recipe backwards from a feature, a step output made from ONE input (one-hot
 * columns, date parts, hashed columns, bins, a scaled or imputed column, a formula of one
 * column) leads back to that input; the walk ends at a raw column, or at an output made from
 * several inputs (a ratio of two columns, a group statistic, a principal component), which is
 * then a term of its own, shown with its value as that step made it. Attributions of the
 * features of one term are summed (signed): exact for additive attributions, and what shap's
 * authors recommend for one-hot groups.
 */
import type { ColumnType, RecipeStep } from '../../spec/values.ts';
import type { Frame } from '../frame.ts';
import { stepKind } from '../prep/fit.ts';

export interface Term {
  name: string;
  /** Indices into the model's features. */
  features: number[];
  /** Where its shown value is read: the raw rows (step -1) or the frame after recipe step `step`. */
  step: number;
  column: string;
}

/** The inputs a step's output is made from. */
function sourcesOf(step: RecipeStep, output: string): string[] {
  const lineage = stepKind(step).lineage?.(step.params, step.state);
  if (lineage?.[output]) return lineage[output];
  if (step.inputs.includes(output)) return [output];
  return step.inputs;
}

/** Where feature column `column` comes from: [column name, step that made it from several inputs, or -1]. */
function originOf(steps: RecipeStep[], column: string): [string, number] {
  let col = column;
  for (let s = steps.length - 1; s >= 0; s--) {
    if (!steps[s].outputs.includes(col)) continue;
    const sources = sourcesOf(steps[s], col);
    if (sources.length !== 1) return [col, s];
    col = sources[0];
  }
  return [col, -1];
}

/** Terms in first-seen feature order; two different origins with one name are told apart. */
export function rawTerms(steps: RecipeStep[], features: string[]): Term[] {
  const byKey = new Map<string, Term>();
  features.forEach((f, i) => {
    const [column, step] = originOf(steps, f);
    const key = `${step}\u0000${column}`;
    const t = byKey.get(key);
    if (t) t.features.push(i);
    else byKey.set(key, { name: column, features: [i], step, column });
  });
  const terms = [...byKey.values()];
  for (const t of terms) {
    if (terms.some((o) => o !== t && o.name === t.name && o.step < t.step)) t.name = `${t.name} (from ${steps[t.step].nodeId})`;
  }
  return terms;
}

/** One term per feature: the engineered view. */
export function featureTerms(features: string[]): Term[] {
  return features.map((f, i) => ({ name: f, features: [i], step: Infinity, column: f }));
}

export type ShownValue = number | string | null;

/** How a column's values read: numbers as numbers, booleans and dates as text. */
function shown(frame: Frame, column: string): { values: ShownValue[]; kind: 'number' | 'category' } {
  const col = frame.columns[column];
  const type: ColumnType | undefined = frame.types[column];
  if (!(col instanceof Float64Array)) return { values: col ? [...col] : new Array(frame.rows).fill(null), kind: 'category' };
  const nan = (v: number) => Number.isNaN(v);
  if (type === 'boolean') return { values: Array.from(col, (v) => (nan(v) ? null : v ? 'true' : 'false')), kind: 'category' };
  if (type === 'date') return { values: Array.from(col, (v) => (nan(v) ? null : new Date(v).toISOString().slice(0, 10))), kind: 'category' };
  if (type === 'timestamp') return { values: Array.from(col, (v) => (nan(v) ? null : new Date(v).toISOString().replace('T', ' ').slice(0, 19))), kind: 'category' };
  return { values: Array.from(col, (v) => (nan(v) ? null : v)), kind: 'number' };
}

/**
 * Each term's values as the analyst knows them ([term][row]): raw columns from the raw rows,
 * several-input outputs from the frame right after the step that made them, features (the
 * engineered view, step Infinity) from the learner's matrix.
 */
export function termValues(terms: Term[], raw: Frame, afterStep: Map<number, Frame>, finalFrame: Frame): { values: ShownValue[][]; kinds: ('number' | 'category')[] } {
  const out = terms.map((t) => shown(t.step < 0 ? raw : t.step === Infinity ? finalFrame : afterStep.get(t.step)!, t.column));
  return { values: out.map((o) => o.values), kinds: out.map((o) => o.kind) };
}

/** The recipe steps whose frames termValues needs (apply the recipe with applyRecipe's afterStep). */
export function stepsToKeep(terms: Term[]): Set<number> {
  return new Set(terms.filter((t) => t.step >= 0 && t.step !== Infinity).map((t) => t.step));
}

/** φ over features (rows × outputs × F) summed into terms (rows × outputs × T). */
export function sumIntoTerms(phi: Float64Array, rows: number, outputs: number, F: number, terms: Term[]): Float64Array {
  const T = terms.length;
  const out = new Float64Array(rows * outputs * T);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      const src = (r * outputs + o) * F;
      const dst = (r * outputs + o) * T;
      terms.forEach((t, k) => {
        let s = 0;
        for (const f of t.features) s += phi[src + f];
        out[dst + k] = s;
      });
    }
  }
  return out;
}
