import { describe, expect, it } from 'vitest';
import { compile } from '../../core/compile/index.ts';
import { Pipeline } from '../../core/schema/index.ts';
import { parseParams } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';

/** Each learner's own schema is part of the node's params: compile (and so `validate`) checks it. */
const parsed = (type: string, params: Record<string, unknown>) => {
  const r = parseParams(NODES.find((n) => n.type === type)!.params, params);
  if (!r.success) throw r.error;
  return r.data;
};
const one = (type: string, params: Record<string, unknown>) =>
  compile(Pipeline.parse({ format: 'flowline.pipeline', version: 1, nodes: [{ id: 'n', type, version: 1, params }] }), NODES).diagnostics.filter((d) => d.code !== 'MISSING_INPUT');

describe('learner settings are checked when the pipeline is validated, before anything runs', () => {
  it('Train: an unknown learner setting names node and path, with "did you mean"', () => {
    const [d, ...rest] = one('ml.train', { target: 'y', learner: 'random_forest', learner_params: { n_estimatorz: 3 } });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'UNKNOWN_PARAM', nodeId: 'n', path: ['learner_params', 'n_estimatorz'] });
    expect(d.hint).toContain('Did you mean "n_estimators"?');
  });

  it('Train: an out-of-range learner setting names node and path', () => {
    const [d] = one('ml.train', { target: 'y', learner: 'knn', learner_params: { n_neighbors: 0 } });
    expect(d).toMatchObject({ code: 'INVALID_PARAM', nodeId: 'n', path: ['learner_params', 'n_neighbors'] });
  });

  it("Train: settings of another learner do not carry over (max_iter is not a random forest's)", () => {
    const [d] = one('ml.train', { target: 'y', learner: 'random_forest', learner_params: { max_iter: 100 } });
    expect(d).toMatchObject({ code: 'UNKNOWN_PARAM', path: ['learner_params', 'max_iter'] });
  });

  it('Train: leaving learner_params out fills in every default of the learner', () => {
    expect(parsed('ml.train', { target: 'y', learner: 'knn' }).learner_params).toEqual({ n_neighbors: 5, weights: 'uniform' });
  });

  it('Cross-validate offers only learners that predict a target', () => {
    const [d] = one('ml.cross_validate', { target: 'y', learner: 'kmeans' });
    expect(d).toMatchObject({ code: 'INVALID_PARAM', path: ['learner'] });
  });

  it("Tune: a search space naming a setting the learner lacks, or a range outside the setting's own, is an error", () => {
    const [unknown] = one('ml.tune', { target: 'y', learner: 'decision_tree', space: { depth: { int: [1, 6] } } });
    expect(unknown).toMatchObject({ code: 'UNKNOWN_PARAM', path: ['space', 'depth'] });
    expect(unknown.hint).toContain('Did you mean "max_depth"?');
    const [range] = one('ml.tune', { target: 'y', learner: 'decision_tree', space: { max_depth: { int: [0, 6] } } });
    expect(range).toMatchObject({ code: 'INVALID_PARAM', path: ['space', 'max_depth'] });
    expect(range.message).toContain('0 is not a valid value');
    const [float] = one('ml.tune', { target: 'y', learner: 'decision_tree', space: { max_depth: { float: [1, 6] } } });
    expect(float).toMatchObject({ code: 'INVALID_PARAM', path: ['space', 'max_depth'] });
  });

  it("Tune: an absent space is the learner's default space", () => {
    expect(parsed('ml.tune', { target: 'y', learner: 'knn' }).space).toEqual({ n_neighbors: { int: [1, 50] }, weights: { choice: ['uniform', 'distance'] } });
  });

  it("Compare: each learner's settings are checked against that learner", () => {
    const [d] = one('ml.compare', { target: 'y', learners: ['knn'], learner_params: { knn: { k: 3 } } });
    expect(d).toMatchObject({ code: 'UNKNOWN_PARAM', path: ['learner_params', 'knn', 'k'] });
  });
});
