/**
 * The native menu bar (electron/main/menu.ts) as each platform builds it: the usual menus and
 * accelerators, every item reaching the studio as the command its keyboard shortcut runs, the
 * recent files in File > Open Recent, the macOS dock menu and the Windows jump list.
 */
import { describe, expect, it } from 'vitest';
import { STUDIO_COMMANDS, type RecentFile, type StudioCommand } from '../../core/host/api.ts';
import { dockMenuTemplate, jumpListFor, menuTemplate, type MenuItem, type Platform } from '../../electron/main/menu.ts';

const recent: RecentFile[] = [
  { path: '/home/ann/churn/churn.flow.json', name: 'Churn', openedAt: '2026-12-01T10:00:00Z' },
  { path: '/home/ann/rain/seattle.flow.json', name: 'Seattle rain', openedAt: '2026-11-30T10:00:00Z' },
];

function build(platform: Platform, files: RecentFile[] = recent) {
  const sent: StudioCommand[] = [];
  const template = menuTemplate({ platform, appName: 'Flowline', recent: files, devTools: false, send: (c) => sent.push(c) });
  return { template, sent };
}
const menu = (template: MenuItem[], label: string) => template.find((m) => m.label?.replace('&', '') === label)!;
const entry = (m: MenuItem, label: string) => m.submenu!.find((i) => i.label === label)!;
const allItems = (items: MenuItem[]): MenuItem[] => items.flatMap((i) => [i, ...allItems(i.submenu ?? [])]);

describe('native menus', () => {
  it('are File, Edit, View, Run, Help on Windows and Linux, with access keys and Exit', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const { template } = build(platform);
      expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Run', '&Help']);
      expect(entry(menu(template, 'File'), 'E&xit')).toMatchObject({ role: 'quit', accelerator: 'Alt+F4' });
      expect(entry(menu(template, 'Edit'), 'Redo').accelerator).toBe('Ctrl+Y');
      expect(menu(template, 'Help').submenu!.some((i) => i.role === 'about')).toBe(true);
    }
  });

  it('start with the app menu on macOS and have a Window menu, Cmd+W and Shift+Cmd+Z', () => {
    const { template } = build('darwin');
    expect(template.map((m) => m.label ?? m.role)).toEqual(['Flowline', 'File', 'Edit', 'View', 'Run', 'windowMenu', 'Help']);
    expect(template[0].submenu!.map((i) => i.role).filter(Boolean)).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(entry(menu(template, 'File'), 'Close Window')).toMatchObject({ role: 'close', accelerator: 'Cmd+W' });
    expect(entry(menu(template, 'Edit'), 'Redo').accelerator).toBe('Shift+Cmd+Z');
  });

  it('use CmdOrCtrl, and leave to the page the keys its own handler serves (one command per key press)', () => {
    const { template } = build('linux');
    const file = menu(template, 'File');
    expect(entry(file, 'Save')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(entry(file, 'Save As…')).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+S', registerAccelerator: false });
    expect(entry(file, 'Open…')).toMatchObject({ accelerator: 'CmdOrCtrl+O', registerAccelerator: false });
    // A browser keeps Ctrl+N for itself, so the page never sees it: only the menu serves it.
    expect(entry(file, 'New Pipeline').accelerator).toBe('CmdOrCtrl+N');
    expect(entry(file, 'New Pipeline').registerAccelerator).toBeUndefined();
    expect(entry(menu(template, 'Run'), 'Run Pipeline')).toMatchObject({ accelerator: 'CmdOrCtrl+Enter', registerAccelerator: false });
    // A single key as a registered accelerator would steal it from every text field.
    for (const item of allItems(template)) if (item.accelerator && !/\+/.test(item.accelerator) && !/^F\d+$/.test(item.accelerator)) expect(item.registerAccelerator, item.label).toBe(false);
    // Text fields edit through the standard roles.
    expect(menu(template, 'Edit').submenu!.map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
  });

  it('send each item to the studio as the command its keyboard shortcut runs', () => {
    const { template, sent } = build('win32');
    const clicked: StudioCommand[] = [];
    for (const item of allItems(template)) {
      if (!item.click) continue;
      const before = sent.length;
      item.click();
      clicked.push(...sent.slice(before));
    }
    const names = new Set(clicked.map((c) => c.command));
    // Every studio command is on a menu except those text fields serve through Edit's roles.
    expect(STUDIO_COMMANDS.filter((c) => !names.has(c))).toEqual(['copy', 'paste', 'select-all']);
    for (const c of clicked) if (c.command !== 'open-path') expect(STUDIO_COMMANDS).toContain(c.command);
  });

  it('list the recent pipelines in File > Open Recent, each opening its file', () => {
    const { template, sent } = build('linux');
    const openRecent = entry(menu(template, 'File'), 'Open Recent').submenu!;
    expect(openRecent.map((i) => i.label)).toEqual(['Churn — /home/ann/churn/churn.flow.json', 'Seattle rain — /home/ann/rain/seattle.flow.json']);
    openRecent[1].click!();
    expect(sent).toEqual([{ command: 'open-path', path: '/home/ann/rain/seattle.flow.json' }]);
    const empty = entry(menu(build('linux', []).template, 'File'), 'Open Recent').submenu!;
    expect(empty).toEqual([{ label: 'No recent pipelines', enabled: false }]);
  });

  it('offer New and the recent files in the macOS dock menu', () => {
    const sent: StudioCommand[] = [];
    const dock = dockMenuTemplate(recent, (c) => sent.push(c));
    expect(dock.map((i) => i.label ?? i.type)).toEqual(['New Pipeline', 'separator', 'Churn — /home/ann/churn/churn.flow.json', 'Seattle rain — /home/ann/rain/seattle.flow.json']);
    dock[0].click!();
    dock[2].click!();
    expect(sent).toEqual([{ command: 'new' }, { command: 'open-path', path: '/home/ann/churn/churn.flow.json' }]);
  });

  it('put the recent pipelines in the Windows jump list, each starting Flowline with its file', () => {
    const exe = 'C:\\Program Files\\Flowline\\Flowline.exe';
    const list = jumpListFor([{ path: 'C:\\Users\\ann\\churn.flow.json', name: 'Churn', openedAt: '' }], exe);
    expect(list).toEqual([
      { type: 'recent' },
      { type: 'custom', name: 'Recent pipelines', items: [{ type: 'task', title: 'Churn', description: 'C:\\Users\\ann\\churn.flow.json', program: exe, args: '"C:\\Users\\ann\\churn.flow.json"', iconPath: exe, iconIndex: 0 }] },
    ]);
    expect(jumpListFor([], exe)).toEqual([{ type: 'recent' }]);
  });
});
