/**
 * Fairness in the studio (docs/lifecycle.md): a feature that looks like a protected attribute is a
 * warning in the inspector of the node that fits on it, before anything runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { openFile, screen, writePipeline } from './support/studio.ts';

test('the inspector warns when a protected-looking column (gender, age) is a feature of Train', async ({ page, workDir }) => {
  writeFileSync(join(workDir, 'loans.csv'), 'income,gender,age,page_views,approved\n30,f,41,3,yes\n50,m,35,9,no\n42,f,29,4,yes\n');
  const file = writePipeline(workDir, 'loans.flow.json', {
    format: 'flowline.pipeline',
    version: 1,
    name: 'Loans',
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'loans.csv' } },
      { id: 'train', type: 'ml.train', version: 1, params: { target: 'approved', learner: 'logistic_regression' } },
    ],
    edges: [{ from: 'load.table', to: 'train.table' }],
  });
  await openFile(page, file);
  await expect(page.getByTestId('node-train')).toBeVisible();
  await page.getByTestId('node-train').click();
  const warnings = page.locator('.field__warning', { hasText: 'protected attribute' });
  await expect(warnings).toHaveCount(2, { timeout: 30_000 });
  await expect(warnings.first()).toContainText('Feature "gender" looks like a protected attribute (sex)');
  await expect(warnings.nth(1)).toContainText('Feature "age"');
  await screen(page, 'fairness-protected-attribute-warning');
});

test('the Runs tab lists runs across sessions (a CLI run too), charts a metric over them, compares two side by side and opens a run\'s pipeline', async ({ page, workDir }) => {
  test.setTimeout(180_000);
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 120; i++) {
    const x1 = ((i * 37) % 101) / 10;
    const x2 = ((i * 53) % 97) / 10;
    rows.push(`${x1},${x2},${x1 * x1 - 3 * x2 + ((i * 7) % 11) > 10 ? 'yes' : 'no'}`);
  }
  writeFileSync(join(workDir, 'points.csv'), `${rows.join('\n')}\n`);
  writeFileSync(join(workDir, 'points-test.csv'), `${[rows[0], ...rows.slice(1).filter((_, i) => i % 3 === 0)].join('\n')}\n`);
  const pipeline = (depth: number) => ({
    format: 'flowline.pipeline',
    version: 1,
    name: 'Points',
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'points.csv' } },
      { id: 'load_test', type: 'data.load_csv', version: 1, params: { path: 'points-test.csv' } },
      { id: 'train', type: 'ml.train', version: 1, params: { target: 'label', learner: 'decision_tree', learner_params: { max_depth: depth } } },
      { id: 'evaluate', type: 'ml.evaluate', version: 1, params: {} },
    ],
    edges: [
      { from: 'load.table', to: 'train.table' },
      { from: 'train.model', to: 'evaluate.model' },
      { from: 'load_test.table', to: 'evaluate.table' },
    ],
  });
  // An earlier session: a run from the command line.
  const file = writePipeline(workDir, 'points.flow.json', pipeline(1));
  const { main } = await import('../../core/host/cli.ts');
  const { NODES } = await import('../../nodes/index.ts');
  const { WORKER_TASKS } = await import('../../core/host/worker-tasks.ts');
  const { captureIo } = await import('../support/capture-io.ts');
  expect(await main(['run', file], { nodes: NODES, tasks: WORKER_TASKS }, captureIo().io)).toBe(0);

  // Now the studio, with a deeper tree.
  writePipeline(workDir, 'points.flow.json', pipeline(4));
  await openFile(page, file);
  await expect(page.getByTestId('node-evaluate')).toBeVisible();
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('node-status-evaluate')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  await page.getByTestId('tab-runs').click();
  const table = page.getByTestId('runs');
  await expect(table.locator('tbody tr')).toHaveCount(2, { timeout: 30_000 });
  await expect(table.locator('tbody tr').nth(0)).toContainText('studio');
  await expect(table.locator('tbody tr').nth(1)).toContainText('cli');
  await expect(table.locator('thead')).toContainText('evaluate.accuracy');
  await expect(page.getByTestId('runs-chart').locator('svg')).toBeVisible();
  await table.locator('tbody tr input[type=checkbox]').nth(1).check();
  await table.locator('tbody tr input[type=checkbox]').nth(0).check();
  const compare = page.getByTestId('runs-compare');
  await expect(compare).toContainText('#1 → #2');
  await expect(compare).toContainText('train.learner_params.max_depth');
  await expect(compare.locator('tr', { hasText: 'max_depth' })).toContainText('1');
  await expect(compare.locator('tr', { hasText: 'max_depth' })).toContainText('4');
  await expect(compare).toContainText('evaluate.accuracy');
  await screen(page, 'runs-view-compare');

  // The first run's pipeline, as unsaved work beside the original.
  await table.locator('tbody tr').nth(1).getByRole('button', { name: 'Open pipeline' }).click();
  const dialog = page.getByRole('button', { name: /don.t save|discard/i });
  if (await dialog.isVisible().catch(() => false)) await dialog.click();
  await expect(page.getByText('unsaved', { exact: false }).first()).toBeVisible();
  await page.locator('.react-flow__controls-fitview').click();
  await expect(page.getByTestId('node-train')).toBeVisible();
  await screen(page, 'runs-view-opened-run-pipeline');
});
