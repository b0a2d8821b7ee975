/**
 * The model card (docs/lifecycle.md, "Model card"): its written fields are in the export node's
 * inspector, and the HTML card written beside the exported model opens in Chromium on its own —
 * no request but the file itself, no console error.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from './support/fixtures.ts';
import { openFile, screen } from './support/studio.ts';
import { INTENDED_USE, runCreditCardPipeline } from '../support/model-card-pipeline.ts';

test('the model card of an exported model opens offline with no console error; its fields are in the export inspector', async ({ page, browser, workDir }) => {
  test.setTimeout(180_000);
  const { file, report } = await runCreditCardPipeline(workDir);

  const context = await browser.newContext({ viewport: { width: 1100, height: 1500 } });
  const card = await context.newPage();
  const url = pathToFileURL(join(workDir, 'credit.card.html')).href;
  const requests: string[] = [];
  const problems: string[] = [];
  card.on('request', (r) => requests.push(r.url()));
  card.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  card.on('pageerror', (e) => problems.push(e.message));
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort('blockedbyclient')));
  await card.goto(url);
  await expect(card.locator('h1')).toContainText('Model card: logistic regression predicting “defaulted”');
  await expect(card.locator('#intended-use p')).toHaveCount(2);
  await expect(card.locator('#groups tbody tr')).toHaveCount(2);
  await expect(card.locator('#explanations svg')).toBeVisible();
  await expect(card.locator('#explanations tbody tr')).toHaveCount(report.explanations.explain.top.length);
  await expect(card.locator('#gates tr', { has: card.locator('td.fail') })).toContainText('demographic parity');
  expect(requests).toEqual([url]);
  expect(problems).toEqual([]);
  await card.screenshot({ path: join(process.cwd(), 'test-results', 'screens', 'model-card.png'), fullPage: true });
  await context.close();

  // The written fields live in the pipeline file and show in the export node's inspector.
  await openFile(page, file);
  await page.getByTestId('node-export').click();
  await expect(page.getByTestId('param-intended_use').locator('textarea')).toHaveValue(INTENDED_USE);
  await page.getByTestId('param-limitations').scrollIntoViewIfNeeded();
  await screen(page, 'model-card-export-inspector');
});
