/**
 * The e2e `test`: each test gets its own web host (free port, temp state folder) serving the built
 * studio, a temp working folder holding a copy of test/fixtures (so tests may write freely), and a
 * `page` already on the studio URL. A network guard fails the test on any request that leaves
 * 127.0.0.1 (the studio must work offline: no CDN, no telemetry, no fonts from elsewhere).
 *
 *   import { test, expect } from './support/fixtures.ts';
 *   test('...', async ({ page, studio, workDir }) => { ... });
 */
import { test as base, expect, type Page } from '@playwright/test';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startWebHost, type WebHost } from '../../../core/host/web-host.ts';
import { NODES } from '../../../nodes/index.ts';
import { WORKER_TASKS } from '../../../core/host/worker-tasks.ts';
import { hasChromium, NO_CHROMIUM } from './chromium.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES_DIR = join(ROOT, 'test', 'fixtures');

export interface StudioFixtures {
  /** The running web host (url carries the token). */
  studio: WebHost;
  /** The studio URL with its token. */
  hostUrl: string;
  /** A temp folder with a copy of test/fixtures; the file pickers start here. */
  workDir: string;
  /** Requests that tried to leave 127.0.0.1 (the guard aborts them and fails the test). */
  outsideRequests: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  /** The web host's WebSocket message limit (default: the host's own). */
  maxMessageBytes: number | undefined;
  /** Skips the test, before any browser starts, where there is no Chromium. */
  needsChromium: void;
}

const isLocal = (url: string): boolean => {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
    return u.hostname === '127.0.0.1';
  } catch {
    return false;
  }
};

/** Abort and record every request to anywhere but 127.0.0.1, including WebSockets. */
export async function guardNetwork(page: Page, outside: string[]): Promise<void> {
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url())) outside.push(ws.url());
  });
}

export const test = base.extend<StudioFixtures>({
  maxMessageBytes: [undefined, { option: true }],
  needsChromium: [
    async ({}, use, testInfo) => {
      testInfo.skip(!hasChromium, NO_CHROMIUM);
      await use();
    },
    { auto: true },
  ],

  workDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-e2e-work-'));
    cpSync(FIXTURES_DIR, dir, { recursive: true });
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },

  studio: async ({ workDir, maxMessageBytes }, use) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'flowline-e2e-state-'));
    const host = await startWebHost({ nodes: NODES, tasks: WORKER_TASKS, port: 0, stateDir, cwd: workDir, openBrowser: false, maxMessageBytes });
    await use(host);
    await host.close();
    rmSync(stateDir, { recursive: true, force: true });
  },

  hostUrl: async ({ studio }, use) => {
    await use(studio.url);
  },

  outsideRequests: async ({}, use) => {
    const list: string[] = [];
    await use(list);
    expect(list, 'the studio must make no request outside 127.0.0.1').toEqual([]);
  },

  pageErrors: async ({}, use) => {
    await use([]);
  },

  page: async ({ page, hostUrl, outsideRequests, pageErrors }, use) => {
    await guardNetwork(page, outsideRequests);
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(hostUrl);
    await use(page);
  },
});

export { expect };
