import type { Matrix } from '../types.ts';
import { Rng } from '../../../spec/random.ts';
import { sortDoubles } from './sort-doubles.ts';

/** Bin index reserved for missing values, whatever the number of real bins (as sklearn's _BinMapper). */
export const MISSING_BIN = 255;

/**
 * Per-feature bin edges, as scikit-learn's _BinMapper: up to 255 bins of non-missing values plus
 * bin 255 for NaN. Bin b holds values with thresholds[b-1] < x <= thresholds[b], so "bin <= b"
 * is exactly "x <= thresholds[b]" and a split found on bins predicts on raw values.
 */
export interface BinMapper {
  /** Per feature, the increasing thresholds (length = non-missing bins - 1). */
  thresholds: Float64Array[];
  nBinsNonMissing: Int32Array;
  hasMissing: Uint8Array;
}

/**
 * Where a second thread (the histogram grower's helper, hist-passes.ts) takes part in
 * fitBinMapper: both threads write thresholds and bin counts into shared memory, and the caller
 * gathers every other group of columns into a slot the helper reads (only the caller reads the
 * matrix). Each column's edges depend on its values alone, so the mapper is the same whichever
 * thread finds them.
 */
export interface EdgeSharing {
  /** cols × 255 doubles: each column's thresholds, padded with +Infinity (columnEdges). */
  padded: Float64Array;
  /** nBinsNonMissing per column. */
  nBins: Int32Array;
  /** The slot (slotEdges' layout: header, then GATHER columns of m values), or null when it cannot hold them. */
  slot(m: number): { header: Int32Array; columns: Float64Array[] } | null;
  /** Starts slotEdges of columns j0 … j0 + n − 1 on the helper; false when it cannot (the caller does them). */
  post(j0: number, n: number, m: number, maxBins: number): boolean;
  /** Finds the edges of the posted columns the helper has not claimed, then waits for the others. */
  wait(): void;
}

/** Columns gathered per pass over the matrix (one group), and the most a slot holds. */
export const GATHER = 4;
/** Thresholds per column in EdgeSharing.padded: the most of any max_bins, so a lookup takes 8 fixed steps. */
export const PADDED = 255;

/** Fits bin edges on (a subsample of) the rows, in a fixed order so reruns are bit-identical. */
export function fitBinMapper(X: Matrix, maxBins = 255, seed = 0, subsample = 200_000, share?: EdgeSharing): BinMapper {
  const { rows, cols, data } = X;
  if (maxBins < 2 || maxBins > 255) throw new RangeError('maxBins must be in [2, 255]');
  let sampleRows: Uint32Array | null = null;
  if (rows > subsample) {
    // sklearn draws a subsample without replacement; order does not matter for quantiles.
    const perm = new Rng(seed).permutation(rows);
    sampleRows = perm.slice(0, subsample).sort();
  }
  const m = sampleRows ? sampleRows.length : rows;
  // The columns of GATHER features are read in one pass over the rows: the row-major matrix is
  // read once per group of features, not once per feature (each pass touches every cache line).
  const cols4 = Array.from({ length: Math.min(GATHER, cols) }, () => new Float64Array(m));
  const counts = new Int32Array(GATHER);
  const scratch = new Float64Array(m);
  const padded = new Float64Array(cols * PADDED);
  const nBins = new Int32Array(cols);
  // With a helper: every other group goes to it through the slot, from the first (the caller
  // gathers them all, so it sorts fewer groups itself). The caller's loops touch only its own
  // arrays: typed arrays on the shared memory are another kind to the engine, and code that
  // sees both kinds runs slower on both (measured ~2×); the slot is filled by a copy.
  const slot = share && cols > GATHER ? share.slot(m) : null;
  const remote = new Uint8Array(cols);
  let posted = false;
  const hasMissing = new Uint8Array(cols);
  for (let j0 = 0; j0 < cols; j0 += GATHER) {
    const n = Math.min(GATHER, cols - j0);
    gatherColumns(data, cols, sampleRows, m, j0, n, cols4, counts);
    let here = true;
    if (slot !== null && (j0 / GATHER) % 2 === 0) {
      if (posted) share!.wait();
      slot.header.set(counts);
      slot.header[4] = 0;
      for (let q = 0; q < n; q++) slot.columns[q].set(cols4[q].subarray(0, counts[q]));
      posted = share!.post(j0, n, m, maxBins);
      here = !posted;
      if (posted) remote.fill(1, j0, j0 + n);
    }
    for (let q = 0; q < n; q++) {
      const j = j0 + q;
      // Missing values anywhere in the full column, not only the subsample.
      if (counts[q] < m) hasMissing[j] = 1;
      else if (sampleRows) {
        for (let i = 0; i < rows; i++) if (data[i * cols + j] !== data[i * cols + j]) { hasMissing[j] = 1; break; }
      }
      if (here) nBins[j] = columnEdges(cols4[q].subarray(0, counts[q]), scratch, maxBins, padded, j * PADDED, sortDoubles);
    }
  }
  if (posted) share!.wait();
  for (let j = 0; j < cols; j++) {
    if (remote[j] === 0) continue;
    nBins[j] = share!.nBins[j];
    padded.set(share!.padded.subarray(j * PADDED, (j + 1) * PADDED), j * PADDED);
  }
  const thresholds = Array.from({ length: cols }, (_, j) => padded.slice(j * PADDED, j * PADDED + nBins[j] - 1));
  return { thresholds, nBinsNonMissing: nBins, hasMissing };
}

/**
 * The bin edges of one column from its non-missing values `s` (sorted here, in place; `scratch`
 * holds as many): the thresholds into padded[at …], +Infinity after them up to at + 254; returns
 * the number of non-missing bins. Self-contained (no outer names; the sort is an argument): the
 * grower's helper thread runs this same function, its source text (hist-helper.ts).
 */
export function columnEdges(s: Float64Array, scratch: Float64Array, maxBins: number, padded: Float64Array, at: number, sort: (a: Float64Array, scratch: Float64Array, firstPass?: number) => void): number {
  const k = s.length;
  // First ordered by the values' high 32 bits only (half the radix passes). More distinct high
  // words than maxBins + 1 (−0 and +0 differ in them, the only equal values that do) means more
  // distinct values than bins: the thresholds are quantiles, and only the runs of equal high
  // words that hold a quantile's positions need their full order. Otherwise, the full sort.
  sort(s, scratch, 3);
  const hi = new Uint32Array(s.buffer, s.byteOffset, 2 * k);
  let words = 0;
  for (let i = 1; i < 2 * k && words <= maxBins + 1; i += 2) if (i === 1 || hi[i] !== hi[i - 2]) words++;
  const quantiles = words > maxBins + 1;
  if (!quantiles) sort(s, scratch);
  let nDistinct = maxBins + 1;
  if (!quantiles) {
    nDistinct = 0;
    for (let i = 0; i < k; i++) if (i === 0 || s[i] !== s[i - 1]) nDistinct++;
  }
  let n: number;
  if (nDistinct <= maxBins) {
    n = Math.max(0, nDistinct - 1);
    for (let i = 1, d = at; i < k; i++) if (s[i] !== s[i - 1]) padded[d++] = (s[i - 1] + s[i]) * 0.5;
  } else {
    // np.percentile(col, linspace(0,100,maxBins+1)[1:-1], method='midpoint') on the sorted column.
    // Duplicate quantiles make empty bins; harmless for splitting (they are never chosen).
    n = maxBins - 1;
    let sortedTo = 0;
    for (let b = 1; b < maxBins; b++) {
      const pos = ((b * 100) / maxBins / 100) * (k - 1);
      // The runs of equal high words holding positions floor(pos) and ceil(pos), sorted fully.
      for (let p = Math.floor(pos); p <= Math.ceil(pos); p++) {
        if (p < sortedTo) continue;
        let lo = p;
        while (lo > 0 && hi[2 * lo - 1] === hi[2 * p + 1]) lo--;
        let end = p + 1;
        while (end < k && hi[2 * end + 1] === hi[2 * p + 1]) end++;
        if (end - lo > 1) sort(s.subarray(lo, end), scratch);
        sortedTo = end;
      }
      padded[at + b - 1] = (s[Math.floor(pos)] + s[Math.ceil(pos)]) * 0.5;
    }
  }
  // Thresholds past 1e300 become 1e300 (sklearn's ALMOST_INF), so +Infinity falls in the last bin.
  for (let i = at; i < at + n; i++) if (padded[i] > 1e300) padded[i] = 1e300;
  padded.fill(Infinity, at + n, at + 255);
  return n + 1;
}

/** Bytes before a slot's columns: GATHER int32 counts, the next column to claim, padding. */
export const SLOT_HEADER = 32;

/**
 * columnEdges of the columns j0 … j0 + n − 1 gathered in a slot at byte `slotAt` of `buf`: int32
 * counts[q] and the next column to claim (header[4]), then from SLOT_HEADER GATHER columns of m
 * doubles (column q's first counts[q] values). Both threads may run it at once: each claims the
 * next column until none is left, so a thread never waits on the other for more than a column.
 * Writes padded (doubles at byte paddedAt, 255 per column) and nBins (int32 at byte nBinsAt).
 * Self-contained, like columnEdges: the helper thread runs its source text.
 */
export function slotEdges(
  buf: ArrayBufferLike,
  slotAt: number,
  m: number,
  j0: number,
  n: number,
  paddedAt: number,
  nBinsAt: number,
  maxBins: number,
  edges: typeof columnEdges,
  sort: (a: Float64Array, scratch: Float64Array, firstPass?: number) => void,
): void {
  const header = new Int32Array(buf, slotAt, 8);
  const nBins = new Int32Array(buf, nBinsAt, j0 + n);
  // Copies in and out: the edges run on this thread's own arrays, never on views of the shared
  // memory (another kind of typed array to the engine: the same code would run slower).
  let column: Float64Array | null = null;
  let scratch: Float64Array | null = null;
  const out = new Float64Array(255);
  for (let q = Atomics.add(header, 4, 1); q < n; q = Atomics.add(header, 4, 1)) {
    const k = header[q];
    column ??= new Float64Array(m);
    scratch ??= new Float64Array(m);
    column.set(new Float64Array(buf, slotAt + 32 + q * m * 8, k));
    nBins[j0 + q] = edges(column.subarray(0, k), scratch, maxBins, out, 0, sort);
    new Float64Array(buf, paddedAt + (j0 + q) * 255 * 8, 255).set(out);
  }
}

/**
 * The non-missing values of features j0 … j0 + n − 1 of the (sampled) rows, in row order, into
 * out[0 … n − 1]; how many each has into counts.
 */
function gatherColumns(data: Float64Array, cols: number, sampleRows: Uint32Array | null, m: number, j0: number, n: number, out: Float64Array[], counts: Int32Array): void {
  if (n === 4) {
    // Four counters in registers; each value is written, and its counter moves past it only when it is not NaN.
    const [c0, c1, c2, c3] = out;
    let k0 = 0;
    let k1 = 0;
    let k2 = 0;
    let k3 = 0;
    for (let i = 0; i < m; i++) {
      const base = (sampleRows ? sampleRows[i] : i) * cols + j0;
      const v0 = data[base];
      const v1 = data[base + 1];
      const v2 = data[base + 2];
      const v3 = data[base + 3];
      c0[k0] = v0;
      c1[k1] = v1;
      c2[k2] = v2;
      c3[k3] = v3;
      k0 += +(v0 === v0);
      k1 += +(v1 === v1);
      k2 += +(v2 === v2);
      k3 += +(v3 === v3);
    }
    counts.set([k0, k1, k2, k3]);
    return;
  }
  counts.fill(0);
  for (let i = 0; i < m; i++) {
    const base = (sampleRows ? sampleRows[i] : i) * cols + j0;
    for (let q = 0; q < n; q++) {
      const v = data[base + q];
      out[q][counts[q]] = v;
      counts[q] += +(v === v);
    }
  }
}

/**
 * Column-major uint8 bins (cols × rows): bins[j*rows + i]. Missing values get MISSING_BIN, or,
 * with `compactMissing`, the bin right after the feature's last real bin (nBinsNonMissing[j]),
 * which lets a histogram hold only nBinsNonMissing + 1 slots per feature.
 */
export function binMatrix(X: Matrix, mapper: BinMapper, compactMissing = false): Uint8Array {
  const { rows, cols, data } = X;
  const out = new Uint8Array(rows * cols);
  // Each feature's thresholds padded with +Infinity to 255 (no value is counted below those):
  // then every lookup is the same 8 branch-free steps, whatever the feature's number of bins.
  const padded = new Float64Array(cols * 255).fill(Infinity);
  for (let j = 0; j < cols; j++) padded.set(mapper.thresholds[j], j * 255);
  // A block of rows at a time, feature by feature: the block stays in cache while each feature's
  // thresholds are searched, and each feature's output is written in order.
  const BLOCK = 2048;
  for (let i0 = 0; i0 < rows; i0 += BLOCK) {
    const i1 = Math.min(rows, i0 + BLOCK);
    for (let j = 0; j < cols; j++) {
      const missing = compactMissing ? mapper.nBinsNonMissing[j] : MISSING_BIN;
      const t = j * 255;
      const o = j * rows;
      for (let i = i0; i < i1; i++) {
        const v = data[i * cols + j];
        // How many of the 255 thresholds are < v: binary search over 2^8 - 1 sorted values, each
        // step an addition of a comparison's 0 or 1 (a ternary compiles to a branch that
        // mispredicts every other value: measured 4× slower).
        let p = t;
        p += +(padded[p + 127] < v) << 7;
        p += +(padded[p + 63] < v) << 6;
        p += +(padded[p + 31] < v) << 5;
        p += +(padded[p + 15] < v) << 4;
        p += +(padded[p + 7] < v) << 3;
        p += +(padded[p + 3] < v) << 2;
        p += +(padded[p + 1] < v) << 1;
        p += +(padded[p] < v);
        out[o + i] = v !== v ? missing : p - t;
      }
    }
  }
  return out;
}
