/**
 * Names on Electron's IPC, shared by main and the preload (and nothing else): one channel per
 * contract method, one for pushed run events, one for studio commands from the native menus. Errors travel as values so code and hint survive.
 */
import type { ApiMethod } from '../core/host/api.ts';
import type { ErrorInfo } from '../core/spec/errors.ts';

export const ipcChannel = (method: ApiMethod) => `flowline:${method}`;
export const IPC_EVENT_CHANNEL = 'flowline:event';

/** What an IPC handler in main returns. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ErrorInfo };

/** Main → window: a StudioCommand from a native menu or the OS (a double-clicked file). */
export const IPC_COMMAND_CHANNEL = 'flowline:command';
