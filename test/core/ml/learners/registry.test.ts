import { describe, expect, it } from 'vitest';
import { LEARNERS, learnerByKind } from '../../../../core/ml/learners/index.ts';
import { learnerSpaceSchema, SUPERVISED_LEARNERS } from '../../../../core/ml/learners/choice.ts';
import { DEFAULT_SPACES } from '../../../../core/ml/tune/spaces.ts';
import { isFlowlineError } from '../../../../core/spec/errors.ts';

describe('learner registry', () => {
  it('lists every linear and other learner once, by a stable kind', () => {
    const kinds = LEARNERS.map((l) => l.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const k of ['linear_regression', 'ridge', 'lasso', 'logistic_regression', 'linear_svm', 'knn', 'gaussian_nb', 'mlp', 'kmeans']) {
      expect(learnerByKind(k).kind).toBe(k);
    }
  });
  it('every learner has defaults for all its params and at least one task', () => {
    for (const l of LEARNERS) {
      expect(() => l.params.parse({}), l.kind).not.toThrow();
      expect(l.tasks.length, l.kind).toBeGreaterThan(0);
    }
  });
  it("every learner that predicts a target has a default search space that its own space schema accepts", () => {
    for (const l of SUPERVISED_LEARNERS) {
      expect(DEFAULT_SPACES[l.kind], l.kind).toBeDefined();
      const r = learnerSpaceSchema(l).safeParse(DEFAULT_SPACES[l.kind]);
      expect(r.success ? 'ok' : r.error.issues, l.kind).toBe('ok');
    }
  });
  it('an unknown kind is a clear error listing the known ones', () => {
    let caught: unknown;
    try {
      learnerByKind('xgboost');
    } catch (e) {
      caught = e;
    }
    expect(isFlowlineError(caught)).toBe(true);
    expect((caught as Error).message).toBe('Unknown learner "xgboost".');
    expect((caught as { hint: string }).hint).toContain('logistic_regression');
  });
});
