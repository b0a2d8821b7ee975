/**
 * The desktop app itself, through Playwright's Electron driver: open the penguins template from
 * the start screen, run it, read the held-out accuracy, save it. Runs wherever Electron's binary is
 * installed (CI runners with network); where it is not (an offline machine), it reports itself
 * skipped with the reason. Needs `npm run build` (it starts out/main/index.js, the packaged main).
 *
 *   npx playwright test -c test/e2e/playwright.config.ts electron
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

/** Electron's binary, or why there is none (as bin/start.js decides). */
function findElectron(): { binary?: string; reason?: string } {
  let dir: string;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the optional "electron" package is not installed' };
  }
  if (!existsSync(join(dir, 'path.txt'))) return { reason: "Electron's binary was never downloaded (npm ran no install scripts, or the machine is offline)" };
  const binary = require('electron') as unknown as string;
  return existsSync(binary) ? { binary } : { reason: `the Electron binary ${binary} is missing` };
}

const found = findElectron();
if (!found.binary && process.env.TEST_WORKER_INDEX === undefined) console.warn(`\n*** Electron end-to-end test SKIPPED, not passed: ${found.reason} ***\n`);

test('electron: open the penguins template, run it, see its accuracy, save it', async () => {
  test.skip(!found.binary, found.reason);
  test.setTimeout(120_000);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const app = await electron.launch({ executablePath: found.binary, args: [join(ROOT, 'out', 'main', 'index.js')], cwd: ROOT, env });
  try {
    const page = await app.firstWindow();
    await page.getByTestId('template-penguins-species').click();
    await expect(page.getByTestId('file-name')).toContainText('unsaved');
    await page.getByTestId('btn-run').click();
    await expect(page.getByTestId('node-status-evaluate')).toHaveAttribute('data-status', /done|cached/, { timeout: 90_000 });
    await page.getByTestId('node-evaluate').click();
    await page.getByTestId('tab-results').click();
    const accuracy = Number(await page.getByTestId('metric-value-accuracy').innerText());
    expect(accuracy).toBeGreaterThan(0.9);

    const documents = await app.evaluate(({ app: electronApp }) => electronApp.getPath('documents'));
    const file = join(documents, `flowline-e2e-${process.pid}.flow.json`);
    await page.keyboard.press(process.platform === 'darwin' ? 'Meta+S' : 'Control+S');
    await page.getByTestId('save-path').fill(file);
    await page.getByTestId('save-submit').click();
    await expect(page.getByTestId('dirty-dot')).toHaveCount(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toContain('evaluate');
    rmSync(file, { force: true });
  } finally {
    await app.close();
  }
});
