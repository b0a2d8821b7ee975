/**
 * The preload cannot run here (no Electron binary), so this bundles it exactly as bin/start.js
 * does and runs the bundle in a VM with a stand-in `electron` module: it must expose
 * `window.flowline` with every contract method and nothing else, and rethrow host errors with
 * their code and hint.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_METHOD_NAMES } from '../../../core/host/api.ts';
import { IPC_COMMAND_CHANNEL, IPC_EVENT_CHANNEL } from '../../../electron/ipc.ts';
import { tempDir } from './host-fixtures.ts';

async function loadPreload() {
  const outfile = join(tempDir(), 'preload.cjs');
  await build({
    entryPoints: [new URL('../../../electron/preload/index.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'silent',
  });
  const code = readFileSync(outfile, 'utf8');
  const exposed: Record<string, unknown> = {};
  const invocations: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, ((e: unknown, p: unknown) => void)[]>();
  let answer: unknown = { ok: true, result: 'fine' };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => (invocations.push({ channel, args }), answer),
      on: (channel: string, l: (e: unknown, p: unknown) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
      removeListener: (channel: string, l: (e: unknown, p: unknown) => void) => listeners.set(channel, (listeners.get(channel) ?? []).filter((x) => x !== l)),
    },
  };
  const required: string[] = [];
  const module = { exports: {} };
  runInNewContext(code, {
    module,
    exports: module.exports,
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    },
  });
  return { code, exposed, invocations, listeners, required, setAnswer: (a: unknown) => (answer = a) };
}

describe('electron preload', () => {
  it('exposes window.flowline with every contract method, over IPC, and nothing else', async () => {
    const p = await loadPreload();
    expect(p.required).toEqual(['electron']);
    expect(Object.keys(p.exposed)).toEqual(['flowline']);
    const api = p.exposed.flowline as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).sort()).toEqual([...API_METHOD_NAMES, 'onCommand', 'onEvent'].sort());
    expect(await api.openPipeline('/tmp/a.flow.json')).toBe('fine');
    expect(p.invocations).toEqual([{ channel: 'flowline:openPipeline', args: ['/tmp/a.flow.json'] }]);
    // The bundle stays small: no zod, no Node modules.
    expect(p.code.length).toBeLessThan(20_000);
  });

  it('rethrows host errors with their code and hint', async () => {
    const p = await loadPreload();
    const api = p.exposed.flowline as Record<string, (...a: unknown[]) => Promise<unknown>>;
    p.setAnswer({ ok: false, error: { code: 'PIPELINE_TOO_NEW', message: 'too new', hint: 'Update Flowline.' } });
    await expect(api.openPipeline('/x')).rejects.toMatchObject({ name: 'FlowlineError', code: 'PIPELINE_TOO_NEW', message: 'too new', hint: 'Update Flowline.' });
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const p = await loadPreload();
    const api = p.exposed.flowline as { onEvent(l: (e: unknown) => void): () => void };
    const got: unknown[] = [];
    const off = api.onEvent((e) => got.push(e));
    const fire = (payload: unknown) => (p.listeners.get(IPC_EVENT_CHANNEL) ?? []).forEach((l) => l({}, payload));
    fire({ type: 'run:start', runId: 'r', nodes: [] });
    off();
    fire({ type: 'run:end', runId: 'r' });
    expect(got).toEqual([{ type: 'run:start', runId: 'r', nodes: [] }]);
  });

  it('keeps menu commands sent before the studio subscribed, hands them over in order, and drops malformed ones', async () => {
    const p = await loadPreload();
    const api = p.exposed.flowline as { onCommand(l: (c: unknown) => void): () => void };
    const send = (payload: unknown) => (p.listeners.get(IPC_COMMAND_CHANNEL) ?? []).forEach((l) => l({}, payload));
    send({ command: 'open-path', path: '/home/ann/churn.flow.json' }); // a double-click that started the app
    send({ command: 'rm -rf' });
    send({ command: 'open-path', path: 42 });
    send('save');
    const got: unknown[] = [];
    const off = api.onCommand((c) => got.push(c));
    expect(got).toEqual([{ command: 'open-path', path: '/home/ann/churn.flow.json' }]);
    send({ command: 'save' });
    off();
    send({ command: 'run' }); // kept for the next subscriber, not lost
    expect(got).toEqual([{ command: 'open-path', path: '/home/ann/churn.flow.json' }, { command: 'save' }]);
    const later: unknown[] = [];
    api.onCommand((c) => later.push(c));
    expect(later).toEqual([{ command: 'run' }]);
  });
});
