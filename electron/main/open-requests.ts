/**
 * Pipelines the OS asks Flowline to open: on its command line (a double-click on Windows and
 * Linux starts `Flowline.exe "C:\…\churn.flow.json"`), from a second start that the single-instance
 * lock hands over to the running one (its argv and working folder), and macOS's `open-file` event.
 * They wait until the studio has loaded, then go to the window as `open-path` commands, each
 * through the studio's own Open (which asks about unsaved changes first).
 */
import { posix, win32 } from 'node:path';
import type { StudioCommand } from '../../core/host/api.ts';
import type { Platform } from './menu.ts';

const PIPELINE = /\.flow\.json$/i;

/**
 * The pipeline files named on a command line, as absolute paths. The first entry is the program;
 * flags (Chromium's --original-process-start-time=…, macOS's -psn_…) and anything that is not a
 * .flow.json file (the app folder in `electron .`, a CSV) are left out. Relative paths resolve
 * against `cwd`, the folder the start came from; file:// URLs (Linux desktop files) are read as paths.
 */
export function pipelinePathsIn(argv: readonly string[], cwd: string, platform: Platform): string[] {
  const path = platform === 'win32' ? win32 : posix;
  const out: string[] = [];
  for (const raw of argv.slice(1)) {
    let arg = raw.trim().replace(/^"(.*)"$/, '$1');
    if (!arg || arg.startsWith('-')) continue;
    if (/^file:\/\//i.test(arg)) {
      const local = fromFileUrl(arg, platform);
      if (!local) continue;
      arg = local;
    }
    if (!PIPELINE.test(arg)) continue;
    const abs = path.resolve(cwd, arg);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/** A file:// URL as a local path of `platform` (Node 20's fileURLToPath knows only its own OS's shape). */
function fromFileUrl(url: string, platform: Platform): string | null {
  try {
    const u = new URL(url);
    const pathname = decodeURIComponent(u.pathname);
    if (platform !== 'win32') return u.host ? null : pathname;
    // file:///C:/Users/ann/x.flow.json, or a share: file://server/share/x.flow.json
    const local = u.host ? `//${u.host}${pathname}` : pathname.replace(/^\/([A-Za-z]:)/, '$1');
    return local.replace(/\//g, '\\');
  } catch {
    return null;
  }
}

/**
 * Holds open requests until the studio can take them (its page has loaded), then sends each one
 * and brings the window forward. Requests made after that go straight through.
 */
export class OpenForwarder {
  private queue: string[] = [];
  private isReady = false;

  constructor(private readonly target: { send(command: StudioCommand): void; focus(): void }) {}

  request(paths: readonly string[]): void {
    for (const p of paths) if (!this.queue.includes(p)) this.queue.push(p);
    if (this.isReady) this.flush();
  }

  /** The studio has loaded: send what waited. */
  ready(): void {
    this.isReady = true;
    this.flush();
  }

  /** The window went away (closed, reloading): keep requests until the next one is ready. */
  notReady(): void {
    this.isReady = false;
  }

  private flush(): void {
    if (!this.queue.length) return;
    // The studio holds one document at a time: of several files asked for at once, the last one
    // opens (opening each in turn would ask about unsaved changes once per file).
    const path = this.queue[this.queue.length - 1];
    this.queue = [];
    this.target.send({ command: 'open-path', path });
    this.target.focus();
  }
}
