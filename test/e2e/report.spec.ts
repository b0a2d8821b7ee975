/**
 * The run report (flowline run --report) opened in Chromium from its file: nothing is fetched, no
 * console error, the studio's charts are there as SVG with data, it prints to PDF, and it is under
 * 2 MB for the penguins template.
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hasChromium, NO_CHROMIUM } from './support/chromium.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let dir = '';
let report = '';

test.describe('run report', () => {
  test.skip(!hasChromium, NO_CHROMIUM);
  // One penguins run (a dozen seconds on a busy machine) feeds the test.
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowline-report-e2e-'));
    mkdirSync(join(dir, 'data'));
    cpSync(join(ROOT, 'templates/penguins-species.flow.json'), join(dir, 'penguins-species.flow.json'));
    cpSync(join(ROOT, 'templates/data/penguins.csv'), join(dir, 'data/penguins.csv'));
    report = join(dir, 'report.html');
    execFileSync(process.execPath, [join(ROOT, 'bin/flowline.js'), 'run', join(dir, 'penguins-species.flow.json'), '--report', report], { cwd: dir, stdio: 'pipe', env: { ...process.env, FLOWLINE_STATE_DIR: join(dir, 'state') } });
  });
  test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the penguins report opens offline with its charts and prints to PDF', async ({ page }, info) => {
    const url = pathToFileURL(report).href;
    const requests: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Penguin species');

    // The sections the penguins run has data for.
    for (const id of ['summary', 'pipeline', 'data', 'evaluation', 'explanations', 'params', 'fingerprints']) await expect(page.locator(`section#${id}`)).toBeVisible();
    // The diagram: one box per node, laid out from the file's positions, and its edges.
    await expect(page.locator('svg.diagram [data-node]')).toHaveCount(18);
    expect(await page.locator('svg.diagram path.diagram__edge').count()).toBe(19);
    // Evaluate's charts (the studio's components): SVGs with marks in them.
    const evaluation = page.locator('section#evaluation svg.chart');
    expect(await evaluation.count()).toBeGreaterThan(0);
    const marks = await evaluation.evaluateAll((svgs) => svgs.map((s) => s.querySelectorAll('rect, path, circle, polyline, line').length));
    expect(Math.min(...marks)).toBeGreaterThan(0);
    expect(await page.locator('section#explanations svg.chart circle, section#explanations svg.chart rect').count()).toBeGreaterThan(10);

    await page.screenshot({ path: info.outputPath('report.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);

    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(statSync(report).size).toBeLessThan(2 * 1024 * 1024);
  });
});
