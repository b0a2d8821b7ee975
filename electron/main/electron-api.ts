/**
 * The slice of Electron's main-process API this app uses, typed here because the `electron`
 * package (and its types) is an optional dependency that is absent on offline machines. Main loads
 * the real module at run time with a dynamic import, so type-checking never depends on it.
 */
import type { JumpListCategory, MenuItem } from './menu.ts';
import type { SafeStorage } from './credential-store.ts';

export interface IpcMainInvokeEvent {
  sender: WebContents;
  senderFrame: { url: string } | null;
}

export interface WebContents {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): void;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
  on(event: 'did-finish-load' | 'did-start-loading' | 'destroyed', listener: () => void): void;
  isDestroyed(): boolean;
  executeJavaScript(code: string, userGesture?: boolean): Promise<unknown>;
}

export interface BrowserWindowInstance {
  webContents: WebContents;
  /** Bounds when neither maximised nor minimised. */
  getNormalBounds(): { x: number; y: number; width: number; height: number };
  isMaximized(): boolean;
  maximize(): void;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): void;
  close(): void;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): void;
  show(): void;
  isDestroyed(): boolean;
}

export interface BrowserWindowConstructor {
  new (options: {
    x?: number;
    y?: number;
    width: number;
    height: number;
    minWidth?: number;
    minHeight?: number;
    show?: boolean;
    title?: string;
    backgroundColor?: string;
    webPreferences: {
      preload: string;
      contextIsolation: true;
      sandbox: true;
      nodeIntegration: false;
      nodeIntegrationInWorker: false;
      webSecurity: true;
      allowRunningInsecureContent: false;
      webviewTag: false;
      spellcheck?: boolean;
    };
  }): BrowserWindowInstance;
  getAllWindows(): BrowserWindowInstance[];
  fromWebContents(wc: WebContents): BrowserWindowInstance | null;
}

export interface Session {
  setPermissionRequestHandler(handler: (wc: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

/** A utilityProcess child (Electron >= 22): a Node process with a message port to main. */
export interface UtilityProcessChild {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  kill(): boolean;
}

/** What dialog.showOpenDialog / showSaveDialog take and answer (the fields used here). */
export interface FileDialogOptions {
  title?: string;
  defaultPath?: string;
  buttonLabel?: string;
  filters?: { name: string; extensions: string[] }[];
  properties?: string[];
}

/** A native menu built from a template (electron/main/menu.ts). */
export type NativeMenu = object;

export interface ElectronMain {
  safeStorage: SafeStorage;
  dialog: {
    showOpenDialog(win: BrowserWindowInstance, options: FileDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
    showSaveDialog(win: BrowserWindowInstance, options: FileDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  };
  Menu: {
    buildFromTemplate(template: MenuItem[]): NativeMenu;
    setApplicationMenu(menu: NativeMenu | null): void;
  };
  utilityProcess: { fork(modulePath: string, args?: string[], options?: { serviceName?: string; cwd?: string; stdio?: 'inherit' | 'pipe' }): UtilityProcessChild };
  app: {
    whenReady(): Promise<void>;
    getPath(name: 'userData' | 'home' | 'documents'): string;
    on(event: 'window-all-closed' | 'activate', listener: () => void): void;
    on(event: 'web-contents-created', listener: (event: unknown, wc: WebContents) => void): void;
    on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): void;
    on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string) => void): void;
    on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): void;
    addRecentDocument(path: string): void;
    /** Windows only. */
    setJumpList?(categories: JumpListCategory[]): unknown;
    /** macOS only. */
    dock?: { setMenu(menu: NativeMenu): void };
    isPackaged: boolean;
    getName(): string;
    requestSingleInstanceLock(): boolean;
    quit(): void;
    exit(code?: number): void;
    enableSandbox(): void;
    setName?(name: string): void;
  };
  BrowserWindow: BrowserWindowConstructor;
  ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  };
  protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response): void;
  };
  session: { defaultSession: Session };
  shell: { openExternal(url: string): Promise<void> };
  screen: { getAllDisplays(): { workArea: { x: number; y: number; width: number; height: number } }[] };
}
