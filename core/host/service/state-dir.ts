import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Flowline keeps recent files, trust store, autosave and cache, per platform conventions. */
export function defaultStateDir(): string {
  if (process.env.FLOWLINE_STATE_DIR) return process.env.FLOWLINE_STATE_DIR;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Flowline');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Flowline');
  return join(process.env.XDG_STATE_HOME ?? join(home, '.local', 'state'), 'flowline');
}

/** The repository (or unpacked app) root: core/host/service/ is three levels down. */
export const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const DEFAULT_TEMPLATES_DIR = join(APP_ROOT, 'templates');
export const DEFAULT_RENDERER_DIR = join(APP_ROOT, 'out', 'renderer');

/** The Content-Security-Policy of the studio page (ecosystem.md §1). */
export const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:*",
  "object-src 'none'",
].join('; ');
