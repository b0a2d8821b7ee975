/**
 * A desktop-like host for the studio in Chromium (Electron's binary is not installable here): an
 * init script puts `window.flowline` in the page, as Electron's preload does, forwarding every
 * contract call to the web host over its WebSocket, but saying hello as a host with native file
 * dialogs, answering chooseOpenPath / chooseSavePath from `window.__desktop` (what the "OS dialog"
 * returns) and delivering menu commands through onCommand. The studio's own code is unchanged.
 */
import type { Page } from '@playwright/test';
import type { StudioCommand } from '../../../core/host/api.ts';

export interface DesktopProbe {
  /** Each dialog shown: which, where it started, and (a save dialog for a run report) 'report'. */
  dialogCalls: ([kind: 'open' | 'save', start: string | null] | [kind: 'save', start: string | null, what: 'report'])[];
  openAnswer: string | null;
  saveAnswer: string | null;
  command(command: StudioCommand): void;
}

declare global {
  interface Window {
    __desktop: DesktopProbe;
  }
}

function installDesktopHost(): void {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  let socket: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const events = new Set<(e: unknown) => void>();
  let commandListener: ((c: StudioCommand) => void) | null = null;
  const open = () =>
    (socket ??= new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
      ws.onopen = () => resolve(ws);
      ws.onerror = reject;
      ws.onmessage = (m) => {
        const data = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: { message: string }; event?: unknown };
        if ('event' in data) return events.forEach((l) => l(data.event));
        const p = pending.get(data.id!);
        pending.delete(data.id!);
        if (data.error) p?.reject(Object.assign(new Error(data.error.message), data.error));
        else p?.resolve(data.result);
      };
    }));
  const call = async (method: string, args: unknown[]) => {
    const ws = await open();
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, args }));
    });
  };
  const probe: DesktopProbe = { dialogCalls: [], openAnswer: null, saveAnswer: null, command: (c) => commandListener?.(c) };
  window.__desktop = probe;
  const own: Record<string, unknown> = {
    hello: async () => ({ ...((await call('hello', [])) as object), host: 'electron', dialogs: 'native' }),
    chooseOpenPath: async (dir?: string) => (probe.dialogCalls.push(['open', dir ?? null]), probe.openAnswer),
    chooseSavePath: async (suggested?: string, kind?: string) => (probe.dialogCalls.push(kind === 'report' ? ['save', suggested ?? null, 'report'] : ['save', suggested ?? null]), probe.saveAnswer),
    onEvent: (l: (e: unknown) => void) => (events.add(l), void open(), () => events.delete(l)),
    onCommand: (l: (c: StudioCommand) => void) => {
      commandListener = l;
      return () => {
        if (commandListener === l) commandListener = null;
      };
    },
  };
  (window as unknown as { flowline: unknown }).flowline = new Proxy(own, { get: (t, k: string) => t[k] ?? ((...args: unknown[]) => call(k, args)) });
}

/** Reload the page under the desktop-like host. */
export async function asDesktop(page: Page): Promise<void> {
  await page.addInitScript(installDesktopHost);
  await page.reload();
  await page.getByTestId('start-screen').waitFor();
}

export const probe = (page: Page) => page.evaluate(() => ({ dialogCalls: window.__desktop.dialogCalls }));
export const setDialogAnswers = (page: Page, answers: { open?: string | null; save?: string | null }) =>
  page.evaluate((a) => {
    if ('open' in a) window.__desktop.openAnswer = a.open ?? null;
    if ('save' in a) window.__desktop.saveAnswer = a.save ?? null;
  }, answers);
export const menuCommand = (page: Page, command: StudioCommand) => page.evaluate((c) => window.__desktop.command(c), command);
