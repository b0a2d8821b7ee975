/**
 * Target encoding, matching scikit-learn 1.3's TargetEncoder (Debian's 1.2 has none; the parity
 * test checks against an independent numpy computation of the same formulas):
 *  - encodings per category: smooth="auto" → empirical-Bayes shrinkage
 *      λ = n·var(y) / (n·var(y) + Σ(y - mean_c)²/n),  enc = λ·mean_c + (1-λ)·mean(y)
 *    (var is the population variance of y on the fitting rows); smooth = m → (Σy + m·mean(y)) / (n + m).
 *  - binary targets are 0/1 (the second class in sorted order is 1); continuous targets as is;
 *    auto: two distinct values → binary, else continuous. (Multiclass came in scikit-learn 1.4.)
 *  - missing is a category; unknown categories get mean(y).
 *  - `fitApply` (what training uses) gives each fitting row its OUT-OF-FOLD encoding, as
 *    TargetEncoder.fit_transform does (cv folds, shuffled); the state keeps the encodings learned
 *    on all fitting rows, which `apply` uses for every other row. Folds come from our seeded Rng,
 *    not numpy's, so fold membership differs from scikit-learn's: KFold for continuous targets
 *    (shuffled, first n % cv folds one row larger), stratified for binary (each class shuffled and
 *    dealt round-robin over the folds).
 * Exportable: at serving time it is a lookup (category → number), an ONNX LabelEncoder.
 */
import { z } from 'zod';
import { CATEGORICAL, param, type Resolved } from '../../spec/index.ts';
import { FlowlineError } from '../../spec/index.ts';
import { getColumn, textKeys, withColumns, type Frame, type NewColumn } from '../frame.ts';
import { Rng } from '../../spec/random.ts';
import { keyColumn, type Key } from './categories.ts';
import type { StepKind } from './types.ts';

export const targetEncodeParams = z.object({
  columns: param.selection('Category columns to encode', { types: CATEGORICAL }).default([]),
  target: param.column('Target encoding: the column to predict (binary or numeric)'),
  smooth: z.union([z.literal('auto'), z.number().min(0)]).default('auto').describe('Target encoding: shrinkage toward the overall mean ("auto" = empirical Bayes, as scikit-learn)'),
  cv: z.number().int().min(2).max(20).default(5).describe('Target encoding: folds for the out-of-fold training values'),
  target_type: z.enum(['auto', 'binary', 'continuous']).optional().describe('Target encoding: how to read the target (auto: two values = binary, else continuous)'),
  seed: z.number().int().optional().describe("Seed of the out-of-fold folds (the node derives it from its own seed)"),
});
export type TargetEncodeParams = Resolved<z.infer<typeof targetEncodeParams>>;

export interface TargetEncodeState {
  columns: { column: string; categories: Key[]; encodings: number[] }[];
  targetMean: number;
  targetType: 'binary' | 'continuous';
  classes: Key[] | null;
}

const WHO = 'Encode Categories (target)';

/** The target as numbers (binary → 0/1) for every row; NaN where missing. */
function targetValues(frame: Frame, params: TargetEncodeParams, rowIndex?: Uint32Array) {
  const raw = getColumn(frame, params.target, WHO);
  const keys = textKeys(frame, params.target, WHO);
  const distinct = new Set<string>();
  const idx = rowIndex ?? Uint32Array.from({ length: frame.rows }, (_, i) => i);
  for (const i of idx) if (keys[i] !== null) distinct.add(keys[i]!);
  let type = params.target_type ?? 'auto';
  if (type === 'auto') type = distinct.size === 2 || !(raw instanceof Float64Array) ? 'binary' : 'continuous';
  const y = new Float64Array(frame.rows);
  if (type === 'binary') {
    if (distinct.size > 2) {
      throw new FlowlineError({
        code: 'BAD_TARGET',
        message: `${WHO}: target '${params.target}' has ${distinct.size} classes; target encoding supports a binary or numeric target.`,
        hint: 'Use one-hot or ordinal encoding for a multiclass target.',
        column: params.target,
      });
    }
    const classes = [...distinct].sort((a, b) => (raw instanceof Float64Array ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < frame.rows; i++) y[i] = keys[i] === null ? NaN : keys[i] === classes[classes.length - 1] && classes.length === 2 ? 1 : 0;
    return { y, type: 'binary' as const, classes };
  }
  if (!(raw instanceof Float64Array)) throw new FlowlineError({ code: 'BAD_TARGET', message: `${WHO}: target '${params.target}' is text, so it cannot be a continuous target.`, column: params.target });
  y.set(raw);
  return { y, type: 'continuous' as const, classes: null };
}

function encodeFold(keys: Key[], y: Float64Array, rows: ArrayLike<number>, smooth: 'auto' | number) {
  let sum = 0;
  for (let r = 0; r < rows.length; r++) sum += y[rows[r]];
  const n = rows.length;
  const mean = sum / n;
  let ss = 0;
  for (let r = 0; r < rows.length; r++) ss += (y[rows[r]] - mean) ** 2;
  const variance = ss / n;
  const slot = new Map<Key, number>();
  const sums: number[] = [];
  const counts: number[] = [];
  for (let r = 0; r < rows.length; r++) {
    const k = keys[rows[r]];
    let s = slot.get(k);
    if (s === undefined) {
      s = sums.length;
      slot.set(k, s);
      sums.push(0);
      counts.push(0);
    }
    sums[s] += y[rows[r]];
    counts[s]++;
  }
  const enc = new Array<number>(sums.length);
  if (smooth === 'auto') {
    const means = sums.map((s, i) => s / counts[i]);
    const sq = new Array<number>(sums.length).fill(0);
    for (let r = 0; r < rows.length; r++) {
      const s = slot.get(keys[rows[r]])!;
      sq[s] += (y[rows[r]] - means[s]) ** 2;
    }
    for (let s = 0; s < sums.length; s++) {
      const lambda = (variance * counts[s]) / (variance * counts[s] + sq[s] / counts[s]);
      enc[s] = Number.isNaN(lambda) ? mean : lambda * means[s] + (1 - lambda) * mean;
    }
  } else {
    for (let s = 0; s < sums.length; s++) enc[s] = (sums[s] + smooth * mean) / (counts[s] + smooth);
  }
  return { slot, enc, mean };
}

/** Fold number (0..cv-1) of each fitting row, in `rows` order. */
export function targetFolds(rows: Uint32Array, y: Float64Array, cv: number, stratified: boolean, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const fold = new Uint8Array(rows.length);
  if (stratified) {
    for (const cls of [0, 1]) {
      const members = Uint32Array.from([...rows.keys()].filter((r) => y[rows[r]] === cls));
      rng.shuffle(members);
      members.forEach((r, i) => (fold[r] = i % cv));
    }
  } else {
    const perm = rng.permutation(rows.length);
    const base = Math.floor(rows.length / cv);
    const extra = rows.length % cv;
    let at = 0;
    for (let f = 0; f < cv; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let i = 0; i < size; i++) fold[perm[at++]] = f;
    }
  }
  return fold;
}

function fitRows(y: Float64Array, rowIndex: Uint32Array | undefined, n: number): Uint32Array {
  const idx = rowIndex ?? Uint32Array.from({ length: n }, (_, i) => i);
  return idx.filter((i) => !Number.isNaN(y[i]));
}

function fitState(frame: Frame, params: TargetEncodeParams, rowIndex?: Uint32Array) {
  const t = targetValues(frame, params, rowIndex);
  const rows = fitRows(t.y, rowIndex, frame.rows);
  if (rows.length === 0) throw new FlowlineError({ code: 'BAD_TARGET', message: `${WHO}: target '${params.target}' has no values in the rows used for fitting.`, column: params.target });
  const smooth = params.smooth ?? 'auto';
  const keysByColumn = params.columns.map((c) => keyColumn(frame, c, WHO));
  let targetMean = NaN;
  const columns = params.columns.map((column, j) => {
    const { slot, enc, mean } = encodeFold(keysByColumn[j], t.y, rows, smooth);
    targetMean = mean;
    const categories = [...slot.keys()];
    return { column, categories, encodings: categories.map((k) => enc[slot.get(k)!]) };
  });
  const state: TargetEncodeState = { columns, targetMean, targetType: t.type, classes: t.classes };
  return { state, t, rows, keysByColumn, smooth };
}

function applyState(state: TargetEncodeState, frame: Frame, keysByColumn?: Key[][]): Float64Array[] {
  return state.columns.map(({ column, categories, encodings }, j) => {
    const keys = keysByColumn?.[j] ?? keyColumn(frame, column, WHO);
    const map = new Map<Key, number>(categories.map((k, i) => [k, encodings[i]]));
    const out = new Float64Array(frame.rows);
    for (let i = 0; i < frame.rows; i++) out[i] = map.get(keys[i]) ?? state.targetMean;
    return out;
  });
}

const asColumns = (state: TargetEncodeState, values: Float64Array[]): NewColumn[] => state.columns.map((c, j) => ({ name: c.column, type: 'number', values: values[j] }));

export const targetEncode: StepKind<TargetEncodeParams, TargetEncodeState, typeof targetEncodeParams> = {
  kind: 'target_encode',
  title: WHO,
  params: targetEncodeParams,
  exportable: true,
  fit: (frame, params, rowIndex) => fitState(frame, params, rowIndex).state,
  apply: (state, frame) => withColumns(frame, asColumns(state, applyState(state, frame))),
  fitApply(frame, params, rowIndex) {
    const { state, t, rows, keysByColumn, smooth } = fitState(frame, params, rowIndex);
    const values = applyState(state, frame, keysByColumn);
    const cv = params.cv ?? 5;
    if (rows.length >= cv) {
      const fold = targetFolds(rows, t.y, cv, t.type === 'binary', params.seed ?? 0);
      for (let f = 0; f < cv; f++) {
        const trainRows = rows.filter((_, r) => fold[r] !== f);
        const testRows = rows.filter((_, r) => fold[r] === f);
        if (trainRows.length === 0) continue;
        keysByColumn.forEach((keys, j) => {
          const { slot, enc, mean } = encodeFold(keys, t.y, trainRows, smooth);
          for (const i of testRows) {
            const s = slot.get(keys[i]);
            values[j][i] = s === undefined ? mean : enc[s];
          }
        });
      }
    }
    return { state, frame: withColumns(frame, asColumns(state, values)) };
  },
  // The target is read only while fitting; a served model does not need it.
  io: (params) => ({ inputs: [...params.columns], outputs: [...params.columns] }),
};
