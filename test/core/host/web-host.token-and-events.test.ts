import { TOY_TASKS } from '../../support/toy-tasks.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import type { RunEvent } from '../../../core/host/api.ts';
import { startWebHost, toWireJson, type WebHost } from '../../../core/host/web-host.ts';
import { WIRE_PATH, type WireMessage } from '../../../core/host/wire.ts';
import { chainPipeline, fakeData, HOST_TEST_NODES, tempDir } from './host-fixtures.ts';

let hosts: WebHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  hosts = [];
});

async function start(rendererDir = tempDir(), maxMessageBytes?: number) {
  const host = await startWebHost({ nodes: HOST_TEST_NODES, tasks: TOY_TASKS, stateDir: tempDir(), templatesDir: tempDir(), rendererDir, engine: fakeData, maxMessageBytes });
  hosts.push(host);
  return host;
}

function builtRenderer(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Flowline</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("studio")');
  return dir;
}

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A minimal wire client: call() by id, events collected. */
async function connect(host: WebHost, query = `?token=${host.token}`, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${WIRE_PATH}${query}`, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const events: RunEvent[] = [];
  const pending = new Map<number, (m: WireMessage) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as WireMessage;
    if ('event' in m) events.push(m.event);
    else pending.get(m.id)?.(m);
  });
  let next = 1;
  const call = (method: string, ...args: unknown[]) =>
    new Promise<WireMessage>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, args }));
    });
  return { ws, call, events };
}

describe('web host', () => {
  it('listens on 127.0.0.1 and refuses HTTP requests without the token', async () => {
    const host = await start(builtRenderer());
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
    expect((await get(host.port, '/')).status).toBe(403);
    expect((await get(host.port, '/assets/app.js')).status).toBe(403);
    expect((await get(host.port, '/?token=wrong')).status).toBe(403);
    // The right token, but through a foreign Host name (DNS rebinding): refused.
    expect((await get(host.port, `/?token=${host.token}`, { Host: `evil.example:${host.port}` })).status).toBe(403);
  });

  it('serves the studio with its CSP, and its assets through the cookie the first page set', async () => {
    const host = await start(builtRenderer());
    const page = await get(host.port, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Flowline</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain('connect-src \'self\' ws://127.0.0.1:*');
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe(`flowline_token_${host.port}=${host.token}`);
    const asset = await get(host.port, '/assets/app.js', { Cookie: cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect((await get(host.port, '/assets/missing.js', { Cookie: cookie })).status).toBe(404);
    // Escaping the renderer folder: refused when encoded, and dot segments only ever reach the app page.
    expect((await get(host.port, '/..%2f..%2f..%2fetc%2fpasswd', { Cookie: cookie })).status).toBe(403);
    expect((await get(host.port, '/assets/../../../etc/passwd', { Cookie: cookie })).body).not.toMatch(/root:/);
  });

  it('says to run the build when the renderer is missing', async () => {
    const host = await start(join(tempDir(), 'no-renderer'));
    const page = await get(host.port, `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('npm run build');
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const host = await start();
    await expect(connect(host, '')).rejects.toThrow(/403/);
    await expect(connect(host, '?token=nope')).rejects.toThrow(/403/);
    await expect(connect(host, `?token=${host.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers calls over the WebSocket, parsing arguments and rejecting unknown methods', async () => {
    const host = await start();
    const { call, ws } = await connect(host, `?token=${host.token}`, { Origin: `http://127.0.0.1:${host.port}` });
    expect(await call('hello')).toMatchObject({ id: 1, result: { apiVersion: 1, host: 'web' } });
    expect(await call('deleteEverything')).toMatchObject({ id: 2, error: { code: 'INVALID_PARAM', message: 'Unknown method "deleteEverything".' } });
    expect(await call('openPipeline', 42)).toMatchObject({ id: 3, error: { code: 'INVALID_PARAM', message: expect.stringMatching(/Bad arguments for openPipeline/) } });
    expect(await call('lastRun')).toEqual({ id: 4, result: null });
    ws.close();
  });

  it('pushes run events to every connected client', async () => {
    const host = await start();
    const a = await connect(host);
    const b = await connect(host);
    const reply = (await a.call('run', { pipeline: chainPipeline() })) as { result: { runId: string } };
    const runId = reply.result.runId;
    // Each socket gets the events in its own time: wait for the end on both, not on one.
    const ended = () => [a, b].every((c) => c.events.some((e) => e.type === 'run:end' && e.runId === runId));
    const deadline = Date.now() + 50_000;
    while (!ended() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const client of [a, b]) {
      const types = client.events.filter((e) => e.runId === runId).map((e) => e.type);
      expect(types[0]).toBe('run:start');
      expect(types.at(-1)).toBe('run:end');
      expect(types.filter((t) => t === 'node:done')).toHaveLength(3);
    }
    const page = (await b.call('preview', { nodeId: 'rows', offset: 0, limit: 2 })) as { result: { rows: unknown[][] } };
    expect(page.result.rows).toEqual([[0], [10]]);
    a.ws.close();
    b.ws.close();
  });

  it('says plainly when the port is taken', async () => {
    const host = await start();
    await expect(startWebHost({ nodes: [], tasks: TOY_TASKS, port: host.port, stateDir: tempDir(), templatesDir: tempDir() })).rejects.toMatchObject({
      code: 'INVALID_PARAM',
      message: `Port ${host.port} on 127.0.0.1 is already in use.`,
    });
  });

  const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  /** Errors that would have ended a real studio process (no listener for them). */
  function watchUncaught() {
    const seen: unknown[] = [];
    const onError = (e: unknown) => seen.push(e);
    process.on('uncaughtException', onError);
    return { seen, stop: () => void process.off('uncaughtException', onError) };
  }

  it('closes only the connection that sent a message over the size limit, with 1009, and keeps answering', async () => {
    const host = await start(tempDir(), 64 * 1024);
    const uncaught = watchUncaught();
    onTestFinished(uncaught.stop);
    const other = await connect(host);
    const big = await connect(host);
    const closed = closeCode(big.ws);
    big.ws.send(JSON.stringify({ id: 1, method: 'validatePipeline', args: [{ name: 'x'.repeat(100 * 1024) }] }));
    expect(await closed).toBe(1009);
    expect(await other.call('hello')).toMatchObject({ result: { host: 'web' } });
    expect(await (await connect(host)).call('hello')).toMatchObject({ result: { host: 'web' } });
    expect(uncaught.seen).toEqual([]);
  });

  it('closes a connection that sends text that is not UTF-8 with 1007, and keeps answering', async () => {
    const host = await start();
    const uncaught = watchUncaught();
    onTestFinished(uncaught.stop);
    const bad = await connect(host);
    const closed = closeCode(bad.ws);
    bad.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    expect(await (await connect(host)).call('hello')).toMatchObject({ result: { host: 'web' } });
    expect(uncaught.seen).toEqual([]);
  });

  it('sends typed arrays as arrays and bigints as numbers (or strings past 2^53)', () => {
    const text = toWireJson({ a: new Float64Array([1.5, 2]), b: new Int32Array([3]), c: 7n, d: 2n ** 60n, e: [new Uint8Array([1])] });
    expect(JSON.parse(text)).toEqual({ a: [1.5, 2], b: [3], c: 7, d: '1152921504606846976', e: [[1]] });
  });
});
