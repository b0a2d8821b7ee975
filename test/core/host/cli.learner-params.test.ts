import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

const penguins = new URL('../../../templates/data/penguins.csv', import.meta.url).pathname;
const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out };
};
const file = (learnerParams: Record<string, unknown>) => {
  const path = join(mkdtempSync(join(tmpdir(), 'flowline-lp-')), 'p.flow.json');
  const nodes = [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: penguins } },
    { id: 'train', type: 'ml.train', version: 1, params: { target: 'species', learner: 'random_forest', learner_params: learnerParams, features: ['beak_length_mm'] } },
  ];
  writeFileSync(path, JSON.stringify({ format: 'flowline.pipeline', version: 1, name: 't', nodes, edges: [{ from: 'load.table', to: 'train.table' }] }));
  return path;
};

describe('flowline and learner settings', () => {
  it('validate exits 2 naming node and field for an unknown learner setting', async () => {
    const r = await cli('validate', file({ n_estimatorz: 3 }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('node "train"');
    expect(r.stderr).toContain('"learner_params.n_estimatorz"');
    expect(r.stderr).toContain('Did you mean "n_estimators"?');
    const json = JSON.parse((await cli('validate', file({ n_estimatorz: 3 }), '--json')).stdout);
    expect(json.valid).toBe(false);
    expect(json.diagnostics).toMatchObject([{ code: 'UNKNOWN_PARAM', nodeId: 'train', path: ['learner_params', 'n_estimatorz'] }]);
  });

  it('validate exits 2 naming node and field for an out-of-range learner setting', async () => {
    const r = await cli('validate', file({ n_estimators: 0 }), '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).diagnostics).toMatchObject([{ code: 'INVALID_PARAM', nodeId: 'train', path: ['learner_params', 'n_estimators'] }]);
  });

  it('run --set train.learner_params.n_estimatorz=3 is rejected with "did you mean n_estimators", nothing runs', async () => {
    const r = await cli('run', file({}), '--set', 'train.learner_params.n_estimatorz=3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"learner_params" has no "n_estimatorz"');
    expect(r.stderr).toContain('Did you mean "n_estimators"?');
    expect(r.stdout).toBe('');
  });

  it("nodes --json lists each learner's settings with type, default and description", async () => {
    const r = await cli('nodes', '--json');
    const train = JSON.parse(r.stdout).find((n: { type: string }) => n.type === 'ml.train');
    const schema = train.paramsSchema as { discriminator: unknown; oneOf: { title: string; properties: { learner: { const: string }; learner_params: { properties: Record<string, Record<string, unknown>> } } }[] };
    expect(schema.discriminator).toEqual({ propertyName: 'learner' });
    const byLearner = Object.fromEntries(schema.oneOf.map((o) => [o.properties.learner.const, o]));
    expect(Object.keys(byLearner)).toContain('knn');
    expect(byLearner.knn.title).toBe('k nearest neighbours');
    expect(byLearner.knn.properties.learner_params.properties.n_neighbors).toMatchObject({ type: 'integer', default: 5, description: 'Number of neighbours (k)' });
    expect(byLearner.random_forest.properties.learner_params.properties.n_estimators).toMatchObject({ type: 'integer', default: 100, description: 'Number of trees.' });
    for (const [kind, option] of Object.entries(byLearner)) {
      for (const [name, p] of Object.entries(option.properties.learner_params.properties)) {
        expect(typeof p.description, `${kind}.${name}`).toBe('string');
        expect('default' in p, `${kind}.${name}`).toBe(true);
      }
    }
  });
});
