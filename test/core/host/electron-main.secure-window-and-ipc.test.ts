/**
 * Electron main cannot run here (no Electron binary), so it is loaded against a stand-in
 * `electron` module that records what main asks of it: the window's security settings, the
 * navigation/permission guards, the app:// protocol, and one IPC handler per contract method that
 * checks the sender and parses the arguments. The stand-in's utilityProcess.fork starts the real
 * service entry (electron/service/) in a worker thread: every call below crosses to it and back.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_METHOD_NAMES } from '../../../core/host/api.ts';
import { emptyPipeline } from '../../../core/schema/pipeline.ts';
import { serializePipeline } from '../../../core/schema/serialize.ts';
import { tempDir } from './host-fixtures.ts';

const fake = vi.hoisted(() => {
  const state = {
    forked: [] as { path: string; args: string[]; worker: import('node:worker_threads').Worker }[],
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    schemes: [] as unknown[],
    protocolHandler: null as null | ((r: Request) => Promise<Response>),
    webContentsCreated: null as null | ((e: unknown, wc: unknown) => void),
    windows: [] as {
      options: { x?: number; y?: number; width: number; height: number; webPreferences: Record<string, unknown> };
      url?: string;
      webContents: { id: number; send: (channel: string, payload: unknown) => void; isDestroyed: () => boolean };
      normalBounds: { x: number; y: number; width: number; height: number };
      maximized: boolean;
      focused: number;
      closeListeners: ((e: { preventDefault(): void }) => void)[];
      closed: boolean;
      close(): void;
    }[],
    secondInstance: null as null | ((e: unknown, argv: string[], cwd: string) => void),
    openFile: null as null | ((e: { preventDefault(): void }, path: string) => void),
    /** Every application menu set, newest last (templates, as built by electron/main/menu.ts). */
    menus: [] as { label?: string; role?: string; submenu?: { label?: string; click?: () => void }[] }[][],
    recentDocuments: [] as string[],
    keychain: true,
    dialogCalls: [] as { kind: 'open' | 'save'; win: unknown; options: Record<string, unknown> }[],
    dialogAnswer: { canceled: false, filePaths: ['/home/ann/picked.flow.json'], filePath: '/home/ann/saved.flow.json' } as { canceled: boolean; filePaths: string[]; filePath?: string },
    /** Messages main sent to the window on a channel (run events left out). */
    sentToWindow: [] as { channel: string; payload: unknown }[],
    pageListeners: new Map<string, (() => void)[]>(),
    beforeQuit: null as null | ((e: { preventDefault(): void }) => void),
    /** What the studio answers window.flowlineStudio.requestClose() with (Cancel = false). */
    studioAnswer: true,
    scripts: [] as string[],
    exitCodes: [] as (number | undefined)[],
    permissionHandler: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
    opened: [] as string[],
    userData: '',
  };
  class BrowserWindow {
    webContents = {
      id: 1,
      send: (channel: string, payload: unknown) => void (channel !== 'flowline:event' && state.sentToWindow.push({ channel, payload })),
      isDestroyed: () => false,
      executeJavaScript: async (code: string) => (state.scripts.push(code), state.studioAnswer),
      on: (event: string, l: () => void) => void state.pageListeners.set(event, [...(state.pageListeners.get(event) ?? []), l]),
    };
    url?: string;
    closed = false;
    normalBounds = { x: 0, y: 0, width: 0, height: 0 };
    maximized = false;
    focused = 0;
    closeListeners: ((e: { preventDefault(): void }) => void)[] = [];
    constructor(readonly options: { x?: number; y?: number; width: number; height: number; webPreferences: Record<string, unknown> }) {
      state.windows.push(this);
      this.normalBounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width, height: options.height };
    }
    getNormalBounds = () => this.normalBounds;
    isMaximized = () => this.maximized;
    maximize = () => void (this.maximized = true);
    isMinimized = () => false;
    restore() {}
    focus = () => void this.focused++;
    on(event: string, l: (e: { preventDefault(): void }) => void) {
      if (event === 'close') this.closeListeners.push(l);
    }
    /** Like Electron: the close listeners run, and the window closes unless one prevents it. */
    close() {
      let prevented = false;
      for (const l of this.closeListeners) l({ preventDefault: () => (prevented = true) });
      if (!prevented) this.closed = true;
    }
    static getAllWindows = () => state.windows;
    static fromWebContents = (wc: unknown) => state.windows.find((w) => w.webContents === wc) ?? null;
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
    once() {}
    show() {}
    isDestroyed = () => false;
  }
  const utilityProcess = {
    // A utility process is a Node process with a port to main; a worker thread is the nearest thing here.
    fork: (path: string, args: string[]) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
      const worker = new Worker(path, { argv: args });
      state.forked.push({ path, args, worker });
      return {
        postMessage: (m: unknown) => worker.postMessage(m),
        on: (event: string, l: (v: unknown) => void) => worker.on(event === 'exit' ? 'exit' : 'message', l),
        kill: () => (void worker.terminate(), true),
      };
    },
  };
  const electron = {
    utilityProcess,
    app: {
      whenReady: () => Promise.resolve(),
      getPath: () => state.userData,
      on: (event: string, l: (e: unknown, wc: unknown) => void) => {
        if (event === 'web-contents-created') state.webContentsCreated = l;
        if (event === 'second-instance') state.secondInstance = l as typeof state.secondInstance;
        if (event === 'open-file') state.openFile = l as typeof state.openFile;
        if (event === 'before-quit') state.beforeQuit = l as (e: { preventDefault(): void }) => void;
      },
      requestSingleInstanceLock: () => true,
      quit() {},
      exit: (code?: number) => void state.exitCodes.push(code),
      enableSandbox() {},
      addRecentDocument: (path: string) => void state.recentDocuments.push(path),
      getName: () => 'Flowline',
      isPackaged: false,
    },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (menu: { template: (typeof state.menus)[number] }) => void state.menus.push(menu.template),
    },
    // Reversible but not readable: enough to see that nothing is stored in the clear.
    safeStorage: {
      isEncryptionAvailable: () => state.keychain,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (plain: string) => Buffer.from(`enc:${Buffer.from(plain).toString('hex')}`),
      decryptString: (data: Buffer) => Buffer.from(data.toString().slice(4), 'hex').toString(),
    },
    dialog: {
      showOpenDialog: async (win: unknown, options: Record<string, unknown>) => (state.dialogCalls.push({ kind: 'open', win, options }), state.dialogAnswer),
      showSaveDialog: async (win: unknown, options: Record<string, unknown>) => (state.dialogCalls.push({ kind: 'save', win, options }), state.dialogAnswer),
    },
    BrowserWindow,
    ipcMain: { handle: (ch: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) => state.handlers.set(ch, fn) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => state.schemes.push(...s),
      handle: (_scheme: string, fn: (r: Request) => Promise<Response>) => (state.protocolHandler = fn),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: typeof state.permissionHandler) => (state.permissionHandler = fn),
        setPermissionCheckHandler() {},
      },
    },
    shell: { openExternal: async (url: string) => void state.opened.push(url) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 2560, height: 1440 } }] },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...fake.electron, default: fake.electron }));

const { state } = fake;
beforeAll(async () => {
  state.userData = tempDir();
  // Where the window was when the last session closed it.
  writeFileSync(join(state.userData, 'window-state.json'), JSON.stringify({ bounds: { x: 300, y: 200, width: 1200, height: 800 }, maximized: false }));
  await import('../../../electron/main/index.ts');
});
afterAll(async () => {
  state.handlers.clear();
  for (const f of state.forked) await f.worker.terminate();
});

const ourWindowEvent = () => ({ sender: state.windows[0].webContents, senderFrame: { url: 'app://flowline/index.html' } });

describe('electron main', () => {
  it('opens one sandboxed, isolated window on the app:// origin with the bundled preload', () => {
    expect(state.windows).toHaveLength(1);
    expect(state.windows[0].options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(state.windows[0].options.webPreferences.preload)).toMatch(/out[/\\]preload[/\\]index\.cjs$/);
    expect(state.windows[0].url).toBe('app://flowline/index.html');
    expect(state.schemes).toMatchObject([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  });

  it('runs the host service in its own process (a worker thread here), not in main', () => {
    expect(state.forked.map((f) => f.path)).toEqual([expect.stringMatching(/electron[/\\]service[/\\]bootstrap\.mjs$/)]);
    expect(JSON.parse(state.forked[0].args[0])).toEqual({ stateDir: state.userData, cwd: state.userData });
  });

  it('opens the window where the last session closed it, and remembers where it is when closed', () => {
    state.studioAnswer = false; // the studio says Cancel: the window stays, its bounds are saved all the same
    expect(state.windows[0].options).toMatchObject({ x: 300, y: 200, width: 1200, height: 800 });
    state.windows[0].normalBounds = { x: 40, y: 60, width: 1000, height: 700 };
    state.windows[0].maximized = true;
    for (const l of state.windows[0].closeListeners) l({ preventDefault() {} }); // saved even if the studio then says Cancel
    expect(JSON.parse(readFileSync(join(state.userData, 'window-state.json'), 'utf8'))).toEqual({ bounds: { x: 40, y: 60, width: 1000, height: 700 }, maximized: true });
  });

  it('asks the studio before closing a window with unsaved changes, and stays open on Cancel', async () => {
    const win = state.windows[0];
    const asked = state.scripts.length;
    state.studioAnswer = false; // Cancel
    win.close();
    await vi.waitFor(() => expect(state.scripts).toHaveLength(asked + 1));
    expect(state.scripts.at(-1)).toContain('window.flowlineStudio.requestClose()');
    await Promise.resolve();
    expect(win.closed).toBe(false);
    state.studioAnswer = true; // Save or Don't save
    win.close();
    await vi.waitFor(() => expect(win.closed).toBe(true));
    win.closed = false;
  });

  it('brings its window to the front when Flowline is started a second time', () => {
    const before = state.windows[0].focused;
    state.secondInstance!({}, ['/opt/Flowline/flowline'], '/home/ann');
    expect(state.windows[0].focused).toBe(before + 1);
  });

  it('opens a file double-clicked while it runs in the running window, once the studio has loaded', () => {
    const commands = () => state.sentToWindow.filter((m) => m.channel === 'flowline:command').map((m) => m.payload);
    state.secondInstance!({}, ['/opt/Flowline/flowline', '--original-process-start-time=1', 'churn.flow.json', 'data.csv'], '/home/ann/work');
    expect(commands()).toEqual([]); // the page has not said it loaded yet
    for (const l of state.pageListeners.get('did-finish-load') ?? []) l();
    expect(commands()).toEqual([{ command: 'open-path', path: '/home/ann/work/churn.flow.json' }]);
    // macOS: a file dropped on the dock icon, the page already loaded.
    let prevented = false;
    state.openFile!({ preventDefault: () => (prevented = true) }, '/Users/ann/rain.flow.json');
    expect(prevented).toBe(true);
    expect(commands().at(-1)).toEqual({ command: 'open-path', path: '/Users/ann/rain.flow.json' });
  });

  it('sets native menus whose items reach the window as studio commands', () => {
    const menu = state.menus.at(-1)!;
    expect(menu.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Run', '&Help']);
    const save = menu[0].submenu!.find((i) => i.label === 'Save')!;
    save.click!();
    expect(state.sentToWindow.at(-1)).toEqual({ channel: 'flowline:command', payload: { command: 'save' } });
  });

  it('shows the native open and save dialogs for our window only, filtered to *.flow.json', async () => {
    const chooseOpen = state.handlers.get('flowline:chooseOpenPath')!;
    const chooseSave = state.handlers.get('flowline:chooseSavePath')!;
    expect(await chooseOpen(ourWindowEvent(), '/home/ann/work')).toEqual({ ok: true, result: '/home/ann/picked.flow.json' });
    expect(state.dialogCalls.at(-1)).toMatchObject({ kind: 'open', win: state.windows[0], options: { defaultPath: '/home/ann/work', filters: [{ extensions: ['flow.json'] }], properties: ['openFile'] } });
    expect(await chooseSave(ourWindowEvent(), 'churn.flow.json')).toEqual({ ok: true, result: '/home/ann/saved.flow.json' });
    expect(state.dialogCalls.at(-1)).toMatchObject({ kind: 'save', options: { defaultPath: 'churn.flow.json', filters: [{ extensions: ['flow.json'] }] } });
    // Where a run report goes: the same dialog, filtered to .html.
    expect(await chooseSave(ourWindowEvent(), '/home/ann/churn-report.html', 'report')).toMatchObject({ ok: true });
    expect(state.dialogCalls.at(-1)).toMatchObject({ kind: 'save', options: { title: 'Save the run report', defaultPath: '/home/ann/churn-report.html', filters: [{ extensions: ['html'] }] } });
    expect(await chooseSave(ourWindowEvent(), 'x.html', 'anything')).toMatchObject({ ok: false, error: { code: 'INVALID_PARAM' } });
    state.dialogAnswer = { canceled: true, filePaths: [] };
    expect(await chooseOpen(ourWindowEvent())).toEqual({ ok: true, result: null });
    const calls = state.dialogCalls.length;
    expect(await chooseOpen({ sender: state.windows[0].webContents, senderFrame: { url: 'https://evil.example/' } })).toMatchObject({ ok: false });
    expect(await chooseSave(ourWindowEvent(), { path: '/etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAM' } });
    expect(state.dialogCalls.length).toBe(calls); // neither reached a dialog
  });

  it('keeps a database login the studio saves encrypted in the keychain, never its password in the clear, and refuses without a keychain', async () => {
    const save = state.handlers.get('flowline:saveConnection')!;
    const list = state.handlers.get('flowline:listConnections')!;
    const login = { name: 'SALES_DB', host: 'db.example.com', port: 5432, database: 'sales', user: 'ann', password: 's3cret-pw' };
    expect(await save(ourWindowEvent(), login)).toEqual({ ok: true, result: { name: 'SALES_DB', host: 'db.example.com', port: 5432, database: 'sales', user: 'ann', storedIn: 'keychain' } });
    const onDisk = readFileSync(join(state.userData, 'connections.json'), 'utf8');
    expect(onDisk).toContain('SALES_DB');
    expect(onDisk).not.toContain('s3cret-pw');
    expect(await list(ourWindowEvent())).toMatchObject({ ok: true, result: [{ name: 'SALES_DB', storedIn: 'keychain' }] });
    expect(JSON.stringify(await list(ourWindowEvent()))).not.toContain('s3cret');
    // Checked like every call: the sender, and the login's shape.
    expect(await save({ sender: state.windows[0].webContents, senderFrame: { url: 'https://evil.example/' } }, login)).toMatchObject({ ok: false });
    expect(await save(ourWindowEvent(), { ...login, name: 'postgres://x' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAM' } });
    state.keychain = false;
    expect(await save(ourWindowEvent(), { ...login, name: 'OTHER' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/password for "OTHER" was not saved: the system keychain is not available/) } });
    state.keychain = true;
    expect(readFileSync(join(state.userData, 'connections.json'), 'utf8')).not.toContain('OTHER');
  });

  it('puts a pipeline opened or saved in the studio on the OS recent list and in File > Open Recent', async () => {
    const dir = tempDir();
    const path = join(dir, 'recent-one.flow.json');
    writeFileSync(path, serializePipeline(emptyPipeline('Recent one')));
    const open = state.handlers.get('flowline:openPipeline')!;
    expect(await open(ourWindowEvent(), path)).toMatchObject({ ok: true });
    expect(state.recentDocuments).toContain(path);
    await vi.waitFor(() => {
      const openRecent = state.menus.at(-1)![0].submenu!.find((i) => i.label === 'Open Recent') as { submenu: { label: string }[] };
      expect(openRecent.submenu.map((i) => i.label)).toContain(`Recent one — ${path}`);
    });
  });

  it('registers one IPC handler per contract method', () => {
    expect([...state.handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map((m) => `flowline:${m}`).sort());
  });

  it('answers our window, with errors as values, and refuses other senders', async () => {
    const hello = state.handlers.get('flowline:hello')!;
    expect(await hello(ourWindowEvent())).toMatchObject({ ok: true, result: { apiVersion: 1, host: 'electron' } });
    const foreign = { sender: state.windows[0].webContents, senderFrame: { url: 'https://evil.example/' } };
    expect(await hello(foreign)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/did not come from the Flowline window/) } });
    const notOurs = { sender: { id: 99 }, senderFrame: { url: 'app://flowline/index.html' } };
    expect(await hello(notOurs)).toMatchObject({ ok: false });
    const open = state.handlers.get('flowline:openPipeline')!;
    expect(await open(ourWindowEvent(), 42)).toMatchObject({ ok: false, error: { code: 'INVALID_PARAM' } });
    expect(await open(ourWindowEvent(), `${tempDir()}/no/such/file.flow.json`)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
    expect(await open(ourWindowEvent(), '/etc/passwd')).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
  });

  it('denies navigation away, new windows (opening https links outside), webviews and permissions', () => {
    const listeners = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    state.webContentsCreated!({}, { on: (ev: string, l: never) => listeners.set(ev, l), setWindowOpenHandler: (h: never) => (openHandler = h) });
    const prevented = (event: string, url?: string) => {
      let stopped = false;
      listeners.get(event)!({ preventDefault: () => (stopped = true) }, url);
      return stopped;
    };
    expect(prevented('will-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented('will-navigate', 'app://flowline/other')).toBe(false);
    expect(prevented('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(prevented('will-attach-webview')).toBe(true);
    expect(openHandler!({ url: 'https://docs.example/help' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.opened).toEqual(['https://docs.example/help']);
    let granted: boolean | undefined;
    state.permissionHandler!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('serves the renderer over app:// with the CSP, and nothing outside it', async () => {
    const page = await state.protocolHandler!(new Request('app://flowline/index.html'));
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.status).toBe(200);
    const escape = await state.protocolHandler!(new Request('app://flowline/..%2f..%2fpackage.json'));
    expect(escape.status).toBe(403);
  });

  it('answers a call with an error naming the service once the service process has died', async () => {
    const hello = state.handlers.get('flowline:hello')!;
    const { worker } = state.forked[0];
    const exited = new Promise((resolve) => worker.once('exit', resolve)); // after main's own 'exit' listener
    await worker.terminate();
    await exited;
    expect(await hello(ourWindowEvent())).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Flowline service stopped/) } });
  });
  it('quits only after every window agrees, then stops the service and exits', async () => {
    const quit = (): boolean => {
      let prevented = false;
      state.beforeQuit!({ preventDefault: () => (prevented = true) });
      return prevented;
    };
    const asked = state.scripts.length;
    state.studioAnswer = false;
    expect(quit()).toBe(true);
    await vi.waitFor(() => expect(state.scripts.length).toBe(asked + 1));
    await new Promise((r) => setImmediate(r));
    expect(state.exitCodes).toEqual([]);
    state.studioAnswer = true;
    expect(quit()).toBe(true);
    await vi.waitFor(() => expect(state.exitCodes).toEqual([0]), { timeout: 30_000 });
  });
});
