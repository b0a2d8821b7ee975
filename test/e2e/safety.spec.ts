/**
 * Safe to open a pipeline someone sent you: the studio asks before anything with a side effect
 * runs, and the host survives what the studio (or anyone holding the token) sends it.
 * Each test leaves a screenshot in test-results/screens.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';

test.use({ viewport: { width: 1280, height: 800 } });
// Each test opens a pipeline and runs it in a fresh host: allow for a loaded machine.
test.describe.configure({ timeout: 60_000 });

const SCREENS = join(process.cwd(), 'test-results', 'screens');
async function screen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`) });
}

function writePipeline(file: string, nodes: unknown[], edges: unknown[] = []): void {
  const positions = Object.fromEntries(nodes.map((n, i) => [(n as { id: string }).id, { x: i * 300, y: 0 }]));
  writeFileSync(file, JSON.stringify({ format: 'flowline.pipeline', version: 1, name: 'Sent to you', seed: 42, nodes, edges, layout: { positions, notes: [], groups: [] } }, null, 2));
}

async function openFile(page: Page, file: string): Promise<void> {
  await page.getByTestId('start-open').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
}

test.describe('a message over the host limit', () => {
  test.use({ maxMessageBytes: 32 * 1024 });

  test('a pipeline too large to send closes only its connection; the studio says so and keeps working', async ({ page, workDir }) => {
    const file = join(workDir, 'huge.flow.json');
    const expression = Array.from({ length: 8000 }, () => 'age').join(' + ');
    writePipeline(file, [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data/people.csv' } },
      { id: 'sum', type: 'prep.formula', version: 1, params: { output: 'total', expression } },
    ], [{ from: 'load.table', to: 'sum.table' }]);
    await openFile(page, file);
    await expect(page.getByTestId('node-sum')).toBeVisible();
    // Checking the opened pipeline sends all of it to the host, which refuses it (1009).
    const toast = page.getByTestId('toast').filter({ hasText: 'Pipeline too large to send' });
    await expect(toast).toBeVisible();
    await screen(page, 'pipeline-too-large');

    // The studio is still connected: delete the huge node, and the host checks the rest again.
    await page.getByTestId('node-sum').click();
    await page.keyboard.press('Delete');
    await expect(page.getByTestId('node-sum')).toHaveCount(0);
    await page.getByTestId('btn-run').click();
    await expect(page.getByTestId('node-status-load')).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  });
});

test('a pipeline with no code that would overwrite a file outside its folder asks first, naming the file', async ({ page, workDir }) => {
  const home = mkdtempSync(join(tmpdir(), 'flowline-e2e-victim-'));
  const victim = join(home, '.bashrc');
  writeFileSync(victim, 'export PATH=$PATH\n');
  const file = join(workDir, 'sent.flow.json');
  writePipeline(file, [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'data/people.csv' } },
    { id: 'save', type: 'data.write_csv', version: 1, params: { path: victim } },
  ], [{ from: 'load.table', to: 'save.table' }]);
  await openFile(page, file);
  await expect(page.getByTestId('node-save')).toBeVisible();

  await page.getByTestId('btn-run').click();
  const dialog = page.getByTestId('trust-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('trust-effects')).toContainText(`node "save" (Write CSV) writes ${victim}, outside the pipeline's folder`);
  await expect(page.getByTestId('node-status-load')).toHaveAttribute('data-status', 'idle');
  await screen(page, 'trust-dialog-outside-write');
  await dialog.getByRole('button', { name: 'Don’t run' }).click();
  await expect(dialog).toHaveCount(0);
  expect(readFileSync(victim, 'utf8')).toBe('export PATH=$PATH\n');

  // Asked again on the next run; trusted, it runs.
  await page.getByTestId('btn-run').click();
  await page.getByTestId('trust-confirm').click();
  await expect(page.getByTestId('node-status-save')).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  expect(readFileSync(victim, 'utf8')).toMatch(/^id,name,age/);
});

test('a fit that does not converge shows a warning on its node and in the inspector', async ({ page, workDir }) => {
  const lines = ['id,a,b,label'];
  for (let i = 0; i < 200; i++) {
    const a = Math.sin(i * 1.3);
    const b = Math.cos(i * 0.7);
    lines.push(`${i * 900},${a.toFixed(4)},${b.toFixed(4)},${a - b > 0 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(workDir, 'ids.csv'), `${lines.join('\n')}\n`);
  const file = join(workDir, 'converge.flow.json');
  writePipeline(file, [
    { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'ids.csv' } },
    { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'logistic_regression', learner_params: { max_iter: 2 } } },
  ], [{ from: 'load.table', to: 'train.table' }]);
  await openFile(page, file);
  await expect(page.getByTestId('node-train')).toBeVisible();
  await page.getByTestId('btn-run').click();
  const status = page.getByTestId('node-status-train');
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(status).toContainText('⚠ 1 warning');
  await expect(status).toHaveAttribute('title', /Logistic regression did not converge: it reached max_iter = 2 iterations/);
  await page.getByTestId('node-train').click();
  await expect(page.getByTestId('node-warnings')).toContainText('did not converge');
  await expect(page.getByTestId('node-warnings')).toContainText('raise max_iter');
  await screen(page, 'fit-did-not-converge');
});
