/**
 * `flowline run FILE --report report.html` on the penguins template (a copy): one HTML file under
 * 2 MB holding the pipeline diagram, the data profile, Evaluate's figures and charts drawn by the
 * studio's own chart components, the explanation, params, data fingerprints, the pipeline hash of
 * the run log's record, the Flowline version and the duration — and nothing it would fetch.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chart } from '../../../charts/Chart.tsx';
import { main } from '../../../core/host/cli.ts';
import { RunStore } from '../../../core/host/runs/run-store.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { FLOWLINE_VERSION } from '../../../core/export/version.ts';
import type { MetricsValue } from '../../../core/spec/values.ts';
import { NODES } from '../../../nodes/index.ts';
import { captureIo } from '../../support/capture-io.ts';

const REPO = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'flowline-report-'));
const file = join(dir, 'penguins-species.flow.json');
const report = join(dir, 'out', 'report.html');
let html = '';
let stdout = '';
const previousState = process.env.FLOWLINE_STATE_DIR;

beforeAll(async () => {
  process.env.FLOWLINE_STATE_DIR = join(dir, 'state');
  mkdirSync(join(dir, 'data'));
  cpSync(join(REPO, 'templates/penguins-species.flow.json'), file);
  cpSync(join(REPO, 'templates/data/penguins.csv'), join(dir, 'data/penguins.csv'));
  const { io, out } = captureIo();
  expect(await main(['run', file, '--report', report, '--out', join(dir, 'outdir')], { nodes: NODES, tasks: WORKER_TASKS }, io), out.stderr).toBe(0);
  stdout = out.stdout;
  html = readFileSync(report, 'utf8');
}, 180_000);
afterAll(() => {
  if (previousState === undefined) delete process.env.FLOWLINE_STATE_DIR;
  else process.env.FLOWLINE_STATE_DIR = previousState;
});

const sectionOf = (id: string) => html.match(new RegExp(`<section id="${id}"[^>]*>([\\s\\S]*?)</section>`))?.[1] ?? '';

describe('flowline run --report', () => {
  it('writes one HTML file under 2 MB and says where', () => {
    expect(stdout).toContain(`report ${report}`);
    expect(statSync(report).size).toBeLessThan(2 * 1024 * 1024);
    // Written atomically: no temporary file left beside it.
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.html']);
  });

  it('fetches nothing: no script, no external URL, inline CSS with a print stylesheet', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#|data:)/);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('@media print');
    expect(html).toContain("default-src 'none'");
  });

  it('draws the pipeline from the file: a box per node at its saved position, an edge per edge', () => {
    const pipeline = JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string }[]; edges: unknown[]; layout: { positions: Record<string, { x: number; y: number }> } };
    const diagram = sectionOf('pipeline');
    for (const n of pipeline.nodes) {
      const p = pipeline.layout.positions[n.id];
      expect(diagram).toContain(`data-node="${n.id}"><rect x="${p.x}" y="${p.y}"`);
    }
    expect(diagram.match(/class="diagram__edge"/g)).toHaveLength(pipeline.edges.length);
    expect(diagram).toContain('Every feature step is re-fitted'); // the sticky note
  });

  it("shows Evaluate's figures and the very charts the studio draws from the same specs", () => {
    const metrics = JSON.parse(readFileSync(join(dir, 'outdir', 'evaluate.metrics.json'), 'utf8')) as MetricsValue;
    const evaluation = sectionOf('evaluation');
    expect(metrics.charts.length).toBeGreaterThan(0);
    for (const spec of metrics.charts) expect(evaluation).toContain(renderToStaticMarkup(createElement(Chart, { spec })));
    expect(evaluation).toContain('evaluate (Evaluate Model)');
    expect(evaluation).toMatch(/accuracy<\/div><div class="figure__value">1</);
    // Its tables too (per-class scores, worst rows), each under its title.
    for (const t of metrics.tables) expect(evaluation).toContain(`<caption>${t.title}`);
  });

  it('has the data profile, the explanation, params, fingerprints, pipeline hash, version and duration', async () => {
    const record = (await new RunStore(join(dir, '.flowline', 'runs')).list())[0];
    expect(sectionOf('data')).toContain('Column profile');
    expect(sectionOf('data')).toMatch(/beak_length_mm/);
    expect(sectionOf('explanations')).toContain('TreeSHAP');
    expect(sectionOf('explanations').match(/<svg/g)!.length).toBeGreaterThanOrEqual(3);
    expect(sectionOf('params')).toContain('random_forest');
    const penguins = record.data.find((d) => d.path === 'data/penguins.csv')!;
    expect(sectionOf('fingerprints')).toContain(penguins.hash);
    expect(sectionOf('summary')).toContain(record.pipeline.hash);
    expect(sectionOf('summary')).toContain(`<dt>Flowline</dt><dd>${FLOWLINE_VERSION}</dd>`);
    expect(sectionOf('summary')).toMatch(/<dt>duration<\/dt><dd>[\d.]+ (ms|s)<\/dd>/);
    // No cross-validation, tuning or export in this pipeline: those sections are left out.
    expect(html).not.toContain('id="validation"');
    expect(html).not.toContain('id="export"');
  });

  it('a report path that cannot be written fails clearly and keeps the run\'s results', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where a folder should be');
    const { io, out } = captureIo();
    const code = await main(['run', file, '--report', join(blocked, 'report.html')], { nodes: NODES, tasks: WORKER_TASKS }, io);
    expect(code).toBe(2);
    expect(out.stderr).toContain(`Could not write the report "${join(blocked, 'report.html')}"`);
    expect(readFileSync(blocked, 'utf8')).toBe('a file where a folder should be');
  }, 120_000);
});
