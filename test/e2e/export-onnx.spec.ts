/**
 * Export from the studio: select the Train node of the penguins example, Export ONNX, read the
 * verification report in the dialog. The screenshot (test-results/screens/export-onnx-dialog.png)
 * is the dialog as a user sees it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { screen } from './support/studio.ts';

test.use({ viewport: { width: 1280, height: 860 } });

test('export the penguins model from the studio and read the verification report', async ({ page, workDir, pageErrors }) => {
  test.setTimeout(150_000);
  await page.getByTestId('template-penguins-species').click();
  await expect(page.locator('.react-flow__node-card').first()).toBeVisible();

  // only a node that makes a model can export
  await page.getByTestId('node-evaluate').click();
  await expect(page.getByTestId('btn-export')).toBeDisabled();
  await page.getByTestId('node-train').click();
  await expect(page.getByTestId('btn-export')).toBeEnabled();
  await expect(page.getByTestId('inspector-export')).toBeVisible();

  await page.getByTestId('btn-export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await page.getByTestId('export-submit').click();
  await expect(page.getByTestId('export-status')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('export-status')).toContainText('Exported and verified');
  const labels = await page.getByTestId('export-report-labels').innerText();
  const [agree, of] = labels.match(/\d+/g)!.map(Number);
  expect(agree).toBe(of);
  expect(of).toBeGreaterThan(50);
  await expect(page.getByTestId('export-report')).toContainText("held-out rows scored by 'evaluate' (from 'split')");
  await expect(page.getByTestId('export-file')).toHaveText(join(workDir, 'train.onnx'));
  expect(existsSync(join(workDir, 'train.onnx'))).toBe(true);
  // the run behind the export shows on the canvas
  await expect(page.getByTestId('node-status-evaluate')).toHaveAttribute('data-status', /done|cached/);
  await screen(page, 'export-onnx-dialog');
  expect(pageErrors).toEqual([]);
});
