import { defineConfig, devices } from '@playwright/test';
import { resolve } from 'node:path';

/**
 * End-to-end tests drive the real renderer (built by `npm run build` into out/renderer) in
 * Debian's Chromium, against the web host started by test/e2e/support/fixtures.ts. Nothing is
 * downloaded: the browser is /usr/bin/chromium (apt-get install chromium).
 * An Electron project can join when node_modules/electron/path.txt exists (not on this machine).
 */
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

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
      executablePath: '/usr/bin/chromium',
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
