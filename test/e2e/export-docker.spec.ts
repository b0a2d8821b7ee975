/**
 * The studio's Export dialog, Docker serving bundle: the options (challenger, routing, input
 * policy), each model's verification report and where the folder and .zip went. The screenshot
 * (test-results/screens/export-docker-dialog.png) is the report as a user sees it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen } from './support/studio.ts';

test.use({ viewport: { width: 1280, height: 1000 } });

test('export a Docker serving bundle with a challenger from the studio, and read where it went and how each model verified', async ({ page, workDir, pageErrors }) => {
  test.setTimeout(150_000);
  // unsaved work (an example) cannot be bundled yet: the dialog says to save first
  await page.getByTestId('template-penguins-species').click();
  await page.getByTestId('node-train').click();
  await page.getByTestId('btn-export').click();
  await page.getByTestId('export-format-docker').check();
  await expect(page.getByTestId('docker-unsaved')).toContainText('save the pipeline first');
  await expect(page.getByTestId('export-submit')).toBeDisabled();
  await page.getByTestId('export-close').click();

  const rows = Array.from({ length: 80 }, (_, i) => `${i % 7},${(i * 3) % 5},${(i % 7) + ((i * 3) % 5) > 5 ? 'big' : 'small'}`);
  writeFileSync(join(workDir, 'kinds.csv'), `a,b,kind\n${rows.join('\n')}\n`);
  const file = join(workDir, 'kinds.flow.json');
  writeFileSync(
    file,
    JSON.stringify(
      pipelineFile(
        'kinds',
        [
          { id: 'load', type: 'data.load_csv', params: { path: 'kinds.csv' } },
          { id: 'split', type: 'data.split', params: { test_fraction: 0.25 } },
          { id: 'train', type: 'ml.train', params: { target: 'kind', learner: 'gaussian_nb' } },
          { id: 'train_v2', type: 'ml.train', params: { target: 'kind', learner: 'logistic_regression' } },
          { id: 'evaluate', type: 'ml.evaluate' },
          { id: 'evaluate_v2', type: 'ml.evaluate' },
        ],
        ['load.table -> split.table', 'split.train -> train.table', 'split.train -> train_v2.table', 'train.model -> evaluate.model', 'split.test -> evaluate.table', 'train_v2.model -> evaluate_v2.model', 'split.test -> evaluate_v2.table'],
      ),
    ),
  );
  await openFile(page, file);
  const discard = page.getByTestId('unsaved-discard');
  if (await discard.isVisible().catch(() => false)) await discard.click();
  await expect(page.getByTestId('node-train_v2')).toBeVisible();

  await page.getByTestId('node-train').click();
  await page.getByTestId('inspector-export').click();
  await page.getByTestId('export-format-docker').check();
  await expect(page.getByTestId('docker-unsaved')).toHaveCount(0);
  await page.getByTestId('docker-challenger').selectOption('train_v2');
  await page.getByTestId('docker-routing-input').selectOption('canary');
  await page.getByTestId('docker-percent').fill('20');
  await page.getByTestId('docker-unknown-category').selectOption('reject');
  await screen(page, 'export-docker-options');
  await page.getByTestId('export-submit').click();
  await expect(page.getByTestId('export-status')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('export-status')).toContainText('Serving bundle written');

  // where the files went
  const dir = join(workDir, 'train-bundle');
  await expect(page.getByTestId('docker-dir')).toHaveText(dir);
  await expect(page.getByTestId('docker-zip')).toHaveText(`${dir}.zip`);
  expect(existsSync(join(dir, 'server.js')) && existsSync(join(dir, 'Dockerfile')) && existsSync(`${dir}.zip`)).toBe(true);
  // the options reached the bundle
  const manifest = JSON.parse(readFileSync(join(dir, 'flowline-model.json'), 'utf8'));
  expect(manifest.models.map((m: { role: string; learner: string }) => [m.role, m.learner])).toEqual([['champion', 'gaussian_nb'], ['challenger', 'logistic_regression']]);
  expect(manifest.routing).toMatchObject({ mode: 'canary', challengerPercent: 20 });
  expect(manifest.validation).toMatchObject({ unknownCategory: 'reject' });
  await expect(page.getByTestId('docker-routing')).toHaveText('canary');
  // each model's verification: labels agree on every row compared, held-out rows of its own Evaluate node
  for (const [role, scorer] of [['champion', 'evaluate'], ['challenger', 'evaluate_v2']]) {
    const labels = await page.getByTestId(`docker-report-${role}-labels`).innerText();
    const [agree, of] = labels.match(/\d+/g)!.map(Number);
    expect(agree).toBe(of);
    expect(of).toBeGreaterThanOrEqual(20);
    await expect(page.getByTestId(`docker-report-${role}`)).toContainText(`held-out rows scored by '${scorer}'`);
  }
  await expect(page.getByTestId('docker-commands')).toContainText(`cd ${dir}`);
  await screen(page, 'export-docker-dialog');
  expect(pageErrors).toEqual([]);
});
