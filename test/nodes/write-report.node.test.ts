import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Chart } from '../../charts/Chart.tsx';
import { sideEffects } from '../../core/host/side-effects.ts';
import { CURRENT_VERSION, Pipeline } from '../../core/schema/index.ts';
import type { ArtifactValue, MetricsValue } from '../../core/spec/values.ts';
import { NODES } from '../../nodes/index.ts';
import { writeReportNode } from '../../nodes/write-report.node.ts';
import { fakeContext } from '../support/fake-context.ts';
import { runPipeline } from '../support/run-pipeline.ts';

function data(dir: string): void {
  const lines = ['size,colour,price'];
  for (let i = 0; i < 120; i++) {
    const size = (i * 31) % 50;
    const colour = ['red', 'green', 'blue'][i % 3];
    lines.push(`${i % 11 === 0 ? '' : size},${colour},${2 * size + (colour === 'red' ? 5 : 0) + (i % 7)}`);
  }
  writeFileSync(join(dir, 'd.csv'), `${lines.join('\n')}\n`);
}

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, version: 1, params });
const MODEL = [
  n('load', 'data.load_csv', { path: 'd.csv' }),
  n('split', 'data.split', { test_fraction: 0.3 }),
  { ...n('train', 'ml.train', { target: 'price', learner: 'linear_regression' }), version: 3 },
  n('evaluate', 'ml.evaluate'),
];
const MODEL_EDGES = [
  { from: 'load.table', to: 'split.table' },
  { from: 'split.train', to: 'train.table' },
  { from: 'train.model', to: 'evaluate.model' },
  { from: 'split.test', to: 'evaluate.table' },
];

describe('Report node', () => {
  it('writes one HTML file of what is wired in: a profile per table, metrics with their charts, an export and its verification', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-report-node-'));
    data(dir);
    const run = await runPipeline(
      {
        nodes: [...MODEL, n('export', 'export.onnx', { path: 'model.onnx' }), n('report', 'export.report', { path: 'out/report.html', title: 'Price model' })],
        edges: [
          ...MODEL_EDGES,
          { from: 'train.model', to: 'export.model' },
          { from: 'split.test', to: 'export.table' },
          { from: 'load.table', to: 'report.tables' },
          { from: 'evaluate.metrics', to: 'report.metrics' },
          { from: 'export.file', to: 'report.files' },
        ],
      },
      { dir },
    );
    expect(run.nodes.filter((x) => x.error).map((x) => `${x.id}: ${x.error!.message}`)).toEqual([]);
    const file = run.output<ArtifactValue>('report', 'file');
    expect(file).toMatchObject({ kind: 'artifact', path: join(dir, 'out', 'report.html'), format: 'html' });
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.html']);
    const html = readFileSync(file.path, 'utf8');
    expect(html).toContain('<h1>Price model</h1>');
    // The source table's profile, named by the node it comes from.
    expect(html).toMatch(/<section id="data"[\s\S]*<h3>load[\s\S]*Column profile/);
    // Evaluate's figures and the studio's own charts of them.
    const metrics = run.output<MetricsValue>('evaluate', 'metrics');
    expect(html).toContain(`<div class="figure__name">rmse</div><div class="figure__value">${Number(metrics.values.rmse.toPrecision(4))}`);
    for (const spec of metrics.charts) expect(html).toContain(renderToStaticMarkup(createElement(Chart, { spec })));
    // The exported file and its check against the app's predictions.
    expect(html).toContain(join(dir, 'model.onnx'));
    expect(html).toMatch(/<dt>result<\/dt><dd><span class="pass">passed<\/span>/);
    const logs = run.events.filter((e) => e.type === 'node:log' && e.nodeId === 'report').map((e) => (e as { message: string }).message);
    expect(logs.join('\n')).toContain('1 table profile, 1 set of metrics, 1 exported file');
  }, 120_000);

  it("draws its charts on the worker pool, not on the process that answers the studio's window, and cites its run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-report-node-'));
    const tasks: string[] = [];
    const run = { id: 'run-1', pipelineHash: 'feedc0de', data: [{ path: 'd.csv', hash: 'beefcafe', size: 10, nodes: ['load'] }] };
    const base = fakeContext({ pipelineDir: dir, nodeId: 'report' });
    const ctx = { ...base, run, runInWorker: ((task, payload) => (tasks.push(task.name), base.runInWorker(task, payload))) as typeof base.runInWorker };
    const metrics: MetricsValue = { kind: 'metrics', scope: 'test', values: { rmse: 1.5 }, charts: [{ kind: 'histogram', id: 'h', title: 'Residuals', bins: [{ x0: 0, x1: 1, count: 4 }] }], tables: [] };
    await writeReportNode.run({ inputs: { tables: [], metrics: [metrics], explanations: [], files: [] }, params: { path: 'r.html', title: 'R' }, ctx });
    expect(tasks).toEqual(['report.render']);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('data-testid="chart-h"');
    // The run that wrote it: its pipeline hash and the data files' fingerprints.
    expect(html).toContain('<dt>pipeline hash</dt><dd><code>feedc0de</code></dd>');
    expect(html).toMatch(/<section id="fingerprints"[\s\S]*<td>d.csv<\/td><td>beefcafe<\/td>/);
  });

  it('with nothing wired in it fails, naming the node, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-report-node-'));
    const run = await runPipeline({ nodes: [n('report', 'export.report', { path: 'report.html' })], edges: [] }, { dir });
    expect(run.node('report').error).toMatchObject({ code: 'MISSING_INPUT', nodeId: 'report' });
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('a path that cannot be written fails with the path named and leaves no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-report-node-'));
    data(dir);
    writeFileSync(join(dir, 'blocked'), 'not a folder');
    const run = await runPipeline(
      { nodes: [MODEL[0], n('report', 'export.report', { path: 'blocked/report.html' })], edges: [{ from: 'load.table', to: 'report.tables' }] },
      { dir },
    );
    expect(run.node('report').error).toMatchObject({ code: 'BAD_DATA', nodeId: 'report', message: expect.stringContaining('Could not write the report') });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it("writing outside the pipeline's folder is a side effect a foreign pipeline needs trust for", () => {
    const pipeline = Pipeline.parse({
      format: 'flowline.pipeline',
      version: CURRENT_VERSION,
      nodes: [MODEL[0], n('report', 'export.report', { path: '../elsewhere/report.html' }), n('inside', 'export.report', { path: 'reports/r.html' })],
      edges: [
        { from: 'load.table', to: 'report.tables' },
        { from: 'load.table', to: 'inside.tables' },
      ],
    });
    const effects = sideEffects(pipeline, NODES, { pipelineDir: '/tmp/project' });
    expect(effects.map((e) => [e.nodeId, e.kind])).toEqual([['report', 'write']]);
    expect(effects[0].what).toContain('/tmp/elsewhere/report.html');
  });
});
