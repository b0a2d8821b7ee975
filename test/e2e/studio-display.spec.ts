/**
 * How the studio reads to a newcomer: help on every node, readable dates and numbers, icons that
 * need no emoji font, one-sentence hints.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { dragNode, newPipeline, openFile, pipelineFile, screen, statusOf, writePipeline } from './support/studio.ts';

test('help on a node opens from the inspector or F1, with a longer description, an example and its parameters', async ({ page }) => {
  await newPipeline(page);
  await dragNode(page, 'prep.scale', 300, 150);
  await page.getByTestId('node-scale').click();
  await page.getByTestId('node-help-open').click();
  const help = page.getByTestId('node-help');
  await expect(help).toContainText('tree learners do not');
  await expect(help.getByTestId('node-help-example')).toContainText('→');
  await expect(help.locator('table')).toContainText('method');
  await expect(help.locator('table')).toContainText('standard · minmax · robust · maxabs');
  await screen(page, 'node-help');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  // F1 on the selected node; with nothing selected, the shortcuts.
  await page.getByTestId('node-scale').click();
  await page.keyboard.press('F1');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('canvas').click({ position: { x: 20, y: 300 } });
  await page.keyboard.press('F1');
  await expect(page.getByTestId('help-dialog')).toBeVisible();
});

test('dates read as dates in every table, and metrics share one format (1.0000 beside 0.9500)', async ({ page, workDir }) => {
  test.setTimeout(120_000); // a first Train starts the worker pool; on a loaded machine that takes a while
  // A date, a date-time and a target a tree separates perfectly (training accuracy exactly 1).
  const rows = ['day,at,x,y'];
  for (let i = 0; i < 40; i++) rows.push(`2024-01-${String((i % 28) + 1).padStart(2, '0')},2024-02-03 13:${String(i % 60).padStart(2, '0')}:05,${i},${i < 20 ? 'lo' : 'hi'}`);
  writeFileSync(join(workDir, 'events.csv'), rows.join('\n'));
  const file = writePipeline(
    workDir,
    'dates.flow.json',
    pipelineFile('Dates', [
      { id: 'load', type: 'data.load_csv', params: { path: 'events.csv' } },
      { id: 'profile', type: 'data.profile' },
      { id: 'train', type: 'ml.train', params: { target: 'y', learner: 'decision_tree', features: ['x'] } },
    ], ['load.table -> profile.table', 'load.table -> train.table']),
  );
  await openFile(page, file);
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'train')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });

  // Preview: a date-time without ISO's "T"; the profile strip's range and percentages alike.
  await page.getByTestId('node-load').click();
  await page.getByTestId('tab-preview').click();
  const grid = page.getByTestId('preview-grid');
  await expect(grid.getByRole('gridcell', { name: '2024-02-03 13:00:05', exact: true })).toBeVisible();
  await expect(grid.getByRole('gridcell', { name: '2024-01-01', exact: true })).toBeVisible();
  await expect(grid).not.toContainText('T13:');
  await expect(page.getByTestId('profile-at')).not.toContainText('T13:');
  await expect(page.getByTestId('profile-x')).toContainText('0.0% missing');
  await screen(page, 'dates-preview');

  // Results: the Profile node's table shows its date range as dates.
  await page.getByTestId('node-profile').click();
  await page.getByTestId('tab-results').click();
  const profile = page.locator('[data-testid^="result-table-"]').first();
  await expect(profile).toContainText('2024-02-03 13:00:05');
  await expect(profile).not.toContainText('T13:');
  await expect(profile).not.toContainText(/\b1\d{12}\b/); // no epoch milliseconds
  await screen(page, 'dates-results');

  // Train's metrics: a perfect score reads 1.0000, as every other score's four decimals.
  await page.getByTestId('node-train').click();
  await expect(page.getByTestId('metric-value-accuracy')).toHaveText('1.0000');
  // Runs: the start as a date and time, and the same metric format.
  await page.getByTestId('tab-runs').click();
  const run = page.getByTestId('runs').locator('tbody tr').first();
  await expect(run).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  const headers = (await page.getByTestId('runs').locator('thead th').allInnerTexts()).slice(6, -1);
  const cells = await run.locator('td.num').allInnerTexts();
  expect(cells.length).toBe(headers.length);
  // Scores with four decimals; a count (profile.rows) is a whole number, a percentage (profile.missing_cells_pct) one.
  const shape = (h: string) => (/(^|\.)(rows|columns|cells)$/.test(h) ? /^[\d,]+$/ : /_pct$/.test(h) ? /^\d+\.\d%$/ : /^(–|-?\d+\.\d{4})$/);
  headers.forEach((h, i) => expect(cells[i], h).toMatch(shape(h)));
  const accuracy = headers.findIndex((h) => h.endsWith('.accuracy'));
  if (accuracy >= 0) expect(cells[accuracy]).toBe('1.0000');
  await screen(page, 'dates-runs');
});

test('a column holding NaN and ±Infinity profiles as numbers over its finite values, with the others counted', async ({ page, workDir, pageErrors }) => {
  writeFileSync(join(workDir, 'odd-numbers.csv'), 'x,k\n1.5,a\nNaN,b\n2.5,c\n-Infinity,d\n,e\n4.0,f\ninf,g\n');
  const file = writePipeline(
    workDir,
    'odd-numbers.flow.json',
    pipelineFile('Odd numbers', [
      { id: 'load', type: 'data.load_csv', params: { path: 'odd-numbers.csv' } },
      { id: 'profile', type: 'data.profile' },
    ], ['load.table -> profile.table']),
  );
  await openFile(page, file);
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'profile')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });

  // Preview: min · mean · max of 1.5, 2.5 and 4; the NaN and the two infinities said apart.
  await page.getByTestId('node-load').click();
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('profile-x')).toContainText('1.5000 · 2.6667 · 4');
  await expect(page.getByTestId('profile-x-nonfinite')).toHaveText('1 NaN · 2 ±∞');
  await expect(page.getByTestId('profile-k-nonfinite')).toHaveCount(0);
  // The grid shows a NaN as NaN, not as a missing value.
  const grid = page.getByTestId('preview-grid');
  await expect(grid.getByRole('gridcell', { name: 'NaN', exact: true })).toBeVisible();
  await expect(grid.getByRole('gridcell', { name: '-Infinity', exact: true })).toBeVisible();
  await screen(page, 'nan-preview');

  // Results: the Profile node's table has NaN and ±infinite columns.
  await page.getByTestId('node-profile').click();
  await page.getByTestId('tab-results').click();
  const table = page.locator('[data-testid^="result-table-"]').first();
  await expect(table).toContainText('±infinite');
  await table.scrollIntoViewIfNeeded();
  await screen(page, 'nan-results');
  expect(pageErrors).toEqual([]);
});

test('a large table\'s histograms say they come from a sample, and the Profile node\'s Exact setting counts every row', async ({ page, workDir, pageErrors }) => {
  test.setTimeout(120_000);
  // 250,000 rows: past the 200,000 up to which profiles count every row.
  writeFileSync(join(workDir, 'big.csv'), `v\n${Array.from({ length: 250_000 }, (_, i) => ((i * 7919) % 250_007) / 4).join('\n')}\n`);
  const file = writePipeline(
    workDir,
    'big.flow.json',
    pipelineFile('Big', [
      { id: 'load', type: 'data.load_csv', params: { path: 'big.csv' } },
      { id: 'profile', type: 'data.profile' },
      { id: 'exact', type: 'data.profile', params: { exact: true } },
    ], ['load.table -> profile.table', 'load.table -> exact.table']),
  );
  await openFile(page, file);
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'exact')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });

  // Preview: the bars name their sample (hovering shows the same words).
  await page.getByTestId('node-load').click();
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('profile-v').getByRole('img')).toHaveAccessibleName(/^distribution, estimated from a sample of [\d,]+ values$/);
  await screen(page, 'large-preview');

  // Results: the default profile's histogram says so in its title; the exact one does not.
  await page.getByTestId('node-profile').click();
  await page.getByTestId('tab-results').click();
  await expect(page.getByTestId('chart-hist-v')).toContainText(/v \(estimated from a sample of [\d,]+ values\)/);
  await page.getByTestId('chart-hist-v').scrollIntoViewIfNeeded();
  await screen(page, 'large-profile-sampled');
  await page.getByTestId('node-exact').click();
  await expect(page.getByTestId('chart-hist-v')).toBeVisible();
  await expect(page.getByTestId('chart-hist-v')).not.toContainText('estimated');
  expect(pageErrors).toEqual([]);
});
