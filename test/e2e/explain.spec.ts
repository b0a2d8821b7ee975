/**
 * The Explain views on the penguins template: global importance, beeswarm, permutation
 * importance, a row's waterfall (reached from Evaluate's worst-predicted rows), the dependence
 * plot and PDP/ICE, in raw-column and engineered views and for another class. Each view leaves a
 * screenshot in test-results/screens (explain-*.png).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { screen } from './support/studio.ts';

test.use({ viewport: { width: 1400, height: 1000 } });

async function chartShot(page: Page, id: string, name: string): Promise<void> {
  const dir = join(process.cwd(), 'test-results', 'screens');
  mkdirSync(dir, { recursive: true });
  const chart = page.getByTestId(`chart-${id}`);
  await chart.scrollIntoViewIfNeeded();
  await chart.screenshot({ path: join(dir, `${name}.png`) });
}

/** A taller results panel than the default 250 px while taking screenshots, so each chart shows whole. */
async function tallPanel(page: Page, on: boolean): Promise<void> {
  await page.evaluate((tall) => {
    document.getElementById('tall-panel')?.remove();
    if (!tall) return;
    const style = document.createElement('style');
    style.id = 'tall-panel';
    style.textContent = '.centre { grid-template-rows: minmax(0, 1fr) 620px !important; }';
    document.head.appendChild(style);
  }, on);
}

async function runPenguins(page: Page): Promise<void> {
  await page.getByTestId('template-penguins-species').click();
  await expect(page.getByTestId('node-explain')).toBeVisible();
  await page.getByTestId('btn-run').click();
  // 'cached' when an earlier run of the template (the CLI template tests run it in place) left its results.
  await expect(page.getByTestId('node-status-explain')).toHaveAttribute('data-status', /^(done|cached)$/, { timeout: 120_000 });
}

test('Explain views on the penguins template: global, local (from Evaluate\'s worst rows), dependence and PDP/ICE', async ({ page, pageErrors }) => {
  test.setTimeout(180_000);
  await runPenguins(page);

  await page.getByTestId('node-explain').click();
  await page.getByTestId('tab-results').click();
  await tallPanel(page, true);
  const panel = page.getByTestId('explain-explain');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('TreeSHAP');
  await expect(panel).toContainText('probability');
  for (const id of ['mean_abs_shap', 'beeswarm', 'permutation_importance', 'waterfall', 'dependence', 'pdp']) await expect(page.getByTestId(`chart-${id}`)).toBeVisible();

  // Raw columns: the one-hot island and sex columns are one bar each, and the waterfall names the category.
  const bars = page.getByTestId('chart-mean_abs_shap');
  await expect(bars).toContainText('island');
  await expect(bars).not.toContainText('island_');
  await expect(page.getByTestId('chart-waterfall')).toContainText(/island = (Biscoe|Dream|Torgersen)/);
  await expect(page.getByTestId('waterfall-sum')).toContainText(/base .* = /);
  await screen(page, 'explain-global');
  for (const id of ['mean_abs_shap', 'beeswarm', 'permutation_importance', 'waterfall', 'dependence', 'pdp']) await chartShot(page, id, `explain-${id}`);

  // Engineered features: one bar per one-hot column.
  await page.getByTestId('explain-view-engineered').click();
  await expect(page.getByTestId('chart-mean_abs_shap')).toContainText('island_');
  await chartShot(page, 'mean_abs_shap', 'explain-engineered-bars');
  await page.getByTestId('explain-view-raw').click();

  // Another class, another dependence column.
  await page.getByTestId('explain-class').selectOption('Gentoo');
  await expect(page.getByTestId('chart-mean_abs_shap')).toContainText('Gentoo');
  await page.getByTestId('explain-term').selectOption('island');
  await expect(page.getByTestId('chart-dependence')).toContainText('Dependence: island');
  await chartShot(page, 'dependence', 'explain-dependence-island-gentoo');

  // From Evaluate's worst-predicted rows to that row's waterfall.
  await tallPanel(page, false);
  await page.getByTestId('node-evaluate').click();
  const worst = page.getByTestId('result-table-worst_rows');
  await expect(worst).toBeVisible();
  const link = worst.locator('[data-testid^="explain-row-link-"]').first();
  await expect(link).toBeVisible();
  const row = (await link.getAttribute('data-testid'))!.replace('explain-row-link-', '');
  const actual = (await worst.locator('tbody tr').filter({ has: page.getByTestId(`explain-row-link-${row}`) }).locator('td').nth(1).innerText()).trim();
  await link.click();
  await expect(page.getByTestId('explain-row')).toHaveValue(row);
  // ...opened on the row's actual class: why did the model doubt it?
  await expect(page.getByTestId('explain-class').locator('option:checked')).toHaveText(actual);
  await expect(page.getByTestId('chart-waterfall')).toContainText(`Why row ${row}`);
  await screen(page, 'explain-from-worst-row');
  await tallPanel(page, true);
  await chartShot(page, 'waterfall', 'explain-waterfall-worst-row');
  expect(pageErrors).toEqual([]);
});
