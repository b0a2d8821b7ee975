/**
 * One ranking of the rows by score, and everything the binary metrics and curves read from it:
 * ROC AUC, the ROC and precision–recall curves, cumulative gains. A streamed Evaluate keeps every
 * row's score; ranking them once (not once per curve), in 8 bytes a row of scratch that then holds
 * the counts, is what keeps its report within memory on tables of millions of rows.
 *
 * The counts are sklearn's `_binary_clf_curve`: at each distinct score, highest first, how many
 * positives and negatives score at least that much. ROC AUC, ROC and PR are functions of them
 * alone; the gains curve also needs the positives among the first t rows where t falls inside a
 * tie (rows of a tie come in row order), taken during the same pass.
 */
import type { Num } from './metrics.ts';

/** Rankings made since the process started (a test counts them: one per binary Evaluate report). */
export const rankingStats = { rankings: 0 };

/**
 * Row numbers by score, highest first, ties in row order: what sorting the row numbers with
 * `score[b] - score[a] || a - b` gives (−0 equal to 0), by a stable LSD radix sort on the
 * scores' bits, four passes of 16 bits. NaN scores come last. The comparison sort took over a
 * second per million rows.
 */
export function descendingOrder(score: Num): Uint32Array {
  return rankDescending(score).order;
}

/**
 * descendingOrder, and the sort's other buffer (n entries, free for the caller). Only the row
 * numbers move: each pass reads a row's key from its score, so the scratch is two Uint32Arrays
 * (8 bytes a row) rather than the keys' copies as well (24).
 */
function rankDescending(score: Num): { order: Uint32Array; spare: Uint32Array } {
  rankingStats.rankings++;
  const n = score.length;
  const f = score instanceof Float64Array ? score : Float64Array.from(score);
  const w = new Uint32Array(f.buffer, f.byteOffset, 2 * n);
  // All four digit histograms in one sequential pass.
  const counts = new Uint32Array(4 * 65536);
  for (let r = 0; r < n; r++) {
    const lo = keyLo(w, r), hi = keyHi(w, r);
    counts[lo & 0xffff]++;
    counts[65536 + (lo >>> 16)]++;
    counts[131072 + (hi & 0xffff)]++;
    counts[196608 + (hi >>> 16)]++;
  }
  let src = new Uint32Array(n), dst = new Uint32Array(n);
  for (let r = 0; r < n; r++) src[r] = r;
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 65536;
    // A digit every key shares leaves the order as it is.
    let skip = false, sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[base + d];
      if (c === n) skip = true;
      counts[base + d] = sum;
      sum += c;
    }
    if (n === 0 || skip) continue;
    const high = pass >= 2, shift = (pass % 2) * 16;
    for (let i = 0; i < n; i++) {
      const r = src[i];
      const key = high ? keyHi(w, r) : keyLo(w, r);
      dst[counts[base + ((key >>> shift) & 0xffff)]++] = r;
    }
    [src, dst] = [dst, src];
  }
  return { order: src, spare: dst };
}

// A key that orders as the numbers do (sign bit flipped for positives, every bit for negatives),
// then inverted, so ascending keys are descending scores; −0 is 0, and every NaN is all ones.
// w holds each double as (low word, high word), little-endian as typed arrays are here.
const isNaNBits = (h: number, l: number) => (h & 0x7ff00000) === 0x7ff00000 && ((h & 0xfffff) | l) !== 0;
const isNegZero = (h: number, l: number) => h === 0x80000000 && l === 0;

function keyHi(w: Uint32Array, r: number): number {
  const h = w[2 * r + 1], l = w[2 * r];
  if (isNaNBits(h, l)) return 0xffffffff;
  if (h >>> 31 && !isNegZero(h, l)) return h;
  return ~((isNegZero(h, l) ? 0 : h) | 0x80000000) >>> 0;
}

function keyLo(w: Uint32Array, r: number): number {
  const h = w[2 * r + 1], l = w[2 * r];
  if (isNaNBits(h, l)) return 0xffffffff;
  if (h >>> 31 && !isNegZero(h, l)) return l;
  return ~l >>> 0;
}

/** Cumulative counts at each distinct score, highest first (sklearn `_binary_clf_curve`). */
export interface RankedCounts {
  /** Rows ranked. */
  n: number;
  /** Positives and negatives scoring at least thresholds[i]. */
  tps: Uint32Array;
  fps: Uint32Array;
  /** The distinct scores (only when asked for: the charts do not need them). */
  thresholds?: Float64Array;
  /** Positives among the first `gainsAt[q]` rows of the ranking (when gainsAt was given). */
  gains?: Float64Array;
}

/**
 * The counts of one ranking of `score`; `isPositive(row)` says which rows are positive. Ties are
 * equal scores (===): each NaN is a threshold of its own, as sklearn's and the old loops had it.
 * The counts are written over the ranking's own two buffers (fps over the order as it is read),
 * so nothing else the size of the table is made unless `thresholds` is asked for.
 */
export function rankedCounts(score: Num, isPositive: (row: number) => boolean, opts: { thresholds?: boolean; gainsAt?: ArrayLike<number> } = {}): RankedCounts {
  const n = score.length;
  const { order, spare } = rankDescending(score);
  const tps = spare, fps = order;
  const thresholds = opts.thresholds ? new Float64Array(n) : undefined;
  const gainsAt = opts.gainsAt ?? [];
  const gains = opts.gainsAt ? new Float64Array(gainsAt.length) : undefined;
  let tp = 0, fp = 0, m = 0, g = 0;
  for (let i = 0; i < n; i++) {
    // order[i] and order[i + 1] are read before fps[m] (m ≤ i) is written over them.
    const r = order[i];
    if (isPositive(r)) tp++;
    else fp++;
    while (g < gainsAt.length && gainsAt[g] === i + 1) gains![g++] = tp;
    const v = score[r];
    if (i === n - 1 || score[order[i + 1]] !== v) {
      tps[m] = tp;
      fps[m] = fp;
      if (thresholds) thresholds[m] = v;
      m++;
    }
  }
  return { n, tps: tps.subarray(0, m), fps: fps.subarray(0, m), thresholds: thresholds?.subarray(0, m), gains };
}

/**
 * ROC AUC from the counts: the Mann–Whitney U form, every row of a tie at the tie's mean rank
 * (ascending). null when only one class is present. Ranks are halves of integers, so the rank sum
 * is exact below 2^52 (about 95 million rows) in any order of addition: the same number, bit for
 * bit, as adding each positive's rank in ascending order.
 */
export function rocAucOf(c: RankedCounts): number | null {
  const { n, tps, fps } = c;
  let nPos = 0, rankSumPos = 0, start = 0;
  for (let i = 0; i < tps.length; i++) {
    const end = tps[i] + fps[i];
    const pos = tps[i] - nPos;
    // Descending positions start..end-1 are ascending n-end..n-1-start.
    const avgRank = (n - end + (n - 1 - start)) / 2 + 1;
    if (pos) rankSumPos += pos * avgRank;
    nPos = tps[i];
    start = end;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return null;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * sklearn roc_curve's drop_intermediate, in place: the collinear points of the counts are dropped
 * (and their thresholds). The counts are the ROC's alone afterwards: read PR and AUC before.
 */
export function dropIntermediate(c: RankedCounts): RankedCounts {
  const { tps, fps, thresholds } = c;
  const m = fps.length;
  if (m <= 2) return c;
  // Kept points move down in place; the second differences read the original neighbours.
  let f0 = fps[0], t0 = tps[0];
  let w = 1;
  for (let i = 1; i < m - 1; i++) {
    const f1 = fps[i], t1 = tps[i];
    const d2f = fps[i + 1] - 2 * f1 + f0;
    const d2t = tps[i + 1] - 2 * t1 + t0;
    if (d2f !== 0 || d2t !== 0) {
      fps[w] = f1;
      tps[w] = t1;
      if (thresholds) thresholds[w] = thresholds[i];
      w++;
    }
    f0 = f1;
    t0 = t1;
  }
  fps[w] = fps[m - 1];
  tps[w] = tps[m - 1];
  if (thresholds) thresholds[w] = thresholds[m - 1];
  w++;
  return { ...c, tps: tps.subarray(0, w), fps: fps.subarray(0, w), thresholds: thresholds?.subarray(0, w) };
}

/**
 * Point i (0..m) of the ROC curve of counts after dropIntermediate: (0, 0) first. An undefined
 * rate (no negatives, or no positives) is NaN everywhere, (0, 0) included.
 */
export function rocPoint(c: RankedCounts, i: number): [number, number] {
  const m = c.tps.length;
  const P = m ? c.tps[m - 1] : 0, N = m ? c.fps[m - 1] : 0;
  const fpr = !N ? NaN : i ? c.fps[i - 1] / N : 0;
  const tpr = !P ? NaN : i ? c.tps[i - 1] / P : 0;
  return [fpr, tpr];
}

/**
 * Point j (0..m) of sklearn 1.2's precision_recall_curve as (recall, precision): increasing
 * thresholds, the (recall 0, precision 1) point last; recall is 1 everywhere without positives.
 */
export function prPoint(c: RankedCounts, j: number): [number, number] {
  const m = c.tps.length;
  if (j === m) return [0, 1];
  const i = m - 1 - j;
  const P = c.tps[m - 1];
  const ps = c.tps[i] + c.fps[i];
  return [P ? c.tps[i] / P : 1, ps ? c.tps[i] / ps : 0];
}

/** The rows counted by each point of a gains curve: ceil(q / points × n), q = 1..points (none of 0 rows). */
export function gainsPositions(n: number, points = 100): number[] {
  const at: number[] = [];
  for (let q = 1; q <= points; q++) {
    const take = Math.ceil((q / points) * n);
    if (take !== 0) at.push(take);
  }
  return at;
}

/** Cumulative gains and lift from the positives counted at gainsPositions(n). */
export function gainsOf(c: RankedCounts, at: number[]): { fraction: number[]; gains: number[]; lift: number[] } {
  const m = c.tps.length;
  const P = m ? c.tps[m - 1] : 0;
  const fraction: number[] = [0], gains: number[] = [0], lift: number[] = [];
  at.forEach((take, q) => {
    const f = take / c.n;
    const g = P ? c.gains![q] / P : 0;
    fraction.push(f);
    gains.push(g);
    lift.push(g / f);
  });
  return { fraction, gains, lift };
}
