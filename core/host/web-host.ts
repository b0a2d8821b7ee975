/**
 * The studio in a browser: Node `http` serves the built renderer (out/renderer) and a WebSocket
 * (core/host/wire.ts) carries the FlowlineApi. Listens on 127.0.0.1 only; a random token is
 * required on every HTTP request (in `?token=`, or the cookie set when the page is first opened
 * with it) and on the WebSocket upgrade. Host and Origin headers are checked too, so another web
 * page (or a DNS-rebinding trick) cannot drive the studio.
 */
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { TaskRegistry } from '../exec/task-registry.ts';
import type { AnyNodeSpec } from '../spec/define-node.ts';
import { FlowlineError, toErrorInfo } from '../spec/errors.ts';
import type { RunEvent } from './api.ts';
import { createService, type FlowlineService, type ServiceEngine } from './service.ts';
import { parseArgs } from './service/methods.ts';
import { DEFAULT_RENDERER_DIR, DEFAULT_TEMPLATES_DIR, STUDIO_CSP, defaultStateDir } from './service/state-dir.ts';
import { WIRE_PATH, type WireMessage } from './wire.ts';

export interface WebHostOptions {
  /** 0 or absent: a free port. */
  port?: number;
  nodes: readonly AnyNodeSpec[];
  tasks: TaskRegistry;
  stateDir?: string;
  cacheDir?: string;
  templatesDir?: string;
  rendererDir?: string;
  /** Folder the file pickers start in. */
  cwd?: string;
  openBrowser?: boolean;
  engine?: Partial<ServiceEngine>;
  /** Largest WebSocket message accepted (default 64 MB); a bigger one closes that connection with 1009. */
  maxMessageBytes?: number;
}

/** The default size limit of one WebSocket message. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface WebHost {
  url: string;
  token: string;
  port: number;
  service: FlowlineService;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flowline — not built yet</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The studio has not been built yet</h1>
<p>The web host is running, but there is no built renderer in <code>out/renderer</code>.</p>
<p>Run <code>npm run build</code> in the Flowline folder, then start the studio again.</p>
</body></html>`;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  const service = createService({
    nodes: options.nodes,
    tasks: options.tasks,
    stateDir: options.stateDir ?? defaultStateDir(),
    cacheDir: options.cacheDir,
    host: 'web',
    templatesDir: options.templatesDir ?? DEFAULT_TEMPLATES_DIR,
    cwd: options.cwd,
    engine: options.engine,
  });

  let port = 0;
  const cookieName = () => `flowline_token_${port}`;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const tokenOk = (req: IncomingMessage, url: URL): 'query' | 'cookie' | null => {
    if (safeEqual(url.searchParams.get('token'), token)) return 'query';
    if (safeEqual(readCookie(req.headers.cookie, cookieName()), token)) return 'cookie';
    return null;
  };

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((e) => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `Flowline could not answer this request: ${toErrorInfo(e).message}`);
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden: wrong Host header.');
    const how = tokenOk(req, url);
    if (!how) {
      return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden: this Flowline studio needs its access token. Open the full URL that `flowline studio` (or `npm start`) printed.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Only GET is served here; the API travels over the WebSocket.');
    const extra: Record<string, string> = {};
    // Scripts and styles the page loads carry no query string: the cookie lets them through.
    if (how === 'query') extra['Set-Cookie'] = `${cookieName()}=${token}; Path=/; HttpOnly; SameSite=Strict`;

    const indexPath = join(rendererDir, 'index.html');
    if (!existsSync(indexPath)) return send(res, 200, MIME['.html'], NOT_BUILT_PAGE, extra);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'Bad path.');
    }
    let file = resolve(rendererDir, '.' + pathname);
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return send(res, 403, 'text/plain; charset=utf-8', 'Forbidden path.');
    if (!existsSync(file) || statSync(file).isDirectory()) {
      // Client-side routes fall back to the app; a missing asset is a plain 404.
      if (extname(pathname) && pathname !== '/') return send(res, 404, 'text/plain; charset=utf-8', `Not found: ${pathname}`);
      file = indexPath;
    }
    const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const body = await readFile(file);
    if (file === indexPath) extra['Cache-Control'] = 'no-store';
    send(res, 200, type, req.method === 'HEAD' ? '' : body, extra);
  }

  // A bad request or a connection reset must never take the studio down with it.
  server.on('clientError', (_e, socket) => socket.destroy());
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MAX_MESSAGE_BYTES });
  wss.on('error', () => {});
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const originOk = origin === undefined || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (url.pathname !== WIRE_PATH || !allowedHosts().has(req.headers.host ?? '') || !originOk || !tokenOk(req, url)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    // ws has already closed the connection with the right code (1009 too big, 1007 not UTF-8, 1002
    // bad frame); without a listener the 'error' event would end the whole process.
    ws.on('error', () => {});
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      void handleCall(ws, data.toString());
    });
  });

  async function handleCall(ws: WebSocket, text: string): Promise<void> {
    let id = 0;
    try {
      const call = JSON.parse(text) as { id?: unknown; method?: unknown; args?: unknown };
      if (typeof call.id !== 'number' || !Number.isFinite(call.id)) throw new Error('each call needs a numeric "id"');
      id = call.id;
      const method = typeof call.method === 'string' ? call.method : '';
      const args = parseArgs(method, call.args);
      const fn = service[method as keyof FlowlineService] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn(...args);
      reply(ws, { id, result: result ?? null });
    } catch (e) {
      reply(ws, { id, error: toErrorInfo(e) });
    }
  }

  const unsubscribe = service.onEvent((event: RunEvent) => {
    const text = toWireJson({ event });
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      void service.dispose();
      fail(
        e.code === 'EADDRINUSE'
          ? new FlowlineError({ code: 'INVALID_PARAM', message: `Port ${options.port} on 127.0.0.1 is already in use.`, hint: 'Choose another with --port, or leave it out to pick a free one.' })
          : e,
      );
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  if (options.openBrowser) openInBrowser(url);

  let closed: Promise<void> | null = null;
  return {
    url,
    token,
    port,
    service,
    close() {
      return (closed ??= (async () => {
        unsubscribe();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        await service.dispose();
      })());
    },
  };
}

function reply(ws: WebSocket, message: WireMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(toWireJson(message));
}

/** JSON for the wire: typed arrays travel as plain arrays, bigints as numbers (or strings past 2^53). */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => (typeof x === 'bigint' ? Number(x) : x));
    return v;
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': STUDIO_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    ...extra,
  });
  res.end(body);
}

function safeEqual(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Open a URL in the default browser; failure is fine (the URL is printed anyway). */
export function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener on this machine: the printed URL is enough.
  }
}
