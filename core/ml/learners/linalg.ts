/**
 * Small dense linear algebra on row-major Float64Array, enough for the linear learners.
 * Sizes here are features × features (tens to a few hundred), so plain loops are fine.
 */

/**
 * Least squares min |A x - b| by Householder QR with column pivoting (A is n × p, row-major, and
 * is overwritten). Columns whose remaining norm is below rcond · the largest get coefficient 0,
 * so a constant or duplicated feature gives a finite answer with the same fitted values.
 */
export function lstsqQR(A: Float64Array, n: number, p: number, b: Float64Array, rcond = 1e-12): { x: Float64Array; rank: number } {
  const bb = Float64Array.from(b);
  const perm = Int32Array.from({ length: p }, (_, j) => j);
  const colNorm = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[i * p + j] ** 2;
    colNorm[j] = s;
  }
  const steps = Math.min(n, p);
  let rank = 0;
  let firstNorm = 0;
  const v = new Float64Array(n);
  for (let k = 0; k < steps; k++) {
    // Pivot: the column (among k..p-1) with the largest remaining norm, recomputed exactly.
    let best = k;
    let bestNorm = -1;
    for (let j = k; j < p; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += A[i * p + j] ** 2;
      colNorm[j] = s;
      if (s > bestNorm) {
        bestNorm = s;
        best = j;
      }
    }
    const norm = Math.sqrt(bestNorm);
    if (k === 0) firstNorm = norm;
    if (norm <= rcond * firstNorm || norm === 0) break;
    if (best !== k) {
      for (let i = 0; i < n; i++) {
        const t = A[i * p + k];
        A[i * p + k] = A[i * p + best];
        A[i * p + best] = t;
      }
      const t = perm[k];
      perm[k] = perm[best];
      perm[best] = t;
    }
    // Householder vector for column k, rows k..n-1.
    const akk = A[k * p + k];
    const alpha = akk > 0 ? -norm : norm;
    for (let i = k; i < n; i++) v[i] = A[i * p + k];
    v[k] -= alpha;
    let vnorm2 = 0;
    for (let i = k; i < n; i++) vnorm2 += v[i] * v[i];
    if (vnorm2 === 0) {
      rank++;
      continue;
    }
    for (let j = k; j < p; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += v[i] * A[i * p + j];
      const f = (2 * s) / vnorm2;
      for (let i = k; i < n; i++) A[i * p + j] -= f * v[i];
    }
    let s = 0;
    for (let i = k; i < n; i++) s += v[i] * bb[i];
    const f = (2 * s) / vnorm2;
    for (let i = k; i < n; i++) bb[i] -= f * v[i];
    rank++;
  }
  // Back-substitute R[0:rank, 0:rank] z = Qᵀb.
  const z = new Float64Array(p);
  for (let k = rank - 1; k >= 0; k--) {
    let s = bb[k];
    for (let j = k + 1; j < rank; j++) s -= A[k * p + j] * z[j];
    z[k] = s / A[k * p + k];
  }
  const x = new Float64Array(p);
  for (let k = 0; k < p; k++) x[perm[k]] = z[k];
  return { x, rank };
}

/** Solve S x = b for symmetric positive definite S (p × p), by Cholesky. Returns null if not SPD. */
export function choleskySolve(S: Float64Array, p: number, b: Float64Array): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else L[i * p + j] = s / L[j * p + j];
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * y[k];
    y[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

/** Weighted column means (weights need not sum to 1). */
export function weightedMeans(X: Float64Array, n: number, p: number, w: Float64Array): Float64Array {
  const mean = new Float64Array(p);
  let sw = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i];
    const o = i * p;
    for (let j = 0; j < p; j++) mean[j] += w[i] * X[o + j];
  }
  for (let j = 0; j < p; j++) mean[j] /= sw;
  return mean;
}
