/**
 * The studio's Models view and Report button (docs/lifecycle.md, docs/reports.md): versions registered by `flowline
 * export`, promoted with a reason through the registry's own gates, the stage and the audit line
 * shown; a gate's refusal named; and the last run's report written where the user says, then shown.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { openFile, screen, writePipeline } from './support/studio.ts';
import { gatedCsv, gatedPipeline } from '../support/gated-pipeline.ts';
import { asDesktop, menuCommand, probe, setDialogAnswers } from './support/desktop-host.ts';

const pipeline = (minAccuracy: number) => gatedPipeline('Scores', 'scores.csv', [{ kind: 'metric', metric: 'evaluate.accuracy', op: '>=', value: minAccuracy }]);

test('the Models view promotes a version with a reason (stage and audit line shown), names a refusing gate, and Report writes the last run\'s report', async ({ page, workDir }) => {
  test.setTimeout(120_000);
  // Two versions, exported from the command line in an earlier session.
  const csv = (from: number) => gatedCsv(from, 200);
  const file = writePipeline(workDir, 'scores.flow.json', pipeline(0.6));
  const { main } = await import('../../core/host/cli.ts');
  const { NODES } = await import('../../nodes/index.ts');
  const { WORKER_TASKS } = await import('../../core/host/worker-tasks.ts');
  const { captureIo } = await import('../support/capture-io.ts');
  for (const [from, out] of [[0, 'm1.onnx'], [200, 'm2.onnx']] as const) {
    writeFileSync(join(workDir, 'scores.csv'), csv(from));
    const { io, out: text } = captureIo();
    expect(await main(['export', 'onnx', file, '--node', 'train', '--out', join(workDir, out)], { nodes: NODES, tasks: WORKER_TASKS }, io), text.stderr).toBe(0);
  }

  await openFile(page, file);
  await expect(page.getByTestId('node-train')).toBeVisible();

  // Report before any run in the studio: said plainly, no dialog.
  await page.getByTestId('btn-report').click();
  const noRun = page.locator('.toast', { hasText: 'has not run yet' });
  await expect(noRun).toBeVisible();
  await noRun.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('report-dialog')).toHaveCount(0);

  await page.getByTestId('tab-models').click();
  const table = page.getByTestId('models');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('stage-v1')).toHaveText('candidate');
  await expect(page.getByTestId('model-v1')).toContainText('logistic_regression');
  await expect(page.getByTestId('model-v1')).toContainText('data scores.csv');
  await expect(page.getByTestId('model-v1')).toContainText('evaluate.accuracy');

  // Promote needs a reason.
  await page.getByTestId('promote-v1').click();
  await expect(page.getByTestId('models-confirm')).toBeDisabled();
  await page.getByTestId('models-reason').fill('first model for the pilot');
  await page.getByTestId('models-confirm').click();
  await expect(page.getByTestId('stage-v1')).toHaveText('production');
  await expect(page.getByTestId('models-done')).toContainText('v1 is in production (1 gate passed)');
  const audit = page.getByTestId('models-audit');
  await expect(audit.locator('tbody tr').first()).toContainText('promote');
  await expect(audit.locator('tbody tr').first()).toContainText('first model for the pilot');
  await expect(audit.locator('tbody tr').first()).toContainText('evaluate.accuracy >= 0.6');
  const lines = readFileSync(join(workDir, '.flowline', 'models', 'audit.jsonl'), 'utf8').trim().split('\n');
  expect(JSON.parse(lines.at(-1)!)).toMatchObject({ action: 'promote', version: 'v1', reason: 'first model for the pilot' });
  await screen(page, 'models-view-promoted');
  await audit.scrollIntoViewIfNeeded();
  await screen(page, 'models-view-audit');
  await page.getByTestId('btn-theme').click();
  await screen(page, 'models-view-promoted-dark');
  await page.getByTestId('btn-theme').click();

  // A stricter gate in the pipeline file (v2 measured 0.96): the refusal names it, with what was measured and the bound.
  writePipeline(workDir, 'scores.flow.json', pipeline(0.99));
  await page.getByTestId('promote-v2').click();
  await page.getByTestId('models-reason').fill('newer data');
  await page.getByTestId('models-confirm').click();
  const refused = page.getByTestId('models-refused');
  await expect(refused).toContainText('v2 was not promoted');
  await expect(refused).toContainText('gate "evaluate.accuracy >= 0.99" failed: measured 0.96, bound >= 0.99');
  await expect(page.getByTestId('stage-v2')).toHaveText('candidate');
  await expect(audit.locator('tbody tr').first()).toContainText('promote-refused');
  await screen(page, 'models-view-refused');

  // The model card written with the export, shown as it opens in a browser.
  await page.getByTestId('card-v1').click();
  await expect(page.frameLocator('[data-testid=html-dialog-frame]').locator('h1')).toContainText('Model card');
  await expect(page.getByTestId('html-dialog-file')).toContainText(join(workDir, 'm1.card.html'));
  await page.keyboard.press('Escape');

  // Run (the CLI's exports cached it), then Report: written where chosen, and shown.
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('node-status-evaluate')).toHaveAttribute('data-status', /done|cached/, { timeout: 60_000 });
  await page.getByTestId('btn-report').click();
  await expect(page.getByTestId('report-dialog')).toBeVisible();
  await expect(page.getByTestId('report-path')).toHaveValue('scores-report.html');
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('html-dialog')).toBeVisible({ timeout: 30_000 });
  const written = join(workDir, 'scores-report.html');
  await expect(page.getByTestId('html-dialog-file')).toContainText(written);
  expect(existsSync(written)).toBe(true);
  const frame = page.frameLocator('[data-testid=html-dialog-frame]');
  await expect(frame.locator('h1')).toContainText('Scores');
  await expect(frame.locator('svg').first()).toBeVisible();
  expect(readFileSync(written, 'utf8')).toContain('evaluate');
  await screen(page, 'report-written');
  // The dialogs in the dark theme too (written again, over the same file: the user chose it).
  await page.keyboard.press('Escape');
  await page.getByTestId('btn-theme').click();
  await page.getByTestId('btn-report').click();
  await screen(page, 'report-dialog-dark');
  await page.getByTestId('report-submit').click();
  await expect(frame.locator('h1')).toContainText('Scores', { timeout: 30_000 });
  await screen(page, 'report-written-dark');
});

test('on the desktop, Run > Write Run Report… asks the OS save dialog for an .html file beside the pipeline and writes the report there', async ({ page, workDir }) => {
  writeFileSync(join(workDir, 'scores.csv'), gatedCsv(0, 40));
  const file = writePipeline(workDir, 'scores.flow.json', { ...gatedPipeline('Scores', 'scores.csv', []), nodes: [{ id: 'load', type: 'data.load_csv', version: 1, params: { path: 'scores.csv' } }], edges: [] });
  await asDesktop(page);
  await setDialogAnswers(page, { open: file });
  await page.getByTestId('start-open').click();
  await expect(page.getByTestId('file-name')).toContainText('scores.flow.json');
  await page.getByTestId('btn-run').click();
  await expect(page.getByTestId('node-status-load')).toHaveAttribute('data-status', /done|cached/, { timeout: 60_000 });

  const chosen = join(workDir, 'for-the-board.html');
  await setDialogAnswers(page, { save: chosen });
  await menuCommand(page, { command: 'report' }); // Run > Write Run Report…
  await expect(page.getByTestId('html-dialog-file')).toContainText(chosen, { timeout: 30_000 });
  expect((await probe(page)).dialogCalls.at(-1)).toEqual(['save', join(workDir, 'scores-report.html'), 'report']);
  await expect(page.getByTestId('report-dialog')).toHaveCount(0); // not the in-app browser
  expect(readFileSync(chosen, 'utf8')).toContain('<h1>Scores</h1>');
});
