/** A sensible search space per learner, used when the Tune node's space is left empty. */
import type { SearchSpace } from './space.ts';

export const DEFAULT_SPACES: Record<string, SearchSpace> = {
  decision_tree: { max_depth: { int: [2, 12] }, min_samples_leaf: { int: [1, 20] } },
  random_forest: { n_estimators: { int: [50, 300] }, max_depth: { int: [3, 16] }, min_samples_leaf: { int: [1, 10] } },
  hist_gradient_boosting: {
    learning_rate: { float: [0.01, 0.3], log: true },
    max_leaf_nodes: { int: [8, 64], log: true },
    min_samples_leaf: { int: [5, 50] },
    l2_regularization: { float: [0, 1] },
  },
  logistic_regression: { C: { float: [0.001, 100], log: true } },
  linear_svm: { C: { float: [0.001, 100], log: true } },
  ridge: { alpha: { float: [0.001, 100], log: true } },
  lasso: { alpha: { float: [0.0001, 10], log: true } },
  knn: { n_neighbors: { int: [1, 50] }, weights: { choice: ['uniform', 'distance'] } },
  mlp: { alpha: { float: [1e-5, 0.1], log: true }, learning_rate_init: { float: [1e-4, 0.1], log: true } },
  gaussian_nb: { var_smoothing: { float: [1e-12, 1e-6], log: true } },
  linear_regression: { fit_intercept: { choice: [true, false] } },
};
