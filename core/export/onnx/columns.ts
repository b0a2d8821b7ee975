/**
 * The recipe, replayed symbolically: each column of the frame is an ONNX tensor of shape [N, 1],
 * double (numbers, NaN = missing) or string ("" = missing). Steps read and replace columns here
 * exactly as they do on a Frame, so the estimator finds its features by name at the end.
 *
 * Also the category lookups every encoder shares (one-hot, ordinal, target encoding, group
 * features): a column's value → a slot number, with the app's rules for missing and unseen values.
 */
import { FlowlineError } from '../../spec/errors.ts';
import type { Key } from '../../ml/prep/categories.ts';
import { tensor, type OnnxGraph } from './graph.ts';

export interface Col {
  /** Tensor name, shape [N, 1]. */
  tensor: string;
  kind: 'double' | 'string';
}

export class ColumnSet {
  private cols = new Map<string, Col>();

  has(name: string): boolean {
    return this.cols.has(name);
  }

  set(name: string, col: Col): void {
    this.cols.set(name, col);
  }

  delete(name: string): void {
    this.cols.delete(name);
  }

  /** Some column (every one has N rows): what a constant is broadcast against. */
  any(): Col {
    return this.cols.values().next().value!;
  }

  /** A column a step reads; its absence means the recipe and the model disagree (a bug, named). */
  get(name: string, who: string): Col {
    const c = this.cols.get(name);
    if (!c) throw new FlowlineError({ code: 'INTERNAL', column: name, message: `ONNX export: ${who} reads column '${name}', which no earlier step or input provides.` });
    return c;
  }

  double(name: string, who: string, nodeId: string): string {
    const c = this.get(name, who);
    if (c.kind !== 'double') {
      throw new FlowlineError({ code: 'NOT_EXPORTABLE', nodeId, column: name, message: `ONNX export: ${who} (node '${nodeId}') needs numbers in '${name}', but it holds text here.`, hint: 'Encode the column before this step.' });
    }
    return c.tensor;
  }
}

/** The string fed for a missing category (ONNX string tensors cannot hold null). */
export const MISSING_TEXT = '';

/**
 * bool [N, 1]: x == value, for a string tensor. Equal on strings needs opset 19, newer than the
 * default target, so a LabelEncoder maps `value` to 1 and anything else to 0.
 */
export function textEquals(g: OnnxGraph, x: string, value: string): string {
  const hit = g.ml('LabelEncoder', [x], { keys_strings: { strings: [value] }, values_int64s: { ints: [1] }, default_int64: { i: 0 } })[0];
  return g.cast(hit, 'bool');
}

/** ""-valued categories cannot be told from missing in the graph: refuse them by name. */
function checkKeys(keys: Key[], column: string, nodeId: string): void {
  if (keys.includes(MISSING_TEXT)) {
    throw new FlowlineError({
      code: 'NOT_EXPORTABLE',
      nodeId,
      column,
      message: `ONNX export: column '${column}' has the empty text "" as a category (node '${nodeId}'); in the ONNX model "" is how a missing value is fed, so the two could not be told apart.`,
      hint: `Replace "" with a word (e.g. with Impute Missing, constant "none", or a Formula) before node '${nodeId}'.`,
    });
  }
}

/**
 * int64 [N, 1] slot of each value: keys[i] → slots[i]; a missing value → the slot of the null key
 * when keys has one, else `missingSlot`; anything else → `unknownSlot`. Numeric columns compare
 * numerically (keys are String(value), as the app keys them).
 */
export function slotOf(g: OnnxGraph, col: Col, keys: Key[], slots: number[], unknownSlot: number, missingSlot: number, where: { column: string; nodeId: string }): string {
  const nullAt = keys.indexOf(null);
  const nullSlot = nullAt >= 0 ? slots[nullAt] : missingSlot;
  if (col.kind === 'string') {
    checkKeys(keys, where.column, where.nodeId);
    const textKeys = keys.map((k) => (k === null ? MISSING_TEXT : k));
    const values = [...slots];
    if (nullAt < 0) {
      textKeys.push(MISSING_TEXT);
      values.push(nullSlot);
    }
    return g.ml('LabelEncoder', [col.tensor], {
      keys_strings: { strings: textKeys },
      values_int64s: { ints: values },
      default_int64: { i: unknownSlot },
    })[0];
  }
  const numericKeys: number[] = [];
  const numericSlots: number[] = [];
  keys.forEach((k, i) => {
    if (k === null) return;
    numericKeys.push(Number(k));
    numericSlots.push(slots[i]);
  });
  const isNaN = g.op('IsNaN', [col.tensor]);
  const nullConst = g.constant(tensor.int64([nullSlot], [1, 1]));
  const unknownConst = g.constant(tensor.int64([unknownSlot], [1, 1]));
  if (numericKeys.length === 0) return g.op('Where', [isNaN, nullConst, unknownConst]);
  const found = numericLookup(g, col.tensor, numericKeys, numericSlots, unknownSlot);
  return g.op('Where', [isNaN, nullConst, found]);
}

/**
 * int64 [N, 1]: slots[i] where x == keys[i], else unknownSlot. Compares x with every key
 * ([N, K] booleans), so it suits the few dozen categories encoders see, not thousands.
 */
export function numericLookup(g: OnnxGraph, x: string, keys: number[], slots: number[], unknownSlot: number): string {
  const eq = g.cast(g.op('Equal', [x, g.constant(tensor.double(keys, [1, keys.length]), 'keys')]), 'double');
  const at = g.op('ArgMax', [eq], { axis: { i: 1 }, keepdims: { i: 1 } });
  const any = g.op('Greater', [g.reduce('ReduceMax', eq, 1, true), g.scalar(0)]);
  const slot = g.op('Gather', [g.constant(tensor.int64(slots), 'slots'), at], { axis: { i: 0 } });
  return g.op('Where', [any, slot, g.constant(tensor.int64([unknownSlot], [1, 1]))]);
}

/**
 * double [N, 1]: values[i] for keys[i]; missing → the null key's value if any, else
 * `missingValue`; unseen → `unknownValue`.
 */
export function lookupValues(g: OnnxGraph, col: Col, keys: Key[], values: number[], unknownValue: number, missingValue: number, where: { column: string; nodeId: string }): string {
  const K = keys.length;
  const slots = keys.map((_, i) => i);
  const slot = slotOf(g, col, keys, slots, K, K + 1, where);
  const table = g.constant(tensor.double([...values, unknownValue, missingValue]), 'table');
  return g.op('Gather', [table, slot], { axis: { i: 0 } });
}
