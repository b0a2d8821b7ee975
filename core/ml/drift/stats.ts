/**
 * Two-sample statistics for drift, each written to give what scipy.stats 1.10 gives on the same
 * input (tests compare within 1e-9): ks_2samp's statistic (and the asymptotic two-sided p-value,
 * kstwobign), wasserstein_distance, chisquare, spatial.distance.jensenshannon — plus the
 * population stability index, which scipy has not.
 */

/** Ascending copy without NaN (missing values are counted apart, see drift.ts). */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out.push(values[i]);
  return Float64Array.from(out).sort();
}

/** How many of `sorted` are <= x (searchsorted side='right'). */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Kolmogorov–Smirnov two-sample statistic D = max |F_a − F_b| over both samples' values (both
 * sorted, no NaN), and the asymptotic two-sided p-value P(K > D·sqrt(en)), en = n·m/(n+m).
 * `n`/`m` override the sample sizes for the p-value when a sample is a sketch of a larger one.
 */
export function ks2samp(a: Float64Array, b: Float64Array, sizes?: { n: number; m: number }): { statistic: number; pValue: number } {
  if (!a.length || !b.length) return { statistic: Number.NaN, pValue: Number.NaN };
  let d = 0;
  for (const s of [a, b]) {
    for (let i = 0; i < s.length; i++) {
      const x = s[i];
      const diff = Math.abs(countAtMost(a, x) / a.length - countAtMost(b, x) / b.length);
      if (diff > d) d = diff;
    }
  }
  const n = sizes?.n ?? a.length;
  const m = sizes?.m ?? b.length;
  return { statistic: d, pValue: kolmogorovSf(d * Math.sqrt((n * m) / (n + m))) };
}

/** Survival function of the Kolmogorov distribution (scipy.stats.kstwobign.sf). */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    // Jacobi theta form: converges fast for small x.
    let s = 0;
    for (let k = 1; k <= 50; k++) {
      const t = Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * x * x));
      s += t;
      if (t < 1e-17 * s) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / x) * s;
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = Math.exp(-2 * k * k * x * x);
    s += (k % 2 ? 1 : -1) * t;
    if (t < 1e-17) break;
  }
  return Math.max(0, Math.min(1, 2 * s));
}

/** First Wasserstein distance between two samples (both sorted, no NaN): ∫ |F_a − F_b| dx. */
export function wasserstein(a: Float64Array, b: Float64Array): number {
  if (!a.length || !b.length) return Number.NaN;
  const all = Float64Array.from([...a, ...b]).sort();
  let sum = 0;
  for (let i = 0; i + 1 < all.length; i++) {
    const delta = all[i + 1] - all[i];
    if (delta === 0) continue;
    sum += Math.abs(countAtMost(a, all[i]) / a.length - countAtMost(b, all[i]) / b.length) * delta;
  }
  return sum;
}

/** Pearson's chi-square test of observed counts against expected counts (same total): scipy.stats.chisquare. */
export function chiSquare(observed: ArrayLike<number>, expected: ArrayLike<number>): { statistic: number; pValue: number; dof: number } {
  let stat = 0;
  for (let i = 0; i < observed.length; i++) stat += (observed[i] - expected[i]) ** 2 / expected[i];
  const dof = observed.length - 1;
  return { statistic: stat, pValue: dof > 0 ? gammaQ(dof / 2, stat / 2) : Number.NaN, dof };
}

/**
 * Jensen–Shannon distance (the square root of the divergence) between two distributions given as
 * weights (normalised here), in log base `base` (2: between 0 and 1): scipy.spatial.distance.jensenshannon.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  const sp = sum(p);
  const sq = sum(q);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const mi = (pi + qi) / 2;
    js += relEntr(pi, mi) + relEntr(qi, mi);
  }
  return Math.sqrt(Math.max(0, js / 2 / Math.log(base)));
}

function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  return x === 0 && y >= 0 ? 0 : Number.POSITIVE_INFINITY;
}

/** Proportions below this count as this much in PSI, so an empty bin does not make it infinite. */
export const PSI_FLOOR = 1e-4;

/**
 * Population stability index of `actual` against `expected` (both proportions over the same bins):
 * Σ (a − e)·ln(a / e), each proportion floored at PSI_FLOOR. Common reading: < 0.1 stable,
 * 0.1–0.2 a moderate shift, > 0.2 a significant one.
 */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], PSI_FLOOR);
    const a = Math.max(actual[i], PSI_FLOOR);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Counts of sorted values in bins (−∞, e0], (e0, e1], ..., (e_last, ∞) — right-closed as pandas.cut. */
export function binCounts(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts: number[] = [];
  let below = 0;
  for (const e of edges) {
    const upTo = countAtMost(sorted, e);
    counts.push(upTo - below);
    below = upTo;
  }
  counts.push(sorted.length - below);
  return counts;
}

function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

// ------------------------------------------------------- the chi-square tail (regularised gamma)

/** ln Γ(x), Lanczos (g = 7, n = 9): ~15 significant digits for x > 0. */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Upper regularised incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (series below a+1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let total = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      total += term;
      if (Math.abs(term) < Math.abs(total) * 1e-17) break;
    }
    return Math.max(0, 1 - total * Math.exp(lead));
  }
  // Lentz's continued fraction.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}
