/**
 * Which rows Sample Rows and Split keep, chosen on a worker thread: 16M rows take over a second
 * to read, shuffle and sort, and the host's thread answers the studio's window. Row choice is done
 * with the seeded Rng over rows in ROW_ID order, so the same seed gives the same rows on every
 * machine; the tasks read the ROW_IDs (and the stratifying or time column) themselves and return
 * only the chosen ids. Rows sharing a ROW_ID (copies made by a one-to-many join) stay together.
 */
import { Rng } from '../spec/random.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { TableRef } from '../spec/index.ts';
import { defineWorkerTask } from '../spec/worker-task.ts';
import { readColumns, type ColumnData } from './tables.ts';

export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;

/** Split sizes the way scikit-learn's train_test_split rounds: test (and validation) up, train gets the rest. */
export function splitSizes(n: number, testFraction: number, validationFraction: number): { train: number; validation: number; test: number } {
  const up = (f: number) => Math.max(0, Math.ceil(n * f - 1e-9));
  const test = up(testFraction);
  const validation = up(validationFraction);
  return { train: n - test - validation, validation, test };
}

/** Group row indices by a key (missing values form their own group), groups in a stable order. */
export function groupsOf(keys: ColumnData): number[][] {
  const map = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const v = keys[i];
    const k = v === null || (typeof v === 'number' && Number.isNaN(v)) ? '\u0000missing' : String(v);
    let g = map.get(k);
    if (!g) map.set(k, (g = []));
    g.push(i);
  }
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

/**
 * How many of `want` picks each group gets: proportional, floors first, then the leftover picks to
 * the largest remainders (ties to the larger group, then the earlier group).
 */
export function allocate(groupSizes: number[], want: number): number[] {
  const n = groupSizes.reduce((a, b) => a + b, 0);
  if (n === 0) return groupSizes.map(() => 0);
  const exact = groupSizes.map((s) => (s * want) / n);
  const out = exact.map((x, i) => Math.min(groupSizes[i], Math.floor(x + 1e-9)));
  let left = want - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => i).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || groupSizes[b] - groupSizes[a] || a - b);
  for (let k = 0; left > 0 && k < order.length * 2; k++) {
    const i = order[k % order.length];
    if (out[i] < groupSizes[i]) {
      out[i]++;
      left--;
    }
  }
  return out;
}

export interface SplitPlan {
  method: 'random' | 'stratified' | 'time';
  testFraction: number;
  validationFraction: number;
  seed: number;
}

/**
 * Assign each of n rows to TRAIN / VALIDATION / TEST. `stratum` (stratified) or `time` (by time,
 * NaN not allowed) align with the rows.
 */
export function assignSplit(n: number, plan: SplitPlan, by?: { stratum?: ColumnData; time?: Float64Array }): Uint8Array {
  const out = new Uint8Array(n);
  const sizes = splitSizes(n, plan.testFraction, plan.validationFraction);
  if (plan.method === 'time') {
    const time = by!.time!;
    const sorted = Float64Array.from(time).sort();
    const toTrain = boundary(time, sorted, sizes.train);
    const toValidation = boundary(time, sorted, sizes.train + sizes.validation);
    for (let i = 0; i < n; i++) {
      // Both asked of every row: each counts the rows at its edge's time.
      const train = toTrain(i);
      out[i] = toValidation(i) ? (train ? TRAIN : VALIDATION) : TEST;
    }
    return out;
  }
  const rng = new Rng(plan.seed);
  if (plan.method === 'stratified') {
    const groups = groupsOf(by!.stratum!);
    const testPer = allocate(groups.map((g) => g.length), sizes.test);
    const rest = groups.map((g, i) => g.length - testPer[i]);
    const valPer = allocate(rest, sizes.validation);
    groups.forEach((g, i) => {
      const perm = rng.permutation(g.length);
      for (let k = 0; k < g.length; k++) {
        const row = g[perm[k]];
        out[row] = k < testPer[i] ? TEST : k < testPer[i] + valPer[i] ? VALIDATION : TRAIN;
      }
    });
    return out;
  }
  const perm = rng.permutation(n);
  for (let k = 0; k < n; k++) out[perm[k]] = k < sizes.test ? TEST : k < sizes.test + sizes.validation ? VALIDATION : TRAIN;
  return out;
}

/**
 * Is row i among the first `k` rows in time order (ties in row order)? Asked of every row in row
 * order, once each. The same rows as sorting the row indices by (time, index) and taking the first
 * k, from the times sorted (`sorted`, a numeric sort) and a pass, instead of a comparator sort of
 * every row's index into a JS array. Times hold no NaN (the split refuses rows without one).
 */
function boundary(time: Float64Array, sorted: Float64Array, k: number): (i: number) => boolean {
  if (k <= 0) return () => false;
  if (k >= time.length) return () => true;
  const edge = sorted[k - 1];
  // Rows at the edge's time that still fit before the boundary: k minus those strictly earlier.
  let lo = 0;
  let hi = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < edge) lo = mid + 1;
    else hi = mid;
  }
  let room = k - lo;
  return (i) => time[i] < edge || (time[i] === edge && room-- > 0);
}

/**
 * Distinct ROW_IDs (ascending) and, per distinct id, the index of its first row: null when every
 * row has an id of its own (no join made copies), the common case, where the ids are the rows'.
 * Typed arrays, counted first: growing plain arrays took 4.3 s and ~300 MB for 16M rows.
 */
function distinctIds(rowIds: Int32Array): { ids: Int32Array; first: Int32Array | null } {
  let distinct = rowIds.length ? 1 : 0;
  for (let i = 1; i < rowIds.length; i++) if (rowIds[i] !== rowIds[i - 1]) distinct++;
  if (distinct === rowIds.length) return { ids: rowIds, first: null };
  const ids = new Int32Array(distinct);
  const first = new Int32Array(distinct);
  for (let i = 0, k = 0; i < rowIds.length; i++) {
    if (i > 0 && rowIds[i] === rowIds[i - 1]) continue;
    ids[k] = rowIds[i];
    first[k++] = i;
  }
  return { ids, first };
}

/** A column's value on the first row of each distinct id (the column itself when every id is distinct). */
function atFirst<T extends ColumnData>(col: T, first: Int32Array | null): T {
  if (!first) return col;
  if (col instanceof Float64Array) return Float64Array.from(first, (i) => col[i]) as T;
  return Array.from(first, (i) => (col as (string | null)[])[i]) as T;
}

export interface SampleRowsJob {
  table: TableRef;
  /** A row count, or a fraction of the rows. */
  size: { rows: number } | { fraction: number };
  /** Keep each value's share of this column (stratified sample). */
  stratifyBy?: string;
  seed: number;
}

/** The ROW_IDs of a seeded random sample, ascending, and how many distinct rows it was drawn from. */
export const sampleRowsTask = defineWorkerTask('data.sampleRows', async (job: SampleRowsJob): Promise<{ chosen: Int32Array; of: number }> => {
  const read = await readColumns(job.table, job.stratifyBy ? [job.stratifyBy] : []);
  const { ids, first } = distinctIds(read.rowIds);
  const n = ids.length;
  const want = 'rows' in job.size ? Math.min(n, Math.max(0, Math.floor(job.size.rows))) : Math.round(n * Math.min(1, Math.max(0, job.size.fraction)));
  const rng = new Rng(job.seed);
  let chosen = new Int32Array(want);
  if (job.stratifyBy) {
    const groups = groupsOf(atFirst(read.columns[job.stratifyBy], first));
    const per = allocate(groups.map((g) => g.length), want);
    let c = 0;
    groups.forEach((g, i) => {
      const perm = rng.permutation(g.length);
      for (let k = 0; k < per[i]; k++) chosen[c++] = ids[g[perm[k]]];
    });
    chosen = chosen.slice(0, c);
  } else {
    const perm = rng.permutation(n);
    for (let k = 0; k < want; k++) chosen[k] = ids[perm[k]];
  }
  chosen.sort();
  return { chosen, of: n };
});

export interface SplitRowsJob {
  table: TableRef;
  plan: SplitPlan;
  /** The stratifying (stratified) or date (time) column, checked by the caller. */
  column?: string;
}

/** The ROW_IDs of each part of a split, each ascending. */
export const splitRowsTask = defineWorkerTask('data.splitRows', async ({ table, plan, column }: SplitRowsJob): Promise<{ train: Int32Array; validation: Int32Array; test: Int32Array }> => {
  const read = await readColumns(table, plan.method === 'random' ? [] : [column!]);
  const { ids, first } = distinctIds(read.rowIds);
  const n = ids.length;
  const sizes = splitSizes(n, plan.testFraction, plan.validationFraction);
  if (sizes.train < 1 || (plan.testFraction > 0 && sizes.test < 1)) {
    throw new FlowlineError({ code: 'NO_ROWS', message: `${n} row(s) are too few to split into ${sizes.train} training and ${sizes.test} test rows.`, hint: 'Use more rows or other fractions.' });
  }
  let by: { stratum?: ColumnData; time?: Float64Array } | undefined;
  if (plan.method === 'stratified') by = { stratum: atFirst(read.columns[column!], first) };
  if (plan.method === 'time') {
    const time = atFirst(read.columns[column!] as Float64Array, first);
    const missing = time.findIndex((v) => Number.isNaN(v));
    if (missing >= 0) {
      throw new FlowlineError({ code: 'BAD_DATA', column, message: `Row ${ids[missing]} has no value in "${column}", so it has no place in time.`, hint: 'Remove rows without a date first (Filter Rows: "' + column + '" IS NOT NULL).' });
    }
    by = { time };
  }
  const parts = assignSplit(n, plan, by);
  const counts = [0, 0, 0];
  for (let i = 0; i < n; i++) counts[parts[i]]++;
  const byPart = counts.map((c) => new Int32Array(c));
  const filled = [0, 0, 0];
  for (let i = 0; i < n; i++) byPart[parts[i]][filled[parts[i]]++] = ids[i];
  return { train: byPart[TRAIN], validation: byPart[VALIDATION], test: byPart[TEST] };
});
