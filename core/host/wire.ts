/**
 * How the contract travels between the browser studio and the web host (HTTP + WebSocket on
 * 127.0.0.1). Electron uses IPC instead (electron/ipc.ts), with the same method names and argument lists.
 *
 * - The page is served at `http://127.0.0.1:PORT/?token=TOKEN`; every HTTP request and the
 *   WebSocket upgrade (`ws://127.0.0.1:PORT/api?token=TOKEN`) must carry the token.
 * - Client → host: a call. Host → client: its reply (same id), or a pushed run event.
 */
import type { ApiMethod, RunEvent } from './api.ts';
import type { ErrorInfo } from '../spec/errors.ts';

export interface WireCall {
  id: number;
  method: ApiMethod;
  args: unknown[];
}

export type WireMessage =
  | { id: number; result: unknown }
  | { id: number; error: ErrorInfo }
  | { event: RunEvent };

export const WIRE_PATH = '/api';
