/**
 * Electron main: one secure window showing the studio from a privileged `app://` scheme (not
 * file://), and one ipcMain handler per contract method, each checking the sender's origin and
 * parsing the arguments with zod before relaying the call to the service process. The host
 * service (core/host/service.ts, the same code the web host runs) and its worker pool live in a
 * utilityProcess (electron/service/index.ts), so no pipeline work shares this process's event
 * loop with the window, menus and dialogs.
 *
 * Main answers the native dialog calls itself (it owns the window), builds the native menus
 * (menu.ts), tells the OS about recent files, and forwards pipelines the OS asks to open
 * (open-requests.ts) to the window as studio commands.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { API_METHOD_NAMES } from '../../core/host/api.ts';
import { parseArgs } from '../../core/host/service/methods.ts';
import { APP_ROOT, DEFAULT_RENDERER_DIR, STUDIO_CSP } from '../../core/host/service/state-dir.ts';
import { IPC_COMMAND_CHANNEL, IPC_EVENT_CHANNEL, ipcChannel, type IpcReply } from '../ipc.ts';
import { toErrorInfo } from '../../core/spec/errors.ts';
import { serviceClient, type FromService } from '../service/channel.ts';
import { MIN_SIZE, restoreWindowState, saveWindowState } from './window-state.ts';
import type { BrowserWindowInstance, ElectronMain, IpcMainInvokeEvent, WebContents } from './electron-api.ts';
import { dockMenuTemplate, jumpListFor, menuTemplate, type Platform } from './menu.ts';
import { nativeDialogs } from './native-dialogs.ts';
import { CredentialStore } from './credential-store.ts';
import { OpenForwarder, pipelinePathsIn } from './open-requests.ts';
import type { ApiMethod, DatabaseConnection, RecentFile, StudioCommand } from '../../core/host/api.ts';

const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://flowline`;
const PRELOAD = join(APP_ROOT, 'out', 'preload', 'index.cjs');
/** Defined (true) by `npm run build`: the service process then starts from its bundle. */
declare const __FLOWLINE_BUNDLE__: boolean | undefined;
const SERVICE_ENTRY = typeof __FLOWLINE_BUNDLE__ !== 'undefined' ? join(APP_ROOT, 'out', 'service', 'index.js') : join(APP_ROOT, 'electron', 'service', 'bootstrap.mjs');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

// A variable specifier keeps type-checking independent of the optional `electron` package.
const ELECTRON_MODULE: string = 'electron';
const loaded = (await import(ELECTRON_MODULE)) as ElectronMain & { default?: ElectronMain };
const electron: ElectronMain = loaded.default ?? loaded;
const { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell, utilityProcess } = electron;
const platform = process.platform as Platform;

/** The window commands go to (created again on macOS, where the app outlives its windows). */
function studioWindow(): BrowserWindowInstance | undefined {
  return BrowserWindow.getAllWindows().find((w) => !w.isDestroyed());
}
function focusWindow(): void {
  const win = studioWindow();
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.focus();
}
function sendCommand(command: StudioCommand): void {
  if (command.command === 'open-path') return ensureWindow(), opens.request([command.path]);
  ensureWindow();
  const win = studioWindow();
  if (win && !win.webContents.isDestroyed()) win.webContents.send(IPC_COMMAND_CHANNEL, command);
}
/** Files the OS asks to open wait until the studio has loaded (open-requests.ts). */
const opens = new OpenForwarder({ send: (command) => studioWindow()?.webContents.send(IPC_COMMAND_CHANNEL, command), focus: focusWindow });

// One Flowline at a time: a second start hands over to the running one (which comes to the front,
// opening the files it was started with) and exits before it forks a service or opens a window.
if (!app.requestSingleInstanceLock()) app.exit(0);
let appReady = false;
/** macOS keeps running with no window: a file asked for then gets a new one. */
const ensureWindow = () => {
  if (appReady && !studioWindow()) createWindow();
};
app.on('second-instance', (_event, argv, workingDirectory) => {
  ensureWindow();
  focusWindow();
  opens.request(pipelinePathsIn(argv, workingDirectory, platform));
});
// macOS: a double-clicked file, or one dropped on the dock icon (may come before 'ready').
app.on('open-file', (event, path) => {
  event.preventDefault();
  ensureWindow();
  opens.request(pipelinePathsIn(['', path], process.cwd(), platform));
});
opens.request(pipelinePathsIn(process.argv, process.cwd(), platform));

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
app.enableSandbox();

/** scheme://host of a URL. (Node's URL gives custom schemes such as app: an opaque "null" origin.) */
const originOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
};
/** Links the studio may open outside the app: https and mail only (security checklist #15). */
const isAllowedExternal = (url: string) => {
  try {
    return ['https:', 'mailto:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
};

app.on('web-contents-created', (_event, wc: WebContents) => {
  wc.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-navigate', (event, url) => {
    if (originOf(url) !== APP_ORIGIN) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (originOf(url) !== APP_ORIGIN) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
});

await app.whenReady();
appReady = true;

session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
session.defaultSession.setPermissionCheckHandler(() => false);

const rendererDir = resolve(DEFAULT_RENDERER_DIR);
protocol.handle(SCHEME, async (request) => {
  const url = new URL(request.url);
  const headers = { 'Content-Security-Policy': STUDIO_CSP, 'X-Content-Type-Options': 'nosniff' };
  if (url.host !== 'flowline') return new Response('Not found', { status: 404, headers });
  const path = decodeURIComponent(url.pathname);
  let file = resolve(rendererDir, '.' + (path === '/' ? '/index.html' : path));
  if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403, headers });
  try {
    const body = await readFile(file);
    return new Response(body, { headers: { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' } });
  } catch {
    if (extname(path)) return new Response('Not found', { status: 404, headers });
    file = join(rendererDir, 'index.html');
    const body = await readFile(file).catch(() => Buffer.from(NOT_BUILT));
    return new Response(body, { headers: { ...headers, 'Content-Type': MIME['.html'] } });
  }
});

const serviceProcess = utilityProcess.fork(SERVICE_ENTRY, [JSON.stringify({ stateDir: app.getPath('userData'), cwd: app.getPath('documents') })], { serviceName: 'Flowline service', cwd: APP_ROOT });
const service = serviceClient({ post: (m) => serviceProcess.postMessage(m), onMessage: (l) => serviceProcess.on('message', (m) => l(m as FromService)) });
serviceProcess.on('exit', (code) => service.stopped(`exit code ${code}`));

/** Only our own window, showing our own origin, may call the host (security checklist #17). */
function senderAllowed(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  return !!url && originOf(url) === APP_ORIGIN && BrowserWindow.fromWebContents(event.sender) !== null;
}

const dialogs = nativeDialogs(dialog, platform);
// Database logins live encrypted in the OS keychain (main's safeStorage); the service process,
// which runs the queries, holds them in memory only: every saved one is handed to it at start.
const credentials = new CredentialStore(app.getPath('userData'), safeStorage);
for (const connection of credentials.all()) void service.call('saveConnection', [connection]);
/** Calls main answers itself, for the window that asked. */
const inMain: Partial<Record<ApiMethod, (win: BrowserWindowInstance, args: unknown[]) => Promise<unknown>>> = {
  chooseOpenPath: (win, [dir]) => dialogs.chooseOpenPath(win, dir as string | undefined),
  chooseSavePath: (win, [suggested, kind]) => dialogs.chooseSavePath(win, suggested as string | undefined, kind as 'pipeline' | 'report' | undefined),
  listConnections: async () => credentials.list(),
  saveConnection: async (_win, [connection]) => {
    const info = credentials.save(connection as DatabaseConnection); // refuses, saying why, without a keychain
    await relay('saveConnection', [connection]);
    return info;
  },
  forgetConnection: async (_win, [name]) => {
    credentials.forget(name as string);
    await relay('forgetConnection', [name]);
  },
};
/** A call to the service whose failure is an error here. */
async function relay(method: ApiMethod, args: unknown[]): Promise<unknown> {
  const reply = await service.call(method, args);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.result;
}
/** Calls whose answer names a file the user opened or saved: it goes on the OS's recent list. */
const OPENS_A_FILE = new Set<ApiMethod>(['openPipeline', 'savePipeline', 'copyTemplate']);

for (const method of API_METHOD_NAMES) {
  ipcMain.handle(ipcChannel(method), async (event, ...args): Promise<IpcReply> => {
    if (!senderAllowed(event)) return { ok: false, error: { code: 'INTERNAL', message: 'Refused: this call did not come from the Flowline window.' } };
    let parsed: unknown[];
    try {
      parsed = parseArgs(method, args);
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
    const local = inMain[method];
    if (local) {
      try {
        return { ok: true, result: await local(BrowserWindow.fromWebContents(event.sender)!, parsed) };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    }
    const reply = await service.call(method, parsed);
    if (reply.ok && OPENS_A_FILE.has(method)) noteRecent((reply.result as { path: string }).path);
    return reply;
  });
}

/** The menus with the current recent files; the OS's recent list, dock menu (macOS) and jump list (Windows). */
function installMenus(recent: readonly RecentFile[]): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform, appName: app.getName(), recent, devTools: !app.isPackaged, send: sendCommand })));
  if (platform === 'darwin') app.dock?.setMenu(Menu.buildFromTemplate(dockMenuTemplate(recent, sendCommand)));
  if (platform === 'win32') app.setJumpList?.(jumpListFor(recent, process.execPath));
}
async function refreshRecent(): Promise<void> {
  const reply = await service.call('recentFiles', []);
  installMenus(reply.ok ? (reply.result as RecentFile[]) : []);
}
function noteRecent(path: string): void {
  app.addRecentDocument(path);
  void refreshRecent();
}
installMenus([]);
void refreshRecent();

service.onEvent((event) => {
  for (const win of BrowserWindow.getAllWindows()) if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, event);
});

/** Windows whose studio has agreed to close (or that are closing as the app quits). */
const mayClose = new WeakSet<BrowserWindowInstance>();

/** The studio's own answer (window.flowlineStudio.requestClose, renderer/src/store/files.ts); yes when it cannot answer. */
function studioAllowsClose(win: BrowserWindowInstance): Promise<boolean> {
  if (win.isDestroyed() || win.webContents.isDestroyed()) return Promise.resolve(true);
  return win.webContents
    .executeJavaScript('window.flowlineStudio ? window.flowlineStudio.requestClose() : true', true)
    .then((answer) => answer !== false)
    .catch(() => true);
}

function createWindow(): void {
  const stateDir = app.getPath('userData');
  const { bounds, maximized } = restoreWindowState(stateDir, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Flowline',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    },
  });
  if (maximized) win.maximize();
  opens.notReady();
  win.on('close', (event) => {
    saveWindowState(stateDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    if (mayClose.has(win)) return;
    // Unsaved changes: the studio asks (Save · Don't save · Cancel); the window closes only on its yes.
    event.preventDefault();
    void studioAllowsClose(win).then((ok) => {
      if (!ok) return;
      mayClose.add(win);
      win.close();
    });
  });
  win.once('ready-to-show', () => win.show());
  // The preload keeps commands until the studio subscribes, so a loaded page can take them.
  win.webContents.on('did-finish-load', () => opens.ready());
  win.webContents.on('did-start-loading', () => opens.notReady());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

createWindow();
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow();
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  // Every window's unsaved changes first (a Cancel keeps the app running), then cancel runs and
  // stop workers before leaving, so no half-written cache entry is left behind.
  void (async () => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!(await studioAllowsClose(win))) {
        quitting = false;
        return;
      }
      mayClose.add(win);
    }
    await service.dispose().catch(() => undefined);
    app.exit(0);
  })();
});

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Flowline</title>
<body style="font-family: system-ui, sans-serif; margin: 4rem"><h1>The studio has not been built yet</h1>
<p>Run <code>npm run build</code> in the Flowline folder, then start again.</p></body>`;
