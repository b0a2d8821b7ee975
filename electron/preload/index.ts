/**
 * The preload exposes `window.flowline` (the FlowlineApi over IPC) and nothing else: no raw
 * ipcRenderer, no Node. It runs sandboxed, so bin/start.js bundles it to out/preload/index.cjs.
 * Errors come back from main as values and are rethrown here with their code, hint and node id.
 */
import { API_METHOD_NAMES, STUDIO_COMMANDS, type FlowlineApi, type RunEvent, type StudioCommand } from '../../core/host/api.ts';
import { IPC_COMMAND_CHANNEL, IPC_EVENT_CHANNEL, ipcChannel, type IpcReply } from '../ipc.ts';

interface PreloadElectron {
  contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>;
    on(channel: string, listener: (event: unknown, payload: unknown) => void): void;
    removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): void;
  };
}

// Sandboxed preloads may require('electron') only; typed locally (electron is optional here).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled to CommonJS for the sandbox
const { contextBridge, ipcRenderer } = require('electron') as PreloadElectron;

function unwrap(reply: unknown): unknown {
  const r = reply as IpcReply;
  if (r && r.ok) return r.result;
  const info = r && !r.ok ? r.error : { code: 'INTERNAL' as const, message: 'No answer from the Flowline host.' };
  throw Object.assign(new Error(info.message), info, { name: 'FlowlineError' });
}

const api: Record<string, unknown> = {};
for (const method of API_METHOD_NAMES) {
  api[method] = async (...args: unknown[]) => unwrap(await ipcRenderer.invoke(ipcChannel(method), ...args));
}
api.onEvent = (listener: (event: RunEvent) => void) => {
  const handler = (_event: unknown, payload: unknown) => listener(payload as RunEvent);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

// Commands from the native menus and the OS. One sent before the studio subscribed (a file
// double-clicked to start Flowline) waits here for it; anything not shaped like a command is dropped.
const isCommand = (c: unknown): c is StudioCommand => {
  const o = c as { command?: unknown; path?: unknown } | null;
  if (!o || typeof o !== 'object') return false;
  if (o.command === 'open-path') return typeof o.path === 'string' && o.path.length > 0 && o.path.length <= 4096;
  return (STUDIO_COMMANDS as readonly unknown[]).includes(o.command);
};
const waiting: StudioCommand[] = [];
let commandListener: ((command: StudioCommand) => void) | null = null;
ipcRenderer.on(IPC_COMMAND_CHANNEL, (_event, payload) => {
  if (!isCommand(payload)) return;
  if (commandListener) commandListener(payload);
  else waiting.push(payload);
});
api.onCommand = (listener: (command: StudioCommand) => void) => {
  commandListener = listener;
  for (const command of waiting.splice(0)) listener(command);
  return () => {
    if (commandListener === listener) commandListener = null;
  };
};

contextBridge.exposeInMainWorld('flowline', api as unknown as FlowlineApi);
