/**
 * The Detect Drift node in the studio (docs/lifecycle.md, "The Detect Drift node"): run against a
 * model, its Results show the overall verdict, a PSI bar per column and the per-column table.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { openFile, pipelineFile, screen, statusOf, writePipeline } from './support/studio.ts';

test('Detect Drift shows its verdict, a PSI chart and the per-column statistics in Results', async ({ page, workDir }) => {
  test.setTimeout(120_000);
  const row = (i: number, shift: boolean) => {
    const x1 = ((i * 37) % 101) / 10 - 5 + (shift ? 4 : 0);
    const x2 = ((i * 53) % 97) / 20 - 2;
    const city = shift ? (i % 5 === 0 ? 'Lyon' : 'Porto') : ['Lyon', 'Oslo', 'Porto'][i % 3];
    return `${x1},${x2},${city},${x1 + x2 > 0 ? 'yes' : 'no'}`;
  };
  const csv = (shift: boolean, n: number) => `x1,x2,city,label\n${Array.from({ length: n }, (_, i) => row(i, shift)).join('\n')}\n`;
  writeFileSync(join(workDir, 'train.csv'), csv(false, 200));
  writeFileSync(join(workDir, 'new.csv'), csv(true, 100));
  const file = writePipeline(
    workDir,
    'drift.flow.json',
    pipelineFile('Drift', [
      { id: 'load', type: 'data.load_csv', params: { path: 'train.csv' } },
      { id: 'train', type: 'ml.train', params: { target: 'label', learner: 'logistic_regression', auto_prep: true } },
      { id: 'fresh', type: 'data.load_csv', params: { path: 'new.csv' } },
      { id: 'drift', type: 'ml.detect_drift', params: {} },
    ], ['load.table -> train.table', 'train.model -> drift.model', 'fresh.table -> drift.table']),
  );
  await openFile(page, file);
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'drift')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await page.getByTestId('node-drift').click();
  await page.getByTestId('tab-results').click();
  const results = page.getByTestId('results-drift');
  await expect(results.getByTestId('metric-value-drifted_columns')).toHaveText('2');
  await expect(results.getByTestId('result-table-drift_columns').locator('h4')).toContainText('Drift in x1, city');
  await expect(results.getByRole('img', { name: /PSI per column/ })).toBeVisible();
  await expect(results.getByTestId('result-table-drift_columns').locator('tbody tr')).toHaveCount(4);
  await screen(page, 'drift-node-results');
  await results.getByTestId('result-table-drift_columns').scrollIntoViewIfNeeded();
  await screen(page, 'drift-node-results-table');
});
