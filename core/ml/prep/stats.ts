/**
 * Statistics computed the way numpy / scikit-learn define them, in a fixed order so reruns are
 * bit-identical. Inputs are Float64Array; NaN means missing and is skipped.
 */

/** The non-missing values, sorted ascending. */
export function sortedFinite(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[j++] = values[i];
  return out.sort();
}

/** numpy's default ("linear") percentile of sorted data, q in [0, 100]; NaN when empty. */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const virtual = (n - 1) * (q / 100);
  const prev = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
  const next = Math.min(prev + 1, n - 1);
  const gamma = virtual - prev;
  return lerp(sorted[prev], sorted[next], gamma);
}

/** numpy's _lerp: a + (b-a)t, computed from b's side for t >= 0.5 (monotone, exact at ends). */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.linspace(start, stop, num) with endpoint. */
export function linspace(start: number, stop: number, num: number): number[] {
  const out: number[] = [];
  const div = num - 1;
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) out.push(step === 0 ? (i / div) * (stop - start) + start : i * step + start);
  if (num > 1) out[num - 1] = stop;
  return out;
}

export interface Moments {
  count: number;
  mean: number;
  /** Population variance (ddof = 0). */
  variance: number;
  min: number;
  max: number;
}

/** Count, mean, variance (two-pass with correction, as scikit-learn), min, max over non-missing. */
export function moments(values: Float64Array): Moments {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count, mean: NaN, variance: NaN, min: NaN, max: NaN };
  const mean = sum / count;
  let correction = 0;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    const d = v - mean;
    correction += d;
    sq += d * d;
  }
  const variance = Math.max((sq - (correction * correction) / count) / count, 0);
  return { count, mean, variance, min, max };
}

/** scikit-learn's _handle_zeros_in_scale: scales too close to 0 become 1. */
export function safeScale(scale: number): number {
  return Number.isNaN(scale) || scale < 10 * Number.EPSILON ? 1 : scale;
}

/** numpy's pairwise summation (np.sum of a contiguous float64 array), bit for bit. */
export function pairwiseSum(a: Float64Array, start = 0, n = a.length): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const o = start + i;
      r0 += a[o]; r1 += a[o + 1]; r2 += a[o + 2]; r3 += a[o + 3];
      r4 += a[o + 4]; r5 += a[o + 5]; r6 += a[o + 6]; r7 += a[o + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** numpy's x.var() (ddof 0) of a NaN-free array, bit for bit: pairwise sums, mean of squared deviations. */
export function numpyVar(x: Float64Array, scratch = new Float64Array(x.length)): number {
  const n = x.length;
  const mean = pairwiseSum(x) / n;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    scratch[i] = d * d;
  }
  return pairwiseSum(scratch, 0, n) / n;
}

/**
 * The k-th smallest values (0-based ranks `ks`) of `a`, found by in-place 3-way quickselect on
 * the part of the array that holds a requested rank — O(n log m) instead of a full sort, as
 * numpy's percentile uses partitioning. `a` is reordered. Deterministic (median-of-3 pivots).
 */
export function selectRanks(a: Float64Array, ks: number[], min?: number, max?: number): Map<number, number> {
  return a.length > 4096 ? bucketSelect(a, ks, min, max) : quickSelect(a, ks);
}

/**
 * Rank selection by value buckets: one pass for min/max, one to count values per bucket
 * (a monotone map, so bucket order is value order), one to gather the few buckets that hold a
 * requested rank; those are solved recursively. Three linear passes instead of a sort.
 */
function bucketSelect(a: Float64Array, ks: number[], knownMin?: number, knownMax?: number): Map<number, number> {
  const n = a.length;
  let min = knownMin ?? Infinity;
  let max = knownMax ?? -Infinity;
  if (knownMin === undefined || knownMax === undefined) {
    for (let i = 0; i < n; i++) {
      const v = a[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const out = new Map<number, number>();
  if (min === max) {
    for (const k of ks) out.set(k, min);
    return out;
  }
  const range = max - min;
  if (!Number.isFinite(range)) return quickSelect(a, ks);
  const B = 1 << 14;
  const scale = B / range;
  const counts = new Uint32Array(B);
  for (let i = 0; i < n; i++) {
    const b = Math.floor((a[i] - min) * scale);
    counts[b >= B ? B - 1 : b]++;
  }
  const start = new Float64Array(B + 1);
  for (let b = 0; b < B; b++) start[b + 1] = start[b] + counts[b];
  // which bucket holds each rank
  const need = new Map<number, number[]>();
  for (const k of new Set(ks)) {
    let lo = 0;
    let hi = B - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (start[mid + 1] <= k) lo = mid + 1;
      else hi = mid;
    }
    const list = need.get(lo) ?? [];
    list.push(k);
    need.set(lo, list);
  }
  const slot = new Int32Array(B).fill(-1);
  const buckets = [...need.keys()];
  const values = buckets.map((b, j) => {
    slot[b] = j;
    return new Float64Array(counts[b]);
  });
  const fill = new Uint32Array(buckets.length);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    const b = Math.floor((v - min) * scale);
    const j = slot[b >= B ? B - 1 : b];
    if (j >= 0) values[j][fill[j]++] = v;
  }
  const gathered = new Map(buckets.map((b, j) => [b, { values: values[j] }]));
  for (const [b, ranks] of need) {
    const local = selectRanks(gathered.get(b)!.values, ranks.map((k) => k - start[b]));
    for (const k of ranks) out.set(k, local.get(k - start[b])!);
  }
  return out;
}

function quickSelect(a: Float64Array, ks: number[]): Map<number, number> {
  const wanted = [...new Set(ks)].sort((x, y) => x - y);
  const out = new Map<number, number>();
  const stack: [number, number, number, number][] = [[0, a.length - 1, 0, wanted.length]];
  while (stack.length) {
    const [lo, top, k0, kEnd] = stack.pop()!;
    let hi = top;
    let k1 = kEnd;
    while (k0 < k1) {
      if (hi - lo < 24) {
        for (let i = lo + 1; i <= hi; i++) {
          const v = a[i];
          let j = i - 1;
          while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
          }
          a[j + 1] = v;
        }
        for (let k = k0; k < k1; k++) out.set(wanted[k], a[wanted[k]]);
        break;
      }
      const mid = (lo + hi) >>> 1;
      const x = a[lo], y = a[mid], z = a[hi];
      const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
      let lt = lo;
      let gt = hi;
      let i = lo;
      while (i <= gt) {
        const v = a[i];
        if (v < pivot) {
          a[i++] = a[lt];
          a[lt++] = v;
        } else if (v > pivot) {
          a[i] = a[gt];
          a[gt--] = v;
        } else i++;
      }
      // ranks below lt go left, above gt go right, the rest equal the pivot
      let kl = k0;
      while (kl < k1 && wanted[kl] < lt) kl++;
      let kr = kl;
      while (kr < k1 && wanted[kr] <= gt) out.set(wanted[kr++], pivot);
      if (kr < k1) stack.push([gt + 1, hi, kr, k1]);
      hi = lt - 1;
      k1 = kl;
    }
  }
  return out;
}

/** numpy's linear percentiles (q in [0, 100]) of the non-missing values; NaN when there are none. */
export function percentiles(values: Float64Array, qs: number[]): number[] {
  // one pass: copy the non-missing values and note their range
  const a = new Float64Array(values.length);
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    a[n++] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return qs.map(() => NaN);
  const spots = qs.map((q) => {
    const virtual = (n - 1) * (q / 100);
    const prev = Math.min(Math.max(Math.floor(virtual), 0), n - 1);
    return { prev, next: Math.min(prev + 1, n - 1), gamma: virtual - prev };
  });
  const finite = n === a.length ? a : a.subarray(0, n);
  const ranks = selectRanks(finite, spots.flatMap((s) => [s.prev, s.next]), min, max);
  return spots.map((s) => lerp(ranks.get(s.prev)!, ranks.get(s.next)!, s.gamma));
}

/** Mean of the non-missing values (one pass, fixed order); NaN when none. */
export function meanOf(values: Float64Array): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      sum += v;
      count++;
    }
  }
  return count ? sum / count : NaN;
}
