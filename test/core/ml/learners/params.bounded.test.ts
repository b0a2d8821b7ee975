import { describe, expect, it } from 'vitest';
import { compile } from '../../../../core/compile/index.ts';
import { LEARNERS } from '../../../../core/ml/learners/index.ts';
import { LIMITS } from '../../../../core/ml/learners/limits.ts';
import { Pipeline } from '../../../../core/schema/index.ts';
import { NODES } from '../../../../nodes/index.ts';

/** Params that set how long a fit runs or how much memory it takes, by name. */
const WORK_PARAMS = ['n_estimators', 'max_iter', 'n_init', 'n_clusters', 'n_neighbors', 'max_depth', 'max_leaf_nodes', 'n_iter_no_change', 'hidden_layer_sizes'];

describe('learner params that set the work of a fit are bounded', () => {
  it('every learner refuses a huge value for each of them, and accepts its default and the limit', () => {
    let checked = 0;
    for (const learner of LEARNERS) {
      const shape = learner.params.shape as Record<string, unknown>;
      for (const name of WORK_PARAMS.filter((n) => n in shape)) {
        const huge = name === 'hidden_layer_sizes' ? [1e9] : 1e9;
        const r = learner.params.safeParse({ [name]: huge });
        expect(r.success, `${learner.kind}.${name} = ${JSON.stringify(huge)}`).toBe(false);
        checked++;
      }
      expect(() => learner.params.parse({}), learner.kind).not.toThrow();
    }
    // Every learner with such a param was looked at (a renamed param would silently drop out).
    expect(checked).toBeGreaterThanOrEqual(17);
    expect(LEARNERS.find((l) => l.kind === 'random_forest')!.params.safeParse({ n_estimators: LIMITS.trees }).success).toBe(true);
  });

  it('n_estimators past 100,000 is refused when the pipeline is validated, naming the node and the param', () => {
    const doc = Pipeline.parse({
      format: 'flowline.pipeline',
      version: 1,
      nodes: [
        { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'x.csv' } },
        { id: 'train', type: 'ml.train', version: 1, params: { target: 'y', learner: 'random_forest', learner_params: { n_estimators: 100_001 } } },
      ],
      edges: [{ from: 'load.table', to: 'train.table' }],
    });
    const { plan, diagnostics } = compile(doc, NODES);
    expect(plan).toBeNull();
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'INVALID_PARAM', nodeId: 'train', path: ['learner_params', 'n_estimators'], message: expect.stringContaining('100000') }));
  });
});
