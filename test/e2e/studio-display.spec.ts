/**
 * How the studio reads to a newcomer: help on every node, readable dates and numbers, icons that
 * need no emoji font, one-sentence hints.
 */
import { expect, test } from './support/fixtures.ts';
import { dragNode, newPipeline, screen } from './support/studio.ts';

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
