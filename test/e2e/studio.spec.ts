/**
 * The studio, driven like an analyst would: drag nodes from the palette, connect them, set
 * params in the inspector, run, read results, preview tables, undo/redo, save and reopen.
 * Runs against the real web host (test/e2e/support/fixtures.ts); its network guard fails any
 * test whose page reaches beyond 127.0.0.1. Each test leaves a screenshot in test-results/screens.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { connect, dragNode, edgeCount, fileInput, newPipeline, screen, setFile } from './support/studio.ts';

test.use({ viewport: { width: 1280, height: 800 } });

/** The train node's target: a column list once the columns are known, a text box before. */
async function pickTarget(page: Page, column: string): Promise<void> {
  const field = page.getByTestId('param-target');
  const select = field.locator('select');
  if (await select.count()) await select.selectOption(column);
  else {
    await field.locator('input').fill(column);
    await field.locator('input').press('Tab');
  }
  await expect(page.getByTestId('node-summary-train')).toContainText(column);
}

/** load_csv (train rows) → train → evaluate ← load_csv_2 (test rows), drawn by hand. */
async function buildPenguins(page: Page, workDir: string): Promise<void> {
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 130, 90);
  await dragNode(page, 'ml.train', 430, 90);
  await dragNode(page, 'data.load_csv', 130, 320);
  await dragNode(page, 'ml.evaluate', 430, 320);
  await expect(page.locator('.react-flow__node-card')).toHaveCount(4);
  await connect(page, 'handle-load_csv-out-table', 'handle-train-in-table');
  await connect(page, 'handle-train-out-model', 'handle-evaluate-in-model');
  await connect(page, 'handle-load_csv_2-out-table', 'handle-evaluate-in-table');
  await expect.poll(() => edgeCount(page)).toBe(3);
  await setFile(page, 'load_csv', join(workDir, 'datasets', 'penguins_sex.train.csv'));
  await setFile(page, 'load_csv_2', join(workDir, 'datasets', 'penguins_sex.test.csv'));
}

test('build a pipeline by dragging and connecting, pick a column, run, read a metric', async ({ page, workDir, pageErrors }) => {
  await buildPenguins(page, workDir);

  // A wrong connection is refused, with the reason.
  await connect(page, 'handle-load_csv-out-table', 'handle-evaluate-in-model');
  await expect(page.getByTestId('toast').filter({ hasText: 'A table output cannot feed a model input' })).toBeVisible();
  expect(await edgeCount(page)).toBe(3);

  // Run the loader alone, so the column picker knows its columns.
  await page.getByTestId('node-load_csv').click();
  await page.getByTestId('btn-run-to').click();
  await expect(page.getByTestId('node-status-load_csv')).toHaveAttribute('data-status', /done|cached/, { timeout: 20_000 });

  await page.getByTestId('node-train').click();
  const target = page.getByTestId('param-target').locator('select');
  await expect(target.locator('option', { hasText: 'body_mass_g' })).toHaveCount(1);
  await target.selectOption('target');
  await expect(page.getByTestId('node-summary-train')).toContainText('target');

  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('node-status-evaluate')).toHaveAttribute('data-status', 'done', { timeout: 25_000 });
  await expect(page.getByTestId('node-status-train')).toContainText(/done in/);

  await page.getByTestId('node-evaluate').click();
  await page.getByTestId('tab-results').click();
  const accuracy = page.getByTestId('metric-value-accuracy');
  await expect(accuracy).toBeVisible();
  const value = Number(await accuracy.innerText());
  expect(value).toBeGreaterThan(0.6);
  expect(value).toBeLessThanOrEqual(1);
  await expect(page.locator('[data-testid^="chart-"]').first()).toBeVisible();
  await screen(page, 'build-run-results');

  await page.getByTestId('tab-runs').click();
  await expect(page.getByTestId('runs').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('runs').locator('tbody tr').first()).toContainText('done');
  await page.getByTestId('tab-log').click();
  await expect(page.getByTestId('log')).toContainText('load_csv');
  await screen(page, 'runs-log');
  expect(pageErrors).toEqual([]);
});

test('browse for a file, then preview pages through its table with typed headers, a profile and sorting', async ({ page, workDir }) => {
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 200, 120);
  // Pick the file with the browse list (the host lists its folders; pickers start in its cwd).
  await page.getByTestId('node-load_csv').click();
  await page.getByTestId('inspector').getByRole('button', { name: 'Browse…' }).click();
  await page.getByTestId('file-browser').getByTestId('file-entry-datasets').click();
  await page.getByTestId('file-browser').getByTestId('file-entry-digits.train.csv').click();
  await expect(fileInput(page)).toHaveValue(join(workDir, 'datasets', 'digits.train.csv'));
  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('node-status-load_csv')).toHaveAttribute('data-status', /done|cached/, { timeout: 20_000 });
  await page.getByTestId('node-load_csv').click();
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('preview-rowcount')).toContainText('1,257 rows');
  const grid = page.getByTestId('preview-grid');
  await expect(grid.getByRole('columnheader').first()).toContainText(/number|integer|string/);
  await expect(page.getByTestId('profile-strip')).toBeVisible();
  await expect(page.getByTestId('profile-strip')).toContainText('% missing');
  // Scroll to the end: later pages are fetched from the host as they come into view.
  await grid.locator('.grid__scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(grid.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '1257', exact: true }) })).toBeVisible();
  await expect(grid.getByRole('gridcell', { name: '…' })).toHaveCount(0);

  // Sorting happens on the host: descending puts the largest value of the column first.
  const header = grid.getByTestId('col-pixel_2_3');
  await header.click();
  await header.click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  const firstRow = grid.getByTestId('grid-first-row');
  await expect(firstRow.getByRole('rowheader')).toHaveText('1');
  const colIndex = await grid.getByRole('columnheader').evaluateAll((hs) => hs.findIndex((h) => h.getAttribute('data-testid') === 'col-pixel_2_3'));
  const cells = firstRow.getByRole('gridcell');
  await expect(cells.nth(colIndex)).not.toHaveText('…');
  const top = Number(await cells.nth(colIndex).innerText());
  expect(top).toBe(16);
  await screen(page, 'preview');
});

test('undo and redo every edit, by button and keyboard', async ({ page }) => {
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 140, 120);
  await dragNode(page, 'ml.train', 440, 120);
  await connect(page, 'handle-load_csv-out-table', 'handle-train-in-table');
  await expect.poll(() => edgeCount(page)).toBe(1);

  await page.getByTestId('btn-undo').click();
  await expect.poll(() => edgeCount(page)).toBe(0);
  await page.getByTestId('btn-undo').click();
  await expect(page.getByTestId('node-train')).toHaveCount(0);
  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
  await page.keyboard.press('Control+Shift+Z');
  await expect(page.getByTestId('node-train')).toBeVisible();
  await page.keyboard.press('Control+Y');
  await expect.poll(() => edgeCount(page)).toBe(1);

  // A param edit is one step; deleting is one step.
  await page.getByTestId('node-train').click();
  await page.getByTestId('param-learner').locator('select').selectOption('decision_tree');
  await expect(page.getByTestId('node-summary-train')).toContainText('decision_tree');
  await page.getByTestId('node-train').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-train')).toHaveCount(0);
  await page.keyboard.press('Control+Z');
  await expect(page.getByTestId('node-summary-train')).toContainText('decision_tree');
  await page.keyboard.press('Control+Z');
  await expect(page.getByTestId('node-summary-train')).not.toContainText('decision_tree');
  await screen(page, 'undo-redo');
});

test('open an example pipeline from the start screen and run it', async ({ page }) => {
  test.setTimeout(90_000);
  const first = page.getByTestId('template-penguins-species');
  await expect(first).toBeVisible();
  await first.click();
  await expect(page.locator('.react-flow__node-card').first()).toBeVisible();
  expect(await page.locator('.react-flow__node-card').count()).toBeGreaterThan(1);
  expect(await edgeCount(page)).toBeGreaterThan(0);
  // An example opens as an unsaved copy that still finds its data next to the example file.
  await expect(page.getByTestId('file-name')).toContainText('unsaved');
  await page.getByTestId('btn-run').click();
  const statuses = page.locator('[data-testid^="node-status-"]');
  await expect.poll(async () => (await statuses.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).every((s) => s === 'done' || s === 'cached'), { timeout: 60_000 }).toBe(true);
  await screen(page, 'example-opened');
});

test('a bad CSV shows its error on the node', async ({ page, workDir }) => {
  const bad = join(workDir, 'bad.csv');
  writeFileSync(bad, '');
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 200, 120);
  await setFile(page, 'load_csv', bad);
  await page.getByTestId('btn-run').click();
  const status = page.getByTestId('node-status-load_csv');
  await expect(status).toHaveAttribute('data-status', 'error', { timeout: 20_000 });
  await expect(status).toContainText('error');
  await page.getByTestId('node-load_csv').click();
  await expect(page.getByTestId('node-error')).toBeVisible();
  await expect(page.getByTestId('node-error')).toContainText(/bad\.csv|empty|no rows|no data/i);
  await screen(page, 'bad-csv');
});

test('save, reload, and find the pipeline unchanged', async ({ page, workDir }) => {
  await buildPenguins(page, workDir);
  await page.getByTestId('node-train').click();
  await page.getByTestId('param-learner').locator('select').selectOption('decision_tree');
  await expect(page.getByTestId('dirty-dot')).toBeVisible();

  await page.keyboard.press('Control+S');
  const saveAs = page.getByTestId('save-as-dialog');
  await expect(saveAs).toBeVisible();
  const file = join(workDir, 'penguins.flow.json');
  await page.getByTestId('save-path').fill(file);
  await page.getByTestId('save-submit').click();
  await expect(page.getByTestId('dirty-dot')).toHaveCount(0);
  const saved = readFileSync(file, 'utf8');
  expect(JSON.parse(saved).nodes.map((n: { id: string }) => n.id).sort()).toEqual(['evaluate', 'load_csv', 'load_csv_2', 'train']);

  await page.reload();
  await expect(page.getByTestId('start-screen')).toBeVisible();
  await page.getByTestId('recent-file').first().click();
  await expect(page.locator('.react-flow__node-card')).toHaveCount(4);
  await expect.poll(() => edgeCount(page)).toBe(3);
  await expect(page.getByTestId('node-summary-train')).toContainText('decision_tree');
  await expect(page.getByTestId('dirty-dot')).toHaveCount(0);
  // Saving the reopened pipeline writes the very same bytes: nothing was lost or reordered.
  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
  await page.keyboard.press('Control+S');
  await expect(page.getByTestId('toast').filter({ hasText: 'Saved' })).toBeVisible();
  expect(readFileSync(file, 'utf8')).toBe(saved);
  await screen(page, 'save-reload');
});

test('no request leaves 127.0.0.1 while the studio runs, edits code and shows JSON', async ({ page, workDir, outsideRequests }) => {
  const seen: string[] = [];
  page.on('request', (r) => seen.push(r.url()));
  await buildPenguins(page, workDir);
  // Monaco (bundled, with same-origin workers) in the JSON view and in a JSON param.
  await page.getByTestId('btn-json').click();
  await expect(page.getByTestId('json-view').locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('btn-json').click();
  await page.getByTestId('node-train').click();
  await pickTarget(page, 'target');
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('node-status-evaluate')).toHaveAttribute('data-status', /done|error/, { timeout: 25_000 });
  await page.waitForLoadState('networkidle');
  const outside = seen.filter((u) => !/^(http|ws):\/\/127\.0\.0\.1[:/]/.test(u) && !/^(data|blob):/.test(u));
  expect(outside).toEqual([]);
  expect(outsideRequests).toEqual([]);
  await screen(page, 'offline');
});

test('a foreign pipeline with SQL asks for trust before its first run', async ({ page, workDir }) => {
  const file = join(workDir, 'with-sql.flow.json');
  const pipeline = {
    format: 'flowline.pipeline',
    version: 1,
    name: 'With SQL',
    seed: 42,
    nodes: [
      { id: 'load', type: 'data.load_csv', version: 1, params: { path: 'datasets/penguins_sex.test.csv' } },
      { id: 'query', type: 'data.sql', version: 1, params: { query: 'SELECT target, count(*) AS n FROM input1 GROUP BY target' } },
    ],
    edges: [{ from: 'load.table', to: 'query.tables' }],
    layout: { positions: { load: { x: 0, y: 0 }, query: { x: 300, y: 0 } }, notes: [], groups: [] },
  };
  writeFileSync(file, JSON.stringify(pipeline, null, 2));
  await page.getByTestId('start-open').click();
  await page.getByTestId('open-path').fill(file);
  await page.getByTestId('open-submit').click();
  await expect(page.getByTestId('node-query')).toBeVisible();

  await page.getByTestId('btn-run').click();
  const dialog = page.getByTestId('trust-dialog');
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId('node-status-query')).toHaveAttribute('data-status', 'idle');
  await screen(page, 'trust-dialog');
  await page.getByTestId('trust-confirm').click();
  await expect(page.getByTestId('node-status-query')).toHaveAttribute('data-status', 'done', { timeout: 20_000 });

  // The SQL param is edited in Monaco (bundled, offline).
  await page.getByTestId('node-query').click();
  await expect(page.getByTestId('param-query').locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('tab-preview').click();
  await expect(page.getByTestId('preview-rowcount')).toContainText('2 rows');
});

test('keyboard only: add nodes by name, connect through the inspector, run', async ({ page, workDir }) => {
  await newPipeline(page);
  await page.keyboard.press('/');
  await page.getByTestId('quick-insert-search').fill('load csv');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-load_csv')).toBeVisible();
  const input = fileInput(page);
  await input.fill(join(workDir, 'datasets', 'penguins_sex.train.csv'));
  await input.press('Enter');

  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
  await page.keyboard.press('/');
  await page.getByTestId('quick-insert-search').fill('Profile Table');
  await page.keyboard.press('Enter');
  const added = page.locator('.react-flow__node-card.selected');
  await expect(added).toHaveCount(1);
  const inputsSelect = page.getByTestId('inspector').locator('[data-testid^="input-"] select').first();
  await inputsSelect.selectOption('load_csv.table');
  await expect.poll(() => edgeCount(page)).toBe(1);
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('[data-testid^="node-status-"][data-status="error"]')).toHaveCount(0);
  await expect(page.locator('[data-testid^="node-status-"][data-status="done"]')).toHaveCount(2, { timeout: 20_000 });
  await page.keyboard.press('?');
  await expect(page.getByTestId('help-dialog')).toBeVisible();
  await screen(page, 'keyboard-only');
});

test('unsaved work is offered back after a reload (autosave), in the dark theme too', async ({ page, studio }) => {
  test.setTimeout(90_000); // up to 4 s for the autosave, then a reload: slow on a loaded machine
  await newPipeline(page);
  await dragNode(page, 'ml.train', 300, 150);
  await page.getByTestId('btn-note').click();
  await expect(page.locator('[data-testid^="note-"]')).toHaveCount(1);
  await page.locator('[data-testid^="note-"] textarea').fill('Why this learner: small data');
  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
  // Autosave runs every few seconds while the document is dirty: wait until the host holds the
  // note (slot 'studio', the renderer's AUTOSAVE_KEY), not for a number of seconds.
  await expect.poll(async () => JSON.stringify(await studio.service.recoverAutosave('studio')), { timeout: 30_000 }).toContain('Why this learner: small data');
  await page.reload();
  await expect(page.getByTestId('recover-banner')).toBeVisible();
  await page.getByTestId('recover-open').click();
  await expect(page.getByTestId('node-train')).toBeVisible();
  await expect(page.locator('[data-testid^="note-"] textarea')).toHaveValue('Why this learner: small data');
  await expect(page.getByTestId('dirty-dot')).toBeVisible();
  await page.getByTestId('btn-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('node-train').click();
  await screen(page, 'recovered-dark');
});

test('copy, paste, duplicate, select all, group and tidy', async ({ page }) => {
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 140, 120);
  await dragNode(page, 'ml.train', 440, 120);
  await connect(page, 'handle-load_csv-out-table', 'handle-train-in-table');
  await expect.poll(() => edgeCount(page)).toBe(1);

  await page.getByTestId('node-train').click();
  await page.keyboard.press('Control+D');
  await expect(page.getByTestId('node-train_2')).toBeVisible();

  // Both nodes and the edge between them travel together.
  await page.getByTestId('canvas').click({ position: { x: 20, y: 200 } });
  await page.keyboard.press('Control+A');
  await expect(page.locator('.react-flow__node-card.selected')).toHaveCount(3);
  await page.keyboard.press('Control+C');
  await page.keyboard.press('Control+V');
  await expect(page.locator('.react-flow__node-card')).toHaveCount(6);
  await expect.poll(() => edgeCount(page)).toBe(2);

  await page.keyboard.press('Control+G');
  await expect(page.locator('[data-testid^="group-"]')).toHaveCount(1);
  await page.getByTestId('btn-layout').click();
  // Tidy lays out in a worker: wait for its step before reading positions and undoing.
  await expect(page.getByTestId('btn-undo')).toHaveAttribute('title', /Auto-layout/);
  const a = await page.getByTestId('node-load_csv').boundingBox();
  const b = await page.getByTestId('node-train').boundingBox();
  expect(a && b && a.x < b.x).toBe(true);
  await screen(page, 'copy-paste-group');
  await page.keyboard.press('Control+Z');
  await page.keyboard.press('Control+Z');
  await expect(page.locator('[data-testid^="group-"]')).toHaveCount(0);
});

test('dragging a group by its head moves its nodes together, as one undoable step', async ({ page }) => {
  await newPipeline(page);
  await dragNode(page, 'data.load_csv', 140, 140);
  await dragNode(page, 'ml.train', 440, 260);
  await page.getByTestId('canvas').click({ position: { x: 20, y: 400 } });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+G');
  const group = page.locator('[data-testid^="group-"]');
  await expect(group).toHaveCount(1);
  await page.getByTestId('canvas').click({ position: { x: 20, y: 400 } });

  const at = async () => ({ load: (await page.getByTestId('node-load_csv').boundingBox())!, train: (await page.getByTestId('node-train').boundingBox())! });
  const before = await at();
  const frameBefore = (await group.boundingBox())!;
  // Grab the head right of the title (the title button and × sit at its left).
  const head = (await group.locator('.group-box__head').boundingBox())!;
  const sx = head.x + head.width - 60;
  const sy = head.y + head.height / 2;
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  await page.mouse.move(sx + 60, sy + 40, { steps: 8 });
  await page.mouse.move(sx + 120, sy + 70, { steps: 8 });
  await page.mouse.up();

  const after = await at();
  const dx = after.load.x - before.load.x;
  const dy = after.load.y - before.load.y;
  // Both members move by the same delta, the pointer's give or take the 10 px snap grid.
  expect(Math.abs(dx - 120)).toBeLessThanOrEqual(10);
  expect(Math.abs(dy - 70)).toBeLessThanOrEqual(10);
  expect(after.train.x - before.train.x).toBeCloseTo(dx, 0);
  expect(after.train.y - before.train.y).toBeCloseTo(dy, 0);
  // The frame follows its nodes.
  const frameAfter = (await group.boundingBox())!;
  expect(frameAfter.x - frameBefore.x).toBeCloseTo(dx, 0);
  expect(frameAfter.y - frameBefore.y).toBeCloseTo(dy, 0);
  await screen(page, 'group-dragged');

  // One step back puts every member where it was.
  await page.getByTestId('btn-undo').click();
  await expect.poll(async () => (await page.getByTestId('node-load_csv').boundingBox())!.x).toBeCloseTo(before.load.x, 0);
  const undone = await at();
  expect(undone.load.y).toBeCloseTo(before.load.y, 0);
  expect(undone.train.x).toBeCloseTo(before.train.x, 0);
  expect(undone.train.y).toBeCloseTo(before.train.y, 0);
  await expect(group).toHaveCount(1);

  // The head still renames (double-click) and ungroups (×) the group: a press there is not only a drag.
  await group.locator('.group-box__title').dblclick();
  await group.getByLabel('Group title').fill('Inputs');
  await group.getByLabel('Group title').press('Enter');
  await expect(group.locator('.group-box__title')).toHaveText('Inputs');
  await group.getByRole('button', { name: 'Ungroup Inputs' }).click();
  await expect(group).toHaveCount(0);
});
