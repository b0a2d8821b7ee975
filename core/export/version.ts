import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The version of Flowline running (package.json), written into exported models. */
export const FLOWLINE_VERSION: string = (() => {
  try {
    return String((JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version?: string }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
})();
