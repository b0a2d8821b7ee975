/**
 * Results say where they are from: a result that no longer matches its node's params, or that an
 * unfinished latest run left in place, is marked with its run's time and the reason.
 */
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen, statusOf, writePipeline } from './support/studio.ts';

test('results that no longer match the params, or predate a failed run, are marked with their run time and why', async ({ page, workDir }) => {
  test.setTimeout(120_000);
  const file = writePipeline(
    workDir,
    'stale.flow.json',
    pipelineFile('Stale results', [
      { id: 'load', type: 'data.load_csv', params: { path: 'datasets/penguins_sex.train.csv' } },
      { id: 'train', type: 'ml.train', params: { target: 'target', learner: 'decision_tree' } },
    ], ['load.table -> train.table']),
  );
  await openFile(page, file);
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'train')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.getByTestId('node-train').click();
  await page.getByTestId('tab-results').click();
  const results = page.getByTestId('results-train');
  await expect(results.getByTestId('metric-value-accuracy')).toBeVisible();
  const stale = page.getByTestId('results').getByTestId('stale-train');
  await expect(stale).toHaveCount(0);

  // A param changes: the metrics stay, marked as from the earlier run.
  await page.getByTestId('param-class_weight').locator('select').selectOption('balanced');
  await expect(stale).toContainText(/From the run at \d\d:\d\d — params changed since/);
  // Put back, they match again.
  await page.getByTestId('btn-undo').click();
  await expect(stale).toHaveCount(0);

  // Something upstream changes: marked too.
  await page.getByTestId('node-load').click();
  await page.getByTestId('param-header').locator('select').selectOption('yes');
  await page.getByTestId('node-train').click();
  await expect(stale).toContainText('a step upstream changed since');
  await page.getByTestId('btn-undo').click();
  await expect(stale).toHaveCount(0);

  // A run that fails: the earlier metrics stay on screen, marked as from before it.
  await page.getByTestId('node-load').click();
  const path = page.getByTestId('inspector').locator('[data-testid^="param-"]').filter({ has: page.getByRole('button', { name: 'Browse…' }) }).locator('input').first();
  await path.fill('datasets/missing.csv');
  await path.press('Enter');
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'load')).toHaveAttribute('data-status', 'error', { timeout: 60_000 });
  await page.getByTestId('node-train').click();
  await expect(results.getByTestId('metric-value-accuracy')).toBeVisible();
  await expect(stale).toContainText(/From the run at \d\d:\d\d — the latest run stopped before this node/);
  await expect(page.getByTestId('inspector').getByTestId('stale-train')).toBeVisible();
  await screen(page, 'stale-results');
  // The failed node's own preview is marked the same way.
  await page.getByTestId('node-load').click();
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('preview').getByTestId('stale-load')).toContainText('this node failed in the latest run');
});
