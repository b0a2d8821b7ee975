/**
 * How an iterative solver ended. A learner with one (logistic regression's L-BFGS) keeps it in its
 * fitted state as `convergence`; Train reports a fit that did not converge as a warning on the
 * node (studio, `flowline run --json`) instead of passing off a half-fitted model as fitted.
 */
export interface Convergence {
  converged: boolean;
  iterations: number;
  maxIter: number;
  /** gtol: gradient small enough; ftol: loss stopped decreasing; max_iter; line_search: no step lowered the loss. */
  stop: 'gtol' | 'ftol' | 'max_iter' | 'line_search';
  /** Largest |gradient entry| where it stopped. */
  gradientMax: number;
  tol: number;
}

/** 9.6, 0.0042, 3.1e5, 1e-4: two significant digits, short. */
const sci = (v: number) => (v >= 1e-3 && v < 1e4 ? String(Number(v.toPrecision(2))) : v.toExponential(1).replace('e+', 'e').replace('.0e', 'e'));

/** The warning for a fit that did not converge, or null. */
export function convergenceWarning(title: string, state: unknown): string | null {
  const c = (state as { convergence?: Convergence } | null)?.convergence;
  if (!c || c.converged) return null;
  const why =
    c.stop === 'max_iter'
      ? `it reached max_iter = ${c.maxIter} iterations`
      : `after ${c.iterations} iteration${c.iterations === 1 ? '' : 's'} no step along its search direction lowered the loss`;
  return (
    `${title} did not converge: ${why} with the largest gradient entry at ${sci(c.gradientMax)} (tol ${sci(c.tol)}). ` +
    'Its coefficients may be far from the best fit: scale the features (Scale Features) or raise max_iter.'
  );
}
