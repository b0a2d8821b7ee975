/**
 * Run tracking (docs/lifecycle.md): every run, from the CLI or the studio's host, is recorded in
 * `.flowline/runs/` beside the pipeline; a run killed mid-way is listed as failed afterwards and
 * earlier runs are intact; `flowline runs compare` says what changed and how the metrics moved.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../../core/host/cli.ts';
import { createService } from '../../../../core/host/service.ts';
import { WORKER_TASKS } from '../../../../core/host/worker-tasks.ts';
import type { RunRecord } from '../../../../core/host/runs/run-record.ts';
import type { RunComparison } from '../../../../core/host/runs/run-compare.ts';
import { NODES } from '../../../../nodes/index.ts';
import { captureIo } from '../../../support/capture-io.ts';
import { datasetPath } from '../../../support/datasets.ts';
import { waitForRunEnd } from '../host-fixtures.ts';

const work = mkdtempSync(join(tmpdir(), 'flowline-runs-'));
const stateDir = join(work, 'state');
process.env.FLOWLINE_STATE_DIR = stateDir;

const cli = async (...argv: string[]) => {
  const { io, out } = captureIo();
  const code = await main(argv, { nodes: NODES, tasks: WORKER_TASKS }, io);
  return { code, ...out, json: () => JSON.parse(out.stdout) };
};

/** load train/test → decision tree → evaluate, in a folder of its own. */
function project(name: string): { dir: string; file: string } {
  const dir = join(work, name);
  const file = join(dir, 'cancer.flow.json');
  cpData(dir);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'flowline.pipeline',
      version: 2,
      name: 'cancer',
      seed: 7,
      nodes: [
        { id: 'load_train', type: 'data.load_csv', version: 1, params: { path: 'train.csv' } },
        { id: 'load_test', type: 'data.load_csv', version: 1, params: { path: 'test.csv' } },
        { id: 'train', type: 'ml.train', version: 2, params: { target: 'target', learner: 'decision_tree', learner_params: { max_depth: 2 } } },
        { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
      ],
      edges: [
        { from: 'load_train.table', to: 'train.table' },
        { from: 'train.model', to: 'evaluate.model' },
        { from: 'load_test.table', to: 'evaluate.table' },
      ],
    }),
  );
  return { dir, file };
}

function cpData(dir: string) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(datasetPath('breast_cancer', 'train'), join(dir, 'train.csv'));
  copyFileSync(datasetPath('breast_cancer', 'test'), join(dir, 'test.csv'));
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('run tracking', () => {
  const service = createService({ nodes: NODES, tasks: WORKER_TASKS, stateDir, templatesDir: join(work, 'none'), host: 'web', cwd: work });
  afterAll(() => service.dispose());

  it('records runs of the CLI and of the studio host beside the pipeline, with params, data fingerprints, node statuses and metrics', async () => {
    const { dir, file } = project('both-hosts');
    const ran = await cli('run', file, '--json');
    expect(ran.code, ran.stderr).toBe(0);

    const opened = await service.openPipeline(file);
    const started: { runId?: string } = {};
    const ended = waitForRunEnd((l) => service.onEvent(l), () => started.runId, 120_000);
    started.runId = (await service.run({ pipeline: opened.pipeline, path: file })).runId;
    await ended;

    const listed = await cli('runs', '--in', file, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const runs = listed.json() as { id: string; host: string; status: string }[];
    expect(runs.map((r) => `${r.host}:${r.status}`)).toEqual(['cli:done', 'studio:done']);
    expect(runs[1].id).toBe(started.runId);
    expect(readdirSync(join(dir, '.flowline', 'runs')).sort()).toEqual(runs.map((r) => r.id).sort());

    const shown = await cli('runs', 'show', runs[0].id, '--in', dir, '--json');
    const record = shown.json() as RunRecord;
    expect(record.seed).toBe(7);
    expect(record.appVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(record.nodes.map((n) => `${n.id}:${n.type}@${n.version}:${n.status}`)).toEqual([
      'load_train:data.load_csv@1:done',
      'load_test:data.load_csv@1:done',
      `train:ml.train@${NODES.find((n) => n.type === 'ml.train')!.version}:done`,
      'evaluate:ml.evaluate@1:done',
    ]);
    expect(record.nodes.find((n) => n.id === 'train')!.params).toMatchObject({ learner: 'decision_tree', learner_params: { max_depth: 2 } });
    expect(record.data.map((d) => [d.path, d.hash, d.nodes])).toEqual([
      ['train.csv', sha(join(dir, 'train.csv')), ['load_train']],
      ['test.csv', sha(join(dir, 'test.csv')), ['load_test']],
    ]);
    expect(record.metrics.evaluate.accuracy).toBeGreaterThan(0.8);
    expect(JSON.parse(readFileSync(record.pipeline.copy, 'utf8')).nodes).toEqual(JSON.parse(readFileSync(file, 'utf8')).nodes);
    // The studio ran the same pipeline: same hash, every node from the cache.
    const studio = (await cli('runs', 'show', 'latest', '--in', dir, '--json')).json() as RunRecord;
    expect(studio.pipeline.hash).toBe(record.pipeline.hash);
    expect(studio.nodes.map((n) => n.status)).toEqual(['cached', 'cached', 'cached', 'cached']);
  }, 180_000);

  it('runs compare reports a changed param, a changed data file and the metric deltas', async () => {
    const { dir, file } = project('compare');
    expect((await cli('run', file)).code).toBe(0);
    // Half the training rows, and a deeper tree.
    const rows = readFileSync(join(dir, 'train.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'train.csv'), `${rows.slice(0, 200).join('\n')}\n`);
    expect((await cli('run', file, '--set', 'train.learner_params.max_depth=4')).code).toBe(0);

    const compared = await cli('runs', 'compare', 'latest~1', 'latest', '--in', file, '--json');
    expect(compared.code, compared.stderr).toBe(0);
    const c = compared.json() as RunComparison;
    expect(c.params).toEqual([{ nodeId: 'train', param: 'learner_params.max_depth', before: 2, after: 4 }]);
    expect(c.data.map((d) => `${d.path}:${d.change}`)).toEqual(['train.csv:changed']);
    expect(c.data[0].after).toBe(sha(join(dir, 'train.csv')));
    const runs = (await cli('runs', '--in', file, '--json')).json() as { metrics: Record<string, Record<string, number>> }[];
    const accuracy = c.metrics.find((m) => m.nodeId === 'evaluate' && m.metric === 'accuracy')!;
    expect(accuracy.before).toBe(runs[0].metrics.evaluate.accuracy);
    expect(accuracy.after).toBe(runs[1].metrics.evaluate.accuracy);
    expect(accuracy.delta).toBeCloseTo(accuracy.after! - accuracy.before!, 12);

    const text = await cli('runs', 'compare', 'latest~1', 'latest', '--in', file);
    expect(text.stdout).toContain('train.learner_params.max_depth: 2 → 4');
    expect(text.stdout).toContain('train.csv: changed');
    expect(text.stdout).toMatch(/evaluate\.accuracy: [\d.]+ → [\d.]+ \([+-]/);
  }, 180_000);

  it('lists a run killed with SIGKILL mid-way as failed, and keeps the earlier runs intact', async () => {
    const { dir, file } = project('killed');
    expect((await cli('run', file)).code).toBe(0);
    const before = readdirSync(join(dir, '.flowline', 'runs'));
    const earlier = readFileSync(join(dir, '.flowline', 'runs', before[0], 'run.json'), 'utf8');

    // The same pipeline plus a node that never ends, run by a separate CLI process.
    const pipeline = JSON.parse(readFileSync(file, 'utf8'));
    pipeline.nodes.push({ id: 'stuck', type: 'test.never_ends', version: 1, params: {} });
    pipeline.edges.push({ from: 'load_train.table', to: 'stuck.table' });
    const stuckFile = join(dir, 'cancer.flow.json');
    writeFileSync(stuckFile, JSON.stringify(pipeline));
    const script = new URL('../../../support/never-ending-cli-run.ts', import.meta.url).pathname;
    const repo = new URL('../../../../', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', script, stuckFile], { cwd: repo, env: { ...process.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));

    // Wait until its record says the stuck node is running and the rest came from the cache (events on disk, not a delay).
    const runsDir = join(dir, '.flowline', 'runs');
    let record: RunRecord | undefined;
    for (;;) {
      const fresh = readdirSync(runsDir).filter((id) => !before.includes(id));
      if (fresh.length) {
        try {
          record = JSON.parse(readFileSync(join(runsDir, fresh[0], 'run.json'), 'utf8')) as RunRecord;
        } catch {
          record = undefined;
        }
        const status = (id: string) => record?.nodes.find((n) => n.id === id)?.status;
        if (status('stuck') === 'running' && status('evaluate') === 'cached') break;
      }
      if (child.exitCode !== null) throw new Error(`the run ended by itself: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(record!.status).toBe('running');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const listed = (await cli('runs', '--in', dir, '--json')).json() as { id: string; status: string; failure?: string }[];
    expect(listed.map((r) => r.status)).toEqual(['done', 'failed']);
    expect(listed[1].id).toBe(record!.id);
    expect(listed[1].failure).toMatch(/killed or crashed/);
    expect(readFileSync(join(runsDir, before[0], 'run.json'), 'utf8')).toBe(earlier);
    const failed = (await cli('runs', 'show', record!.id, '--in', dir, '--json')).json() as RunRecord;
    expect(failed.nodes.find((n) => n.id === 'train')!.status).toBe('cached');
    expect(failed.nodes.find((n) => n.id === 'stuck')!.status).toBe('cancelled');
  }, 180_000);
});
