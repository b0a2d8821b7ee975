/**
 * The learner registry: every estimator a Train node can fit, looked up by its stable `kind`
 * (stored inside saved models, so a kind is never renamed). Keep one import per line, in the
 * section of whoever owns the learner.
 */
import { FlowlineError } from '../../spec/errors.ts';
import type { Learner } from './types.ts';

// -- trees --
import { decisionTree } from './tree/decision-tree.ts';
import { randomForest } from './tree/random-forest.ts';
import { histGradientBoosting } from './tree/hist-gradient-boosting.ts';
import { isolationForest } from './tree/isolation-forest.ts';

// -- linear and other --
import { linearRegression, ridge, lasso } from './linear.ts';
import { logisticRegression } from './logistic.ts';
import { linearSvm } from './svm.ts';
import { knn } from './knn.ts';
import { gaussianNb } from './naive-bayes.ts';
import { mlp } from './mlp.ts';
import { kmeans } from './kmeans.ts';

export const LEARNERS: Learner[] = [
  // -- trees --
  decisionTree,
  randomForest,
  histGradientBoosting,
  isolationForest,
  // -- linear and other --
  linearRegression,
  ridge,
  lasso,
  logisticRegression,
  linearSvm,
  knn,
  gaussianNb,
  mlp,
  kmeans,
];

/** The learner with this kind; a clear error (listing the known kinds) for an unknown one. */
export function learnerByKind(kind: string): Learner {
  const found = LEARNERS.find((l) => l.kind === kind);
  if (found) return found;
  throw new FlowlineError({
    code: 'INVALID_PARAM',
    message: `Unknown learner "${kind}".`,
    hint: `Pick one of: ${LEARNERS.map((l) => l.kind).join(', ') || '(none registered)'}.`,
  });
}
