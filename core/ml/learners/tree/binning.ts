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

const ALMOST_INF = 1e300;

/** Fits bin edges on (a subsample of) the rows, in a fixed order so reruns are bit-identical. */
export function fitBinMapper(X: Matrix, maxBins = 255, seed = 0, subsample = 200_000): BinMapper {
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
  const GATHER = 4;
  const cols4 = Array.from({ length: Math.min(GATHER, cols) }, () => new Float64Array(m));
  const counts = new Int32Array(GATHER);
  const scratch = new Float64Array(m);
  const thresholds: Float64Array[] = [];
  const nBinsNonMissing = new Int32Array(cols);
  const hasMissing = new Uint8Array(cols);
  for (let j = 0; j < cols; j++) {
    const q = j % GATHER;
    if (q === 0) gatherColumns(data, cols, sampleRows, m, j, Math.min(GATHER, cols - j), cols4, counts);
    const col = cols4[q];
    const k = counts[q];
    // Missing values anywhere in the full column, not only the subsample.
    if (k < m) hasMissing[j] = 1;
    else if (sampleRows) {
      for (let i = 0; i < rows; i++) if (data[i * cols + j] !== data[i * cols + j]) { hasMissing[j] = 1; break; }
    }
    const s = col.subarray(0, k);
    sortDoubles(s, scratch);
    let nDistinct = 0;
    for (let i = 0; i < k; i++) if (i === 0 || s[i] !== s[i - 1]) nDistinct++;
    let t: Float64Array;
    if (nDistinct <= maxBins) {
      t = new Float64Array(Math.max(0, nDistinct - 1));
      for (let i = 1, d = 0; i < k; i++) if (s[i] !== s[i - 1]) t[d++] = (s[i - 1] + s[i]) * 0.5;
    } else {
      // np.percentile(col, linspace(0,100,maxBins+1)[1:-1], method='midpoint') on the sorted column.
      t = new Float64Array(maxBins - 1);
      for (let b = 1; b < maxBins; b++) {
        const pos = ((b * 100) / maxBins / 100) * (k - 1);
        t[b - 1] = (s[Math.floor(pos)] + s[Math.ceil(pos)]) * 0.5;
      }
      // Duplicate quantiles make empty bins; harmless for splitting (they are never chosen).
    }
    for (let i = 0; i < t.length; i++) if (t[i] > ALMOST_INF) t[i] = ALMOST_INF;
    thresholds.push(t);
    nBinsNonMissing[j] = t.length + 1;
  }
  return { thresholds, nBinsNonMissing, hasMissing };
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
