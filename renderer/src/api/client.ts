/**
 * The studio's one way to the host: Electron's preload (`window.flowline`) when present, else a
 * WebSocket client speaking core/host/wire.ts to the web host on 127.0.0.1. The rest of the
 * renderer sees only FlowlineApi and cannot tell which one it got.
 */
import { API_METHOD_NAMES, type ApiMethod, type FlowlineApi, type RunEvent, type StudioWindowHooks } from '../../../core/host/api.ts';
import type { ErrorInfo } from '../../../core/spec/errors.ts';
import { WIRE_PATH, type WireCall, type WireMessage } from '../../../core/host/wire.ts';

declare global {
  interface Window {
    flowline?: FlowlineApi;
    flowlineStudio?: StudioWindowHooks;
  }
}

/** An error from the host, carrying the contract's ErrorInfo (code, message, hint...). */
export class HostError extends Error {
  readonly info: ErrorInfo;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'HostError';
    this.info = info;
  }
}

export function errorInfoOf(e: unknown): ErrorInfo {
  if (e instanceof HostError) return e.info;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return e as ErrorInfo;
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Why the host closed the connection, in the user's words (RFC 6455 close codes the host uses). */
function closedBecause(code: number): ErrorInfo {
  if (code === 1009) {
    return {
      code: 'INVALID_PARAM',
      message: 'Pipeline too large to send: the Flowline host refused a message this big, so it was not saved, checked or run.',
      hint: 'Make the pipeline smaller (long pasted code or data in a node\'s settings are the usual cause), then try again.',
    };
  }
  if (code === 1007) return { code: 'INTERNAL', message: 'The Flowline host refused a message that was not valid text, and closed the connection.', hint: 'Try again; reload the page if it keeps happening.' };
  return { code: 'INTERNAL', message: 'The connection to the Flowline host closed.', hint: 'Restart `flowline studio` and reload the page.' };
}

/** Connection problems worth telling the user even when the call that caused them was a background one. */
const notices = new Set<(info: ErrorInfo) => void>();
export function onHostNotice(listener: (info: ErrorInfo) => void): () => void {
  notices.add(listener);
  return () => notices.delete(listener);
}

/** Every contract method, from the contract's own list: one added there is served here too. */
const METHODS: readonly ApiMethod[] = API_METHOD_NAMES;

export function createWsApi(url: string): FlowlineApi {
  let socket: WebSocket | null = null;
  let opening: Promise<WebSocket> | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Set<(e: RunEvent) => void>();

  const open = (): Promise<WebSocket> => {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket);
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        opening = null;
        resolve(ws);
      };
      ws.onerror = () => {
        opening = null;
        reject(new HostError({ code: 'INTERNAL', message: 'Cannot reach the Flowline host.', hint: 'Is `flowline studio` still running? Reload the page after restarting it.' }));
      };
      ws.onclose = (ev) => {
        if (socket === ws) socket = null;
        const info = closedBecause(ev.code);
        for (const p of pending.values()) p.reject(new HostError(info));
        pending.clear();
        // The host closed this connection only; the next call opens a new one.
        if (ev.code === 1009 || ev.code === 1007) for (const n of notices) n(info);
      };
      ws.onmessage = (msg) => {
        const data = JSON.parse(String(msg.data)) as WireMessage;
        if ('event' in data) {
          for (const l of listeners) l(data.event);
          return;
        }
        const p = pending.get(data.id);
        if (!p) return;
        pending.delete(data.id);
        if ('error' in data) p.reject(new HostError(data.error));
        else p.resolve(data.result);
      };
    });
    return opening;
  };

  const call = async (method: ApiMethod, args: unknown[]): Promise<unknown> => {
    const ws = await open();
    const id = nextId++;
    const message: WireCall = { id, method, args };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      ws.send(JSON.stringify(message));
    });
  };

  const api = {
    onEvent(listener: (e: RunEvent) => void) {
      listeners.add(listener);
      void open().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  } as Partial<FlowlineApi> as Record<string, unknown>;
  for (const m of METHODS) api[m] = (...args: unknown[]) => call(m, args);
  return api as unknown as FlowlineApi;
}

/** Wrap an API so every rejection becomes a HostError with readable ErrorInfo. */
function withReadableErrors(api: FlowlineApi): FlowlineApi {
  const out = { onEvent: api.onEvent.bind(api), ...(api.onCommand ? { onCommand: api.onCommand.bind(api) } : {}) } as Record<string, unknown>;
  for (const m of METHODS) {
    const fn = (api as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m].bind(api);
    out[m] = (...args: unknown[]) => fn(...args).catch((e: unknown) => Promise.reject(e instanceof HostError ? e : new HostError(errorInfoOf(e))));
  }
  return out as unknown as FlowlineApi;
}

/** Picks the transport. `?fake=1` under `vite` dev (or a VITE_FLOWLINE_FAKE=1 build) loads an in-memory host. */
export async function createApi(): Promise<FlowlineApi> {
  const search = new URLSearchParams(location.search);
  // Development builds only: the production bundle does not contain the fake host.
  if ((import.meta.env.DEV || import.meta.env.VITE_FLOWLINE_FAKE === '1') && search.has('fake')) {
    const { createFakeApi } = await import('./dev-fake.ts');
    return withReadableErrors(createFakeApi());
  }
  if (window.flowline) return withReadableErrors(window.flowline);
  const token = search.get('token') ?? '';
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return withReadableErrors(createWsApi(`${proto}//${location.host}${WIRE_PATH}?token=${encodeURIComponent(token)}`));
}
