/**
 * Upper bounds on the learner params that set how much work or memory a fit takes. Past them a fit
 * would run for days or exhaust memory long before it ended (`n_estimators: 1e9` was accepted), so
 * the schema refuses them at validation, by name, before anything runs. Each is far above what
 * scikit-learn users set in practice.
 */
export const LIMITS = {
  /** Trees in a forest or boosting iterations. */
  trees: 100_000,
  /** Solver iterations or epochs. */
  iterations: 100_000,
  /** Depth of one tree. */
  depth: 1_000,
  /** Leaves of one tree. */
  leaves: 100_000,
  /** Restarts of a randomised solver (k-means n_init). */
  restarts: 1_000,
  /** Clusters, neighbours, units of a hidden layer. */
  width: 10_000,
} as const;
