/**
 * The studio uses what its host offers: the OS's own open and save dialogs and native menu
 * commands on the desktop (a desktop-like host in Chromium: support/desktop-host.ts), its in-app
 * file browser in a browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './support/fixtures.ts';
import { pipelineFile, screen, writePipeline } from './support/studio.ts';
import { asDesktop, menuCommand, probe, setDialogAnswers } from './support/desktop-host.ts';

const loadOnly = (name: string) => pipelineFile(name, [{ id: 'load', type: 'data.load_csv', params: { path: 'datasets/digits.test.csv' } }], []);

test('on the desktop, Open and Save as show the OS dialogs, and menu commands and double-clicked files reach the studio', async ({ page, workDir }) => {
  test.setTimeout(90_000);
  const first = writePipeline(workDir, 'first.flow.json', loadOnly('First'));
  const second = writePipeline(workDir, 'second.flow.json', loadOnly('Second'));
  await asDesktop(page);

  // Open… : the OS dialog (starting in the studio's folder), never the in-app browser.
  await setDialogAnswers(page, { open: first });
  await page.getByTestId('start-open').click();
  await expect(page.getByTestId('file-name')).toContainText('first.flow.json');
  await expect(page.getByTestId('open-dialog')).toHaveCount(0);
  expect((await probe(page)).dialogCalls).toEqual([['open', workDir]]);
  await screen(page, 'desktop-opened-through-native-dialog');

  // Cancel in the OS dialog changes nothing.
  await setDialogAnswers(page, { open: null });
  await page.getByTestId('btn-open').click();
  await expect.poll(async () => (await probe(page)).dialogCalls.length).toBe(2);
  expect((await probe(page)).dialogCalls[1]).toEqual(['open', workDir]); // the open file's folder
  await expect(page.getByTestId('file-name')).toContainText('first.flow.json');
  await expect(page.getByTestId('open-dialog')).toHaveCount(0);

  // File > Save As… from the menu: the OS save dialog proposes the file; a name without
  // .flow.json gets it.
  await setDialogAnswers(page, { save: join(workDir, 'copy') });
  await menuCommand(page, { command: 'save-as' });
  await expect(page.getByTestId('file-name')).toContainText('copy.flow.json');
  expect((await probe(page)).dialogCalls[2]).toEqual(['save', first]);
  expect(JSON.parse(readFileSync(join(workDir, 'copy.flow.json'), 'utf8')).name).toBe('First');
  await expect(page.getByTestId('save-as-dialog')).toHaveCount(0);

  // View > Canvas / JSON and Help > Keyboard Shortcuts run what their keys run.
  await menuCommand(page, { command: 'toggle-json' });
  await expect(page.getByTestId('json-view')).toBeVisible({ timeout: 30_000 }); // the editor loads on first use
  await menuCommand(page, { command: 'toggle-json' });
  await expect(page.getByTestId('canvas')).toBeVisible();
  await menuCommand(page, { command: 'shortcuts' });
  await expect(page.getByTestId('help-dialog')).toBeVisible();
  await page.keyboard.press('Escape');

  // A file double-clicked in the OS while the studio runs: opened in this window.
  await menuCommand(page, { command: 'open-path', path: second });
  await expect(page.getByTestId('file-name')).toContainText('second.flow.json');
  expect(existsSync(join(workDir, 'copy.flow.json'))).toBe(true);
});

test('in a browser, Open and Save as keep the in-app file browser', async ({ page }) => {
  await page.getByTestId('start-open').click();
  await expect(page.getByTestId('open-dialog')).toBeVisible();
  await expect(page.getByTestId('file-browser')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('start-new').click();
  await page.getByTestId('btn-save-as').click();
  await expect(page.getByTestId('save-as-dialog')).toBeVisible();
});
