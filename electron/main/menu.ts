/**
 * The native menu bar (File, Edit, View, Run, Help; on macOS the app menu first and a Window
 * menu), as a plain template built from the platform and the recent files, so it is tested
 * without Electron. Every studio item sends a StudioCommand to the window, which runs the same
 * function its keyboard shortcut runs (renderer/src/store/studio-commands.ts).
 *
 * Keys the studio's own keyboard handler already serves (Ctrl+S, Ctrl+Enter, F, /, ?...) are shown
 * with `registerAccelerator: false`: the menu displays them, the page handles them, and one key
 * press never runs a command twice. A key only the menu knows (New: CmdOrCtrl+N, which a browser
 * keeps for itself) is registered. Cut, Copy, Paste and Select All are Electron's roles, so text
 * fields edit as in any desktop program (on macOS they work only through the menu); on the canvas
 * the studio's handler takes those keys first and copies nodes.
 */
import type { RecentFile, StudioCommand, StudioCommandName } from '../../core/host/api.ts';

export type Platform = 'darwin' | 'win32' | 'linux';

/** The subset of Electron's MenuItemConstructorOptions this app uses. */
export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu' | 'normal';
  accelerator?: string;
  registerAccelerator?: boolean;
  enabled?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
}

export interface MenuOptions {
  platform: Platform;
  appName: string;
  /** Most recent first. */
  recent: readonly RecentFile[];
  /** Development only: a Toggle Developer Tools item. */
  devTools: boolean;
  send(command: StudioCommand): void;
}

const separator: MenuItem = { type: 'separator' };
/** How many recent files the menus list. */
export const RECENT_IN_MENU = 10;

export function menuTemplate(options: MenuOptions): MenuItem[] {
  const { platform, appName, send } = options;
  const mac = platform === 'darwin';
  /** A studio command; `handledByPage`: the studio's keyboard handler already serves its key. */
  const item = (label: string, command: StudioCommandName, accelerator?: string, handledByPage = true): MenuItem => ({
    label,
    ...(accelerator ? { accelerator, ...(handledByPage ? { registerAccelerator: false } : {}) } : {}),
    click: () => send({ command }),
  });
  const recent = recentItems(options.recent, send);

  const file: MenuItem = {
    label: mac ? 'File' : '&File',
    submenu: [
      item('New Pipeline', 'new', 'CmdOrCtrl+N', false),
      item('Open…', 'open', 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recent.length ? recent : [{ label: 'No recent pipelines', enabled: false }] },
      separator,
      item('Save', 'save', 'CmdOrCtrl+S'),
      item('Save As…', 'save-as', 'CmdOrCtrl+Shift+S'),
      separator,
      // Through the window's close handler, which asks about unsaved changes first.
      mac ? { label: 'Close Window', role: 'close', accelerator: 'Cmd+W' } : { label: 'E&xit', role: 'quit', accelerator: 'Alt+F4' },
    ],
  };
  const edit: MenuItem = {
    label: mac ? 'Edit' : '&Edit',
    submenu: [
      item('Undo', 'undo', 'CmdOrCtrl+Z'),
      item('Redo', 'redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      separator,
      { role: 'cut', accelerator: 'CmdOrCtrl+X' },
      { role: 'copy', accelerator: 'CmdOrCtrl+C' },
      { role: 'paste', accelerator: 'CmdOrCtrl+V' },
      item('Duplicate', 'duplicate', 'CmdOrCtrl+D'),
      item('Delete', 'delete', mac ? 'Backspace' : 'Delete'),
      { role: 'selectAll', accelerator: 'CmdOrCtrl+A' },
    ],
  };
  const view: MenuItem = {
    label: mac ? 'View' : '&View',
    submenu: [
      item('Canvas / JSON', 'toggle-json', 'CmdOrCtrl+J'),
      item('Fit Pipeline in View', 'fit-view', 'F'),
      item('Tidy Layout', 'tidy', 'CmdOrCtrl+Shift+L'),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
      ...(options.devTools ? [separator, { role: 'toggleDevTools' }] : []),
    ],
  };
  const runMenu: MenuItem = {
    label: mac ? 'Run' : '&Run',
    submenu: [
      item('Run Pipeline', 'run', 'CmdOrCtrl+Enter'),
      item('Run to Selected Node', 'run-to-selection', 'CmdOrCtrl+Shift+Enter'),
      item('Cancel Run', 'cancel-run', 'Escape'),
      item('Write Run Report…', 'report'),
      separator,
      item('Add Node by Name…', 'quick-insert', '/'),
    ],
  };
  const help: MenuItem = {
    label: mac ? 'Help' : '&Help',
    role: 'help',
    submenu: [item('Help on Selected Node', 'node-help', 'F1'), item('Keyboard Shortcuts', 'shortcuts', '?'), ...(mac ? [] : [separator, { label: `About ${appName}`, role: 'about' }])],
  };
  const appMenu: MenuItem = {
    label: appName,
    submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };
  return mac ? [appMenu, file, edit, view, runMenu, { role: 'windowMenu' }, help] : [file, edit, view, runMenu, help];
}

/** One item per recent file (name, then its folder so two "churn" files differ), opening it in the window. */
export function recentItems(recent: readonly RecentFile[], send: (command: StudioCommand) => void): MenuItem[] {
  return recent.slice(0, RECENT_IN_MENU).map((r) => ({ label: `${r.name} — ${r.path}`, click: () => send({ command: 'open-path', path: r.path }) }));
}

/** macOS dock menu: New, then the recent files. */
export function dockMenuTemplate(recent: readonly RecentFile[], send: (command: StudioCommand) => void): MenuItem[] {
  const items = recentItems(recent, send);
  return [{ label: 'New Pipeline', click: () => send({ command: 'new' }) }, ...(items.length ? [separator, ...items] : [])];
}

/** A Windows jump-list task: starts Flowline with the file, which the running one receives (single instance). */
export interface JumpListTask {
  type: 'task';
  title: string;
  description: string;
  program: string;
  args: string;
  iconPath: string;
  iconIndex: number;
}
export type JumpListCategory = { type: 'recent' } | { type: 'custom'; name: string; items: JumpListTask[] };

/**
 * Windows jump list: the system's Recent category (fed by app.addRecentDocument), and our own
 * "Recent pipelines" so the list is there even before Windows has associated the file type.
 */
export function jumpListFor(recent: readonly RecentFile[], exe: string): JumpListCategory[] {
  const items = recent.slice(0, RECENT_IN_MENU).map(
    (r): JumpListTask => ({ type: 'task', title: r.name, description: r.path, program: exe, args: `"${r.path.replace(/"/g, '')}"`, iconPath: exe, iconIndex: 0 }),
  );
  return items.length ? [{ type: 'recent' }, { type: 'custom', name: 'Recent pipelines', items }] : [{ type: 'recent' }];
}
