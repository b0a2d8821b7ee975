/**
 * The template gallery: cards with a thumbnail, filtered by task and tag; every template opens
 * from it and runs in the studio to its scoring node; "Use this template" copies the pipeline and
 * its data into a folder and opens the copy, leaving the shipped original as it was.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { screen, statusOf } from './support/studio.ts';

const TEMPLATES = resolve(import.meta.dirname, '../../templates');
const FILES = readdirSync(TEMPLATES).filter((f) => f.endsWith('.flow.json')).sort();

test('the gallery shows a card with a thumbnail per template and filters them by task and tag', async ({ page }) => {
  const cards = page.locator('[data-testid^="template-card-"]');
  await expect(cards).toHaveCount(FILES.length);
  await expect(page.locator('.template-thumb')).toHaveCount(FILES.length);
  await expect(page.getByTestId('template-card-customer-segmentation')).toContainText('silhouette ≥ 0.45');
  await screen(page, 'template-gallery');
  await page.getByTestId('template-filter-task').selectOption('forecasting');
  await expect(cards).toHaveCount(2);
  await expect(page.getByTestId('template-card-retail-demand')).toBeVisible();
  await page.getByTestId('template-filter-task').selectOption('');
  await page.getByTestId('template-filter-tag-text').click();
  await expect(cards).toHaveCount(1);
  await expect(page.getByTestId('template-card-review-sentiment')).toBeVisible();
  await screen(page, 'template-gallery-filtered');
});

test('every template opens from the gallery and runs there to its scoring node', async ({ page }) => {
  test.setTimeout(900_000);
  for (const [i, file] of FILES.entries()) {
    const id = file.replace('.flow.json', '');
    const doc = JSON.parse(readFileSync(join(TEMPLATES, file), 'utf8')) as { template: { threshold: { metric: string } } };
    const scorer = doc.template.threshold.metric.split('.')[0];
    if (i > 0) await page.getByTestId('btn-examples').click();
    await page.getByTestId(`template-${id}`).click();
    const unsaved = page.getByTestId('unsaved-discard');
    if (await unsaved.isVisible().catch(() => false)) await unsaved.click();
    await expect(page.getByTestId(`node-${scorer}`)).toBeVisible();
    await page.getByTestId('btn-run').click();
    const trust = page.getByTestId('trust-confirm');
    await expect(statusOf(page, scorer).or(trust)).toBeVisible();
    if (await trust.isVisible().catch(() => false)) await trust.click();
    await expect(statusOf(page, scorer), `${id}: ${scorer} runs`).toHaveAttribute('data-status', /^(done|cached)$/, { timeout: 180_000 });
    if (id === 'retail-demand') await screen(page, 'template-retail-demand-ran');
  }
});

test('"Use this template" copies it and its data into a new folder and opens the copy; the original is untouched', async ({ page, workDir }) => {
  const original = readFileSync(join(TEMPLATES, 'house-prices.flow.json'), 'utf8');
  await page.getByTestId('use-template-house-prices').click();
  const dialog = page.getByTestId('use-template-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('use-template-target')).toContainText(`${workDir}/house-prices`);
  await page.getByTestId('use-template-folder').fill('my-house-prices');
  await screen(page, 'use-template-dialog');
  await page.getByTestId('use-template-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('file-name')).toContainText('house-prices.flow.json');
  await expect(page.getByTestId('file-name')).not.toContainText('unsaved');
  expect(existsSync(join(workDir, 'my-house-prices', 'house-prices.flow.json'))).toBe(true);
  expect(readFileSync(join(workDir, 'my-house-prices', 'data', 'house-prices.csv'), 'utf8')).toBe(readFileSync(join(TEMPLATES, 'data', 'house-prices.csv'), 'utf8'));
  expect(readFileSync(join(TEMPLATES, 'house-prices.flow.json'), 'utf8')).toBe(original);
  // The copy runs from its own folder.
  await page.getByTestId('btn-run').click();
  await expect(statusOf(page, 'evaluate')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
});
