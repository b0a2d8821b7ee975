import { accessSync, constants } from 'node:fs';

/**
 * The browser the end-to-end tests drive: Debian's Chromium (apt-get install chromium), or the
 * executable FLOWLINE_CHROMIUM names. Without it the e2e tests are skipped, and the run says so in
 * one loud line (playwright.config.ts), so `npm test` passes where there is no browser.
 */
export const CHROMIUM = process.env.FLOWLINE_CHROMIUM ?? '/usr/bin/chromium';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const hasChromium = executable(CHROMIUM);

export const NO_CHROMIUM = `*** Chromium not found at ${CHROMIUM}: the end-to-end tests are SKIPPED, not passed (apt-get install chromium) ***`;
