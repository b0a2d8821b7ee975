import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../core/host/cli.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { Rng } from '../../../core/spec/random.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out };
};

/** 300 rows: an id, two features, a yes/no label; Train fits logistic regression with `maxIter`. */
function pipelineFile(maxIter: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-converge-'));
  const rng = new Rng(5);
  const lines = ['id,a,b,label'];
  for (let i = 0; i < 300; i++) {
    const [a, b] = [rng.normal(), rng.normal()];
    lines.push(`${i * 600},${a.toFixed(4)},${b.toFixed(4)},${a - b + 0.5 * rng.normal() > 0 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(dir, 'rows.csv'), `${lines.join('\n')}\n`);
  const nodes = [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'rows.csv' } },
    { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'logistic_regression', learner_params: { max_iter: maxIter } } },
  ];
  const path = join(dir, 'p.flow.json');
  writeFileSync(path, JSON.stringify({ format: 'flowline.pipeline', version: 1, name: 't', nodes, edges: [{ from: 'load.table', to: 'train.table' }] }));
  return path;
}

describe('a fit that does not converge says so', () => {
  it('run --json: the Train node carries a warning naming max_iter and the gradient, again when cached', async () => {
    const file = pipelineFile(2);
    const first = await cli('run', file, '--json', '--cache', join(file, '..', 'cache'));
    expect(first.code).toBe(0);
    const train = JSON.parse(first.stdout).nodes.find((n: { id: string }) => n.id === 'train');
    expect(train.status).toBe('done');
    expect(train.warnings).toEqual([expect.stringMatching(/^Logistic regression did not converge: it reached max_iter = 2 iterations with the largest gradient entry at [\d.e-]+ \(tol 1e-4\)\. .*raise max_iter\.$/)]);

    const again = JSON.parse((await cli('run', file, '--json', '--cache', join(file, '..', 'cache'))).stdout).nodes.find((n: { id: string }) => n.id === 'train');
    expect(again.status).toBe('cached');
    expect(again.warnings).toEqual(train.warnings);
  });

  it('run (text): the warning is printed with the node id; a fit that converges prints none', async () => {
    const warned = await cli('run', pipelineFile(2), '--cache', join(tmpdir(), `flowline-converge-cache-${process.pid}`));
    expect(warned.stderr).toMatch(/warning \(train\): Logistic regression did not converge/);
    const converged = await cli('run', pipelineFile(100), '--json', '--cache', join(tmpdir(), `flowline-converge-cache-${process.pid}`));
    const train = JSON.parse(converged.stdout).nodes.find((n: { id: string }) => n.id === 'train');
    expect(train.status).toBe('done');
    expect(train.warnings).toBeUndefined();
  });
});
