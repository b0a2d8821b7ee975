import { defineConfig, devices } from '@playwright/test';
import { resolve } from 'node:path';
import { CHROMIUM, hasChromium, NO_CHROMIUM } from './support/chromium.ts';

/**
 * End-to-end tests drive the real renderer (built by `npm run build` into out/renderer) in
 * Debian's Chromium, against the web host started by test/e2e/support/fixtures.ts. Nothing is
 * downloaded: the browser is /usr/bin/chromium (apt-get install chromium) or FLOWLINE_CHROMIUM; without
 * it every test is skipped (support/fixtures.ts) and the run says so in one loud line.
 * An Electron project can join when node_modules/electron/path.txt exists (not on this machine).
 */
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

// Workers load this file too: the runner alone says it, once.
if (!hasChromium && process.env.TEST_WORKER_INDEX === undefined) console.warn(`\n${NO_CHROMIUM}\n`);

// Playwright empties its output folder when a run starts: two runs at once (several people on one
// machine) need different folders, e.g. FLOWLINE_E2E_OUT=test-results/e2e-mine.
const OUT = process.env.FLOWLINE_E2E_OUT ? resolve(process.env.FLOWLINE_E2E_OUT) : '../../test-results/e2e';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: OUT,
  // 2 cores shared with other work: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: `${OUT}-report`, open: 'never' }]],
  use: {
    ...devices['Desktop Chrome'],
    headless: true,
    screenshot: 'on',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'web' }],
});
