/**
 * Main <-> service: the messages between Electron's main process (window, menus, dialogs, sender
 * checks) and the utility process that runs the host service (core/host/service.ts) and its worker
 * pool, so that no pipeline work shares a process with the window's event loop (VS Code's split).
 *
 * Main sends `call`s (arguments already checked and parsed with the contract's zod schemas) and
 * `dispose`; the service answers each call with a `reply` carrying an IpcReply (errors as values),
 * pushes run `event`s, and says `disposed` before it exits. Both ends speak through a Channel: in
 * Electron, utilityProcess and process.parentPort; under plain Node, a worker thread's port (tests).
 */
import type { ApiMethod, RunEvent } from '../../core/host/api.ts';
import { toErrorInfo, type ErrorInfo } from '../../core/spec/errors.ts';
import type { IpcReply } from '../ipc.ts';

export type ToService = { type: 'call'; id: number; method: ApiMethod; args: unknown[] } | { type: 'dispose' };
export type FromService = { type: 'reply'; id: number; reply: IpcReply } | { type: 'event'; event: RunEvent } | { type: 'disposed' };

/** One end of a message channel (structured clone both ways). */
export interface Channel<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

/** What the service end needs of the host service. */
export interface ServedService {
  onEvent(listener: (event: RunEvent) => void): unknown;
  dispose(): Promise<void>;
}

/** The service end: run each call on `service`, answer it, forward its events. */
export function serveOverChannel(service: ServedService, channel: Channel<ToService, FromService>, onDisposed: () => void): void {
  service.onEvent((event) => channel.post({ type: 'event', event }));
  const inFlight = new Set<Promise<void>>();
  channel.onMessage((message) => {
    if (message.type === 'dispose') {
      // Runs are cancelled first; every call already received is still answered.
      void service
        .dispose()
        .then(() => Promise.allSettled(inFlight))
        .finally(() => {
          channel.post({ type: 'disposed' });
          onDisposed();
        });
      return;
    }
    const { id, method, args } = message;
    const answered = (async (): Promise<IpcReply> => {
      try {
        const fn = (service as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
        if (typeof fn !== 'function') throw new Error(`the service has no method "${method}"`);
        return { ok: true, result: (await fn.apply(service, args)) ?? null };
      } catch (e) {
        return { ok: false, error: toErrorInfo(e) };
      }
    })().then((reply) => {
      channel.post({ type: 'reply', id, reply });
      inFlight.delete(answered);
    });
    inFlight.add(answered);
  });
}

export interface ServiceClient {
  call(method: ApiMethod, args: unknown[]): Promise<IpcReply>;
  onEvent(listener: (event: RunEvent) => void): void;
  /** Ask the service to cancel runs and stop its workers; settles when it says it has. */
  dispose(): Promise<void>;
  /** The service process ended (crash or exit): every call in flight is answered with an error. */
  stopped(reason: string): void;
}

/** The main end. */
export function serviceClient(channel: Channel<FromService, ToService>): ServiceClient {
  let nextId = 1;
  const pending = new Map<number, (reply: IpcReply) => void>();
  const listeners: ((event: RunEvent) => void)[] = [];
  let disposed: (() => void) | null = null;
  let down: ErrorInfo | null = null;
  channel.onMessage((message) => {
    if (message.type === 'reply') {
      pending.get(message.id)?.(message.reply);
      pending.delete(message.id);
    } else if (message.type === 'event') for (const l of listeners) l(message.event);
    else disposed?.();
  });
  return {
    call(method, args) {
      if (down) return Promise.resolve({ ok: false, error: down });
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        channel.post({ type: 'call', id, method, args });
      });
    },
    onEvent: (listener) => void listeners.push(listener),
    dispose() {
      if (down) return Promise.resolve();
      return new Promise((resolve) => {
        disposed = resolve;
        channel.post({ type: 'dispose' });
      });
    },
    stopped(reason) {
      down = { code: 'INTERNAL', message: `The Flowline service stopped (${reason}); restart Flowline. Your open pipeline is kept by autosave.` };
      for (const resolve of pending.values()) resolve({ ok: false, error: down });
      pending.clear();
      disposed?.();
    },
  };
}
