/**
 * What a newcomer meets in the first minutes: the Open dialog lists pipelines (not every JSON
 * file), Run on an empty canvas says why nothing happened, and the top bar shows the file's name
 * and "unsaved" in full at a common laptop size (1440×900, the config's viewport).
 */
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { dragNode, newPipeline, openFile, screen } from './support/studio.ts';

/** True when the element's text fits its box (an ellipsis or a clip makes scrollWidth larger). */
const fits = (l: Locator) => l.evaluate((el) => el.scrollWidth <= el.clientWidth && el.clientWidth > 0);

test('the Open dialog lists pipeline files (*.flow.json), not every JSON file', async ({ page }) => {
  await page.getByTestId('start-open').click();
  const browser = page.getByTestId('open-dialog').getByTestId('file-browser');
  await browser.getByTestId('file-entry-pipelines-v1').click();
  await expect(browser.getByTestId('file-entry-seattle-rain.flow.json')).toBeVisible();
  await expect(browser.getByTestId('file-entry-penguins-species.flow.json')).toBeVisible();
  // A JSON file that is not a pipeline (a metrics record) is not offered.
  await expect(browser.getByTestId('file-entry-metrics-before-seed-params.json')).toHaveCount(0);
  await screen(page, 'open-dialog-flow-json');
  await browser.getByTestId('file-entry-seattle-rain.flow.json').click();
  await expect(page.getByTestId('node-load')).toBeVisible();
});

test('Run on an empty pipeline says why nothing happened', async ({ page }) => {
  await newPipeline(page);
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Nothing to run yet: this pipeline has no nodes' })).toBeVisible();
  await screen(page, 'run-empty-pipeline');
});

test('at 1440×900 the top bar shows "unsaved" and the file name in full', async ({ page, workDir }) => {
  expect(page.viewportSize()).toEqual({ width: 1440, height: 900 });
  await newPipeline(page);
  const file = page.getByTestId('file-name');
  const label = file.locator('.muted');
  await expect(label).toHaveText('unsaved');
  expect(await fits(label), '"unsaved" is clipped').toBe(true);
  expect(await fits(file.getByLabel('Pipeline name')), 'the pipeline name is clipped').toBe(true);
  await screen(page, 'topbar-unsaved');

  await openFile(page, join(workDir, 'pipelines-v1', 'penguins-species.flow.json'));
  await expect(label).toHaveText('penguins-species.flow.json');
  expect(await fits(label), 'the file name is clipped').toBe(true);
  expect(await fits(file.getByLabel('Pipeline name')), 'the pipeline name is clipped').toBe(true);
  await screen(page, 'topbar-file-name');
});

test('where a node asks for a data file, Browse lists only files of that node\'s types', async ({ page }) => {
  await newPipeline(page);
  await dragNode(page, 'data.load_json', 200, 120);
  await page.getByTestId('node-load_json').click();
  await page.getByTestId('inspector').getByRole('button', { name: 'Browse…' }).click();
  const browser = page.getByTestId('inspector').getByTestId('file-browser');
  await browser.getByTestId('file-entry-data').click();
  await expect(browser.getByTestId('file-entry-records.json')).toBeVisible();
  await expect(browser.getByTestId('file-entry-records.ndjson')).toBeVisible();
  await expect(browser.getByTestId('file-entry-orders.csv')).toHaveCount(0);
  // Pipelines are JSON too, but never data.
  await browser.getByRole('button', { name: 'Up one folder' }).click();
  await browser.getByTestId('file-entry-pipelines-v1').click();
  await expect(browser.getByTestId('file-entry-metrics-before-seed-params.json')).toBeVisible();
  await expect(browser.getByTestId('file-entry-seattle-rain.flow.json')).toHaveCount(0);
});
