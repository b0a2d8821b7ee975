/**
 * Limited-memory BFGS for smooth unconstrained problems (logistic regression, linear SVM's
 * squared hinge, the MLP's full-batch option). Stopping rules follow scipy's L-BFGS-B as
 * scikit-learn calls it: max |gradient| <= gtol, or a relative decrease in f below ftol
 * (sklearn passes ftol = 64 * eps). Line search: strong Wolfe conditions (c1 = 1e-3, c2 = 0.9,
 * the values of L-BFGS-B's dcsrch), bracketing then zoom with safeguarded cubic interpolation.
 */
export interface LbfgsOptions {
  maxIter?: number;
  gtol?: number;
  ftol?: number;
  /** Number of correction pairs kept. */
  m?: number;
  /** Max function evaluations per line search. */
  maxLs?: number;
  /** Called once per iteration; throw to stop. */
  onIter?: (iter: number, f: number) => void;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped: |gradient| <= gtol, f stopped decreasing, max_iter reached, or no step along the search direction lowered f. */
  stop: 'gtol' | 'ftol' | 'max_iter' | 'line_search';
  /** Largest |gradient entry| where it stopped (what gtol is compared with). */
  gradientMax: number;
}

/** f(x), writing the gradient into g. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

const C1 = 1e-3;
const C2 = 0.9;

export function lbfgs(fg: Objective, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const maxIter = opts.maxIter ?? 100;
  const gtol = opts.gtol ?? 1e-5;
  const ftol = opts.ftol ?? 64 * Number.EPSILON;
  const m = opts.m ?? 10;
  const maxLs = opts.maxLs ?? 50;
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  let iter = 0;
  let stop: LbfgsResult['stop'] | null = maxAbs(g) <= gtol ? 'gtol' : null;

  while (stop === null && iter < maxIter) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], d);
      axpy(-alpha[j], Y[j], d);
    }
    if (k > 0) {
      const gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let j = 0; j < k; j++) {
      const beta = rho[j] * dot(Y[j], d);
      axpy(alpha[j] - beta, S[j], d);
    }
    let dg = dot(d, g);
    if (!(dg < 0)) {
      // Not a descent direction (curvature pairs went stale): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      dg = dot(d, g);
    }
    const step0 = S.length === 0 ? Math.min(1 / Math.sqrt(dot(d, d)), 1) : 1;
    const ls = lineSearch(fg, x, f, g, d, dg, step0, maxLs, xNew, gNew);
    evaluations += ls.evaluations;
    if (!ls.ok) {
      stop = 'line_search';
      break;
    }
    iter++;
    const fOld = f;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    x.set(xNew);
    g.set(gNew);
    f = ls.f;
    opts.onIter?.(iter, f);
    const sy = dot(s, y);
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    if (maxAbs(g) <= gtol) stop = 'gtol';
    else if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) stop = 'ftol';
  }
  stop ??= 'max_iter';
  return { x, f, iterations: iter, evaluations, converged: stop === 'gtol' || stop === 'ftol', stop, gradientMax: maxAbs(g) };
}

interface LsResult {
  ok: boolean;
  f: number;
  evaluations: number;
}

/** Strong-Wolfe line search along d from x (Nocedal & Wright, Algorithms 3.5 and 3.6). */
function lineSearch(
  fg: Objective,
  x: Float64Array,
  f0: number,
  g0: Float64Array,
  d: Float64Array,
  dg0: number,
  step0: number,
  maxLs: number,
  xOut: Float64Array,
  gOut: Float64Array,
): LsResult {
  const n = x.length;
  let evaluations = 0;
  const evalAt = (t: number): { f: number; dg: number } => {
    for (let i = 0; i < n; i++) xOut[i] = x[i] + t * d[i];
    const f = fg(xOut, gOut);
    evaluations++;
    return { f, dg: dot(gOut, d) };
  };
  let tPrev = 0;
  let fPrev = f0;
  let dgPrev = dg0;
  let t = step0;
  let lo = 0;
  let hi = 0;
  let fLo = 0;
  let dgLo = 0;
  let fHi = 0;
  let dgHi = 0;
  let bracketed = false;
  for (let i = 0; i < maxLs; i++) {
    const { f, dg } = evalAt(t);
    if (!Number.isFinite(f) || f > f0 + C1 * t * dg0 || (i > 0 && f >= fPrev)) {
      lo = tPrev; fLo = fPrev; dgLo = dgPrev;
      hi = t; fHi = f; dgHi = dg;
      bracketed = true;
      break;
    }
    if (Math.abs(dg) <= -C2 * dg0) return { ok: true, f, evaluations };
    if (dg >= 0) {
      lo = t; fLo = f; dgLo = dg;
      hi = tPrev; fHi = fPrev; dgHi = dgPrev;
      bracketed = true;
      break;
    }
    tPrev = t;
    fPrev = f;
    dgPrev = dg;
    t *= 2.5;
  }
  if (!bracketed) return { ok: false, f: f0, evaluations };
  // Zoom: lo always satisfies sufficient decrease and has the lowest f seen in the bracket.
  for (let i = evaluations; i < maxLs; i++) {
    let tc = cubicMin(lo, fLo, dgLo, hi, fHi, dgHi);
    const a = Math.min(lo, hi);
    const b = Math.max(lo, hi);
    const margin = 0.1 * (b - a);
    if (!Number.isFinite(tc) || tc < a + margin || tc > b - margin) tc = (lo + hi) / 2;
    const { f, dg } = evalAt(tc);
    if (!Number.isFinite(f) || f > f0 + C1 * tc * dg0 || f >= fLo) {
      hi = tc; fHi = f; dgHi = dg;
    } else {
      if (Math.abs(dg) <= -C2 * dg0) return { ok: true, f, evaluations };
      if (dg * (hi - lo) >= 0) {
        hi = lo; fHi = fLo; dgHi = dgLo;
      }
      lo = tc; fLo = f; dgLo = dg;
    }
    if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
  }
  // Out of evaluations: accept lo if it decreased f at all (scipy's dcsrch does likewise).
  if (lo > 0 && fLo < f0) {
    const r = evalAt(lo);
    return { ok: true, f: r.f, evaluations };
  }
  return { ok: false, f: f0, evaluations };
}

/** Minimiser of the cubic through (a, fa, da) and (b, fb, db). */
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0)) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > m) m = v;
  }
  return m;
}
