/**
 * Silhouette score of a clustering, as scikit-learn 1.2's silhouette_score (Euclidean): for each
 * row, a = mean distance to the other rows of its cluster, b = the smallest mean distance to the
 * rows of another cluster, s = (b − a) / max(a, b), and 0 for a row alone in its cluster; the
 * score is the mean of s. 1 = tight, well-separated clusters; near 0 = overlapping ones.
 *
 * Exact over all rows up to SILHOUETTE_MAX_ROWS (it is O(n²)); above, over a seeded sample of that
 * many rows, as silhouette_score's sample_size does, and the caller says so.
 */
import { Rng } from '../spec/random.ts';
import type { Matrix } from './learners/types.ts';

export const SILHOUETTE_MAX_ROWS = 4000;

/** null when it is undefined: fewer than 2 clusters, or every row its own cluster. */
export function silhouetteScore(X: Matrix, labels: ArrayLike<number>, seed = 0): { value: number | null; rows: number } {
  return silhouetteOfRows(X, labels, silhouetteRows(X.rows, seed));
}

/** The rows the score is computed on, ascending: all of them, or the seeded sample (a streamed Evaluate keeps only these). */
export function silhouetteRows(total: number, seed = 0): number[] {
  let rows = Array.from({ length: total }, (_, i) => i);
  if (rows.length > SILHOUETTE_MAX_ROWS) {
    const rng = new Rng(seed);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows = rows.slice(0, SILHOUETTE_MAX_ROWS).sort((a, b) => a - b);
  }
  return rows;
}

/** The score over `rows` of X (ascending row numbers). */
export function silhouetteOfRows(X: Matrix, labels: ArrayLike<number>, rows: number[]): { value: number | null; rows: number } {
  const n = rows.length, p = X.cols, d = X.data;
  const ids = [...new Set(rows.map((i) => labels[i]))].sort((a, b) => a - b);
  if (ids.length < 2 || ids.length >= n) return { value: null, rows: n };
  const index = new Map(ids.map((c, k) => [c, k]));
  const cluster = Int32Array.from(rows, (i) => index.get(labels[i])!);
  const size = new Float64Array(ids.length);
  for (const c of cluster) size[c]++;
  const sums = new Float64Array(ids.length);
  let total = 0;
  for (let a = 0; a < n; a++) {
    sums.fill(0);
    const ra = rows[a] * p;
    for (let b = 0; b < n; b++) {
      if (a === b) continue;
      const rb = rows[b] * p;
      let s = 0;
      for (let j = 0; j < p; j++) {
        const diff = d[ra + j] - d[rb + j];
        s += diff * diff;
      }
      sums[cluster[b]] += Math.sqrt(s);
    }
    const own = cluster[a];
    if (size[own] <= 1) continue; // s = 0
    const inner = sums[own] / (size[own] - 1);
    let outer = Infinity;
    for (let c = 0; c < ids.length; c++) if (c !== own) outer = Math.min(outer, sums[c] / size[c]);
    const m = Math.max(inner, outer);
    total += m > 0 ? (outer - inner) / m : 0;
  }
  return { value: total / n, rows: n };
}
