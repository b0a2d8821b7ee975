/**
 * Category steps as ONNX lookups (see columns.ts for the key rules): one-hot, ordinal, target
 * encoding, group features; and PCA, the one step that mixes columns.
 */
import type { RecipeStep } from '../../../spec/values.ts';
import type { OneHotState } from '../../../ml/prep/onehot.ts';
import type { OrdinalState } from '../../../ml/prep/ordinal.ts';
import type { TargetEncodeState } from '../../../ml/prep/target-encode.ts';
import { groupAggName, type GroupAggState } from '../../../ml/prep/group-agg.ts';
import type { PcaState } from '../../../ml/prep/pca.ts';
import type { Key } from '../../../ml/prep/categories.ts';
import { lookupValues, numericLookup, slotOf, type ColumnSet } from '../columns.ts';
import { tensor, type OnnxGraph } from '../graph.ts';
import { affineInOrder } from '../estimators/affine.ts';

export function emitOneHot(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as OneHotState;
  for (const c of state.columns) {
    const col = cols.get(c.column, 'Encode Categories');
    const otherSlot = c.other.length ? c.categories.length : -1;
    const keys = [...c.categories, ...c.other];
    const slots = [...c.categories.map((_, i) => i), ...c.other.map(() => otherSlot)];
    const unknownSlot = state.handleUnknown === 'other' ? otherSlot : -1;
    const slot = slotOf(g, col, keys, slots, unknownSlot, unknownSlot, { column: c.column, nodeId: step.nodeId });
    const width = c.outputs.length;
    const hot = g.cast(g.op('Equal', [slot, g.constant(tensor.int64(c.outputs.map((_, j) => j), [1, width]), 'slots')]), 'double');
    const parts = g.split(hot, 1, c.outputs.map(() => 1));
    cols.delete(c.column);
    c.outputs.forEach((name, j) => cols.set(name, { tensor: parts[j], kind: 'double' }));
  }
}

export function emitOrdinal(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as OrdinalState;
  for (const { column, categories } of state.columns) {
    const col = cols.get(column, 'Encode Categories');
    const codes = categories.map((_, i) => i);
    const y = lookupValues(g, col, categories, codes, state.unknownValue ?? NaN, NaN, { column, nodeId: step.nodeId });
    cols.set(column, { tensor: y, kind: 'double' });
  }
}

export function emitTargetEncode(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as TargetEncodeState;
  for (const { column, categories, encodings } of state.columns) {
    const col = cols.get(column, 'Encode Categories (target)');
    const y = lookupValues(g, col, categories, encodings, state.targetMean, state.targetMean, { column, nodeId: step.nodeId });
    cols.set(column, { tensor: y, kind: 'double' });
  }
}

const SEP = '\u0001';
const NULL_PART = '\u0000';

/**
 * Group features: each key column → its code among the values the groups use (unseen → one
 * more code), the codes combined into one number, and that number looked up among the groups.
 */
export function emitGroupAgg(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as GroupAggState;
  const parts = state.groups.map((group) => group.split(SEP).map((p): Key => (p === NULL_PART ? null : p)));
  const valuesPerKey = state.keys.map((_, k) => [...new Set(parts.map((p) => p[k]))]);
  const strides: number[] = [];
  let stride = 1;
  for (const values of valuesPerKey) {
    strides.push(stride);
    stride *= values.length + 1; // code values.length = unseen
  }
  const terms = state.keys.map((key, k) => {
    const values = valuesPerKey[k];
    const slot = slotOf(g, cols.get(key, 'Group Features'), values, values.map((_, i) => i), values.length, values.length, { column: key, nodeId: step.nodeId });
    return g.op('Mul', [g.cast(slot, 'double'), g.scalar(strides[k])]);
  });
  const combined = g.sumInOrder(terms);
  const groupCodes = parts.map((p) => p.reduce((acc: number, v, k) => acc + valuesPerKey[k].indexOf(v) * strides[k], 0));
  const G = state.groups.length;
  const slot = numericLookup(g, combined, groupCodes, groupCodes.map((_, s) => s), G);
  state.aggs.forEach((agg, a) => {
    const vals = state.values[a].map((v) => v ?? NaN);
    const table = g.constant(tensor.double([...vals, agg === 'count' ? 0 : NaN]), 'group_values');
    cols.set(groupAggName(state, agg), { tensor: g.op('Gather', [table, slot], { axis: { i: 0 } }), kind: 'double' });
  });
}

export function emitPca(g: OnnxGraph, cols: ColumnSet, step: RecipeStep): void {
  const state = step.state as PcaState;
  const k = state.components.length;
  const p = state.columns.length;
  // apply: s = 0; s += (x_j − mean_j) · comp[c][j] for j in order
  const centred = state.columns.map((name, j) => g.op('Sub', [cols.double(name, 'Reduce (PCA)', step.nodeId), g.scalar(state.mean[j])]));
  const W = new Float64Array(k * p);
  state.components.forEach((comp, c) => comp.forEach((w, j) => (W[c * p + j] = w)));
  const scores = affineInOrder(g, centred, W, k, null);
  const outs = g.split(scores, 1, Array.from({ length: k }, () => 1));
  if (!state.keepOriginal) for (const name of state.columns) cols.delete(name);
  state.outputs.forEach((name, c) => cols.set(name, { tensor: outs[c], kind: 'double' }));
}
