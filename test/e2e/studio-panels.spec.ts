/**
 * The studio stays up: switching bottom tabs in any order, with a run logging in the background
 * and after it, never blanks the app; a panel that breaks shows its error and a "Reload panel"
 * button while the canvas, the inspector and the other panels keep working.
 */
import { expect, test } from './support/fixtures.ts';
import { dragNode, newPipeline, openFile, pipelineFile, runAndTrust, screen, statusOf, writePipeline } from './support/studio.ts';

const TABS = ['preview', 'results', 'log', 'runs'] as const;

/** A Code node that logs a line every 100 ms and never finishes: a run that stays in progress until cancelled. */
const FOREVER = '(df) => new Promise(() => { let i = 0; setInterval(() => console.log(`still working ${++i}`), 100); })';

/**
 * A walk through the tabs that takes each of the 12 ordered pairs (from → to) exactly once: every
 * tab is opened right after every other one. The app must survive each switch.
 */
const WALK = ['preview', 'results', 'log', 'runs', 'preview', 'log', 'results', 'runs', 'results', 'preview', 'runs', 'log', 'preview'] as const;

async function visitEveryTabAfterEveryOther(page: import('@playwright/test').Page): Promise<void> {
  const pairs = new Set(WALK.slice(1).map((to, i) => `${WALK[i]}>${to}`));
  expect(pairs.size).toBe(TABS.length * (TABS.length - 1));
  for (const tab of WALK) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('canvas')).toBeVisible();
    await expect(page.locator('[data-testid^="panel-error-"]')).toHaveCount(0);
  }
}

test('every bottom tab opens after every other, while a run logs and after it, and the app stays up', async ({ page, workDir, pageErrors }) => {
  test.setTimeout(120_000);
  const file = writePipeline(
    workDir,
    'slow.flow.json',
    pipelineFile('Slow', [
      { id: 'load', type: 'data.load_csv', params: { path: 'datasets/penguins_sex.test.csv' } },
      { id: 'slow', type: 'prep.code', params: { code: FOREVER, timeout_s: 3600 } },
    ], ['load.table -> slow.table']),
  );
  await openFile(page, file);
  await expect(page.getByTestId('node-slow')).toBeVisible();
  await runAndTrust(page);
  await expect(statusOf(page, 'slow')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });

  // While the run is in progress: log lines keep arriving, also while the Log tab is open.
  await page.getByTestId('tab-log').click();
  const lines = page.getByTestId('log').locator('.log__line');
  // (The Code node's worker loads danfo first: on a busy machine that takes a while.)
  await expect(lines.filter({ hasText: 'still working 2' })).toHaveCount(1, { timeout: 60_000 });
  await expect(lines.filter({ hasText: 'still working 4' })).toHaveCount(1, { timeout: 60_000 });
  await visitEveryTabAfterEveryOther(page);
  await expect(statusOf(page, 'slow')).toHaveAttribute('data-status', 'running');

  // After it: cancel, and switch again.
  await page.getByTestId('btn-cancel').click();
  await expect(statusOf(page, 'slow')).toHaveAttribute('data-status', /cancelled|error/, { timeout: 60_000 });
  await visitEveryTabAfterEveryOther(page);
  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('runs').locator('tbody tr')).toHaveCount(1);
  expect(pageErrors).toEqual([]);
});

test('a panel that throws shows its error and "Reload panel" while the rest of the studio keeps working', async ({ page }) => {
  test.setTimeout(90_000);
  // The fault hook is off unless this flag is set before the page loads (never in a user's studio).
  await page.addInitScript(() => localStorage.setItem('flowline.testHooks', '1'));
  await page.reload();
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 200, 120);
  await expect(page.getByTestId('node-load_csv')).toBeVisible();
  const breakPanel = (name: string | null) => page.evaluate((n) => window.flowlineTestHooks!.breakPanel(n), name);

  // Every bottom tab, then the inspector, the canvas and the palette.
  for (const tab of TABS) {
    await breakPanel(`tab:${tab}`);
    await page.getByTestId(`tab-${tab}`).click();
    const error = page.getByTestId(`panel-error-tab:${tab}`);
    await expect(error).toBeVisible();
    await expect(error).toContainText('Injected fault');
    if (tab === 'results') await screen(page, 'panel-error');
    // The rest works: select a node, the inspector shows it; another tab opens.
    await page.getByTestId('node-load_csv').click();
    await expect(page.getByTestId('node-title')).toHaveValue('Load CSV');
    const other = TABS.find((t) => t !== tab)!;
    await page.getByTestId(`tab-${other}`).click();
    await expect(page.locator('[data-testid^="panel-error-"]')).toHaveCount(0);
    await page.getByTestId(`tab-${tab}`).click();
    await expect(error).toBeVisible();
    // Fixed, the panel comes back with "Reload panel".
    await breakPanel(null);
    await error.getByRole('button', { name: 'Reload panel' }).click();
    await expect(error).toHaveCount(0);
    await expect(page.locator('#bottom-panel')).toBeVisible();
  }

  for (const panel of ['inspector', 'canvas', 'palette'] as const) {
    await breakPanel(panel);
    const error = page.getByTestId(`panel-error-${panel}`);
    await expect(error).toBeVisible();
    // The others still answer.
    if (panel !== 'canvas') {
      await page.getByTestId('node-load_csv').click();
      await expect(page.locator('.react-flow__node-card.selected')).toHaveCount(1);
    }
    if (panel !== 'inspector') await expect(page.getByTestId('inspector')).toBeVisible();
    if (panel === 'palette') await expect(page.getByTestId('node-title')).toHaveValue('Load CSV');
    if (panel !== 'palette') await expect(page.getByTestId('palette-item-data.load_csv')).toBeVisible();
    await page.getByTestId('tab-runs').click();
    await expect(page.getByTestId('tab-runs')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('topbar')).toBeVisible();
    await breakPanel(null);
    await error.getByRole('button', { name: 'Reload panel' }).click();
    await expect(error).toHaveCount(0);
  }
  await expect(page.getByTestId('node-load_csv')).toBeVisible();
});
