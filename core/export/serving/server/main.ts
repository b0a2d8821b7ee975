/**
 * The bundle's server: `node server.js` (SageMaker's `serve` argument is accepted and ignored;
 * `node server.js healthcheck` is the Docker health check).
 * One process, or with FLOWLINE_WORKERS=n a primary that forks n workers sharing the port; the
 * primary sums their metrics for /metrics and owns the request log. SIGTERM (or SIGINT): stop
 * accepting, let in-flight requests finish within the grace period, exit 0.
 */
import cluster, { type Worker } from 'node:cluster';
import { readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { App } from './app.ts';
import { MANIFEST_FILE, type Manifest } from './manifest.ts';
import { Registry, servingRegistry, type Snapshot } from './metrics.ts';
import { LoadedModel } from './model.ts';
import { RequestLogFile } from './request-log.ts';
import { readSettings, type Settings } from './settings.ts';

type Message =
  | { type: 'log-line'; line: string }
  | { type: 'metrics?'; id: number }
  | { type: 'snapshot?'; id: number }
  | { type: 'snapshot'; id: number; snapshot: Snapshot; rss: number }
  | { type: 'metrics'; id: number; text: string };

/**
 * Log lines (one per request with the access log on) wait up to LOG_FLUSH_MS (or until 64 KB) and
 * leave in one write: stdout to a file or a pipe is written synchronously, a system call each.
 * One write per turn of the event loop still cost ~4.5 µs per one-row request under the bench's
 * load (CPU profile), about a tenth of the request; one write per 20 ms costs nothing
 * measurable. Lines keep their order; on exit the rest is written.
 */
const LOG_FLUSH_MS = 20;
let logLines = '';
let logFlushing = false;
/** The last line's time: lines of the same millisecond share one ISO string. */
let logTimeMs = -1;
let logTime = '';
function flushLog(): void {
  logFlushing = false;
  if (!logLines) return;
  const text = logLines;
  logLines = '';
  process.stdout.write(text);
}
process.on('exit', () => {
  if (logLines) writeSync(1, logLines);
});

function log(entry: Record<string, unknown>): void {
  const fields = JSON.stringify(entry);
  logFields(fields.slice(1, -1));
}

const PID = process.pid;

/** One line from an entry's fields as JSON text without the braces: the same text as JSON.stringify({ time, pid, ...entry }). */
function logFields(fields: string): void {
  const now = Date.now();
  if (now !== logTimeMs) {
    logTimeMs = now;
    logTime = new Date(now).toISOString();
  }
  logLines += `{"time":"${logTime}","pid":${PID}${fields ? ',' : ''}${fields}}\n`;
  if (logLines.length >= 64 * 1024) flushLog();
  else if (!logFlushing) {
    logFlushing = true;
    setTimeout(flushLog, LOG_FLUSH_MS);
  }
}

function fatal(message: string): never {
  log({ level: 'fatal', event: 'start_failed', error: message });
  process.exit(2);
}

function loadConfig(): { manifest: Manifest; settings: Settings; openapi?: string } {
  const dir = resolve(process.env.FLOWLINE_MODEL_DIR || dirname(process.argv[1] ?? '.'));
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch (e) {
    fatal(`cannot read ${join(dir, MANIFEST_FILE)}: ${(e as Error).message}`);
  }
  let settings: Settings;
  try {
    settings = readSettings(process.env, manifest, dir);
  } catch (e) {
    fatal((e as Error).message);
  }
  let openapi: string | undefined;
  try {
    openapi = readFileSync(join(dir, 'openapi.json'), 'utf8');
  } catch {
    openapi = undefined;
  }
  return { manifest, settings, openapi };
}

function valueBuckets(manifest: Manifest): number[] {
  return manifest.models[0].valueBuckets ?? [-1000, -100, -10, -1, 0, 1, 10, 100, 1000];
}

// ---------------------------------------------------------------- one serving process

async function serve(manifest: Manifest, settings: Settings, openapi: string | undefined, viaPrimary: boolean): Promise<void> {
  const metrics = servingRegistry(valueBuckets(manifest));
  let requestLog: RequestLogFile | null = null;
  let writeRequestLog: ((line: string) => void) | undefined;
  if (settings.requestLog) {
    if (viaPrimary) writeRequestLog = (line) => process.send!({ type: 'log-line', line } satisfies Message);
    else {
      requestLog = new RequestLogFile(resolve(settings.requestLog), settings.requestLogMaxBytes);
      writeRequestLog = (line) => requestLog!.write(line);
    }
  }
  const pending = new Map<number, (text: string) => void>();
  let nextId = 0;
  const localText = () => {
    metrics.set('flowline_http_requests_in_flight', [], app.inFlight);
    metrics.set('process_resident_memory_bytes', [], process.memoryUsage.rss());
    return metrics.render();
  };
  const app = new App({
    manifest,
    settings,
    metrics,
    openapi,
    writeRequestLog,
    log,
    logFields,
    collectMetrics: () =>
      viaPrimary
        ? new Promise<string>((done) => {
            const id = nextId++;
            pending.set(id, done);
            process.send!({ type: 'metrics?', id } satisfies Message);
          })
        : Promise.resolve(localText()),
  });
  if (viaPrimary) {
    process.on('message', (m: Message) => {
      if (m.type === 'snapshot?') {
        metrics.set('flowline_http_requests_in_flight', [], app.inFlight);
        process.send!({ type: 'snapshot', id: m.id, snapshot: metrics.snapshot(), rss: process.memoryUsage.rss() } satisfies Message);
      } else if (m.type === 'metrics') {
        pending.get(m.id)?.(m.text);
        pending.delete(m.id);
      }
    });
  }

  const server = createServer(
    {
      requestTimeout: settings.requestTimeoutMs + 1000,
      headersTimeout: Math.min(settings.requestTimeoutMs, 60_000),
      keepAliveTimeout: 65_000,
      connectionsCheckingInterval: Math.min(1000, settings.bodyTimeoutMs),
    },
    app.handle,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Malformed HTTP (bad headers, headers too slow or too large): a 4xx, and the connection goes.
    if (socket.writable) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const body = JSON.stringify({ error: status === 408 ? 'The request did not arrive in time.' : 'Malformed HTTP request.', code: 'BAD_HTTP' });
      socket.end(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    } else socket.destroy();
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.draining = true;
    log({ level: 'info', event: 'stopping', signal, in_flight: app.inFlight });
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + settings.shutdownGraceMs;
    const check = () => {
      if (app.inFlight > 0 && Date.now() < deadline) return void setTimeout(check, 20);
      requestLog?.close();
      log({ level: 'info', event: 'stopped', unfinished: app.inFlight });
      process.exit(0);
    };
    check();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (viaPrimary) process.on('message', (m: unknown) => m === 'shutdown' && stop('SIGTERM'));

  const listen = async () => {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(settings.port, settings.host, () => done());
    });
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : settings.port;
    log({ level: 'info', event: 'listening', port: bound, host: settings.host, models: manifest.models.map((m) => m.name), routing: settings.routingMode });
    return bound;
  };
  const load = async () => {
    const policy = { unknownCategory: settings.unknownCategory, extraFields: settings.extraFields, maxRows: settings.maxRows };
    const models: LoadedModel[] = [];
    for (const spec of manifest.models) {
      const t0 = Date.now();
      const model = await LoadedModel.load(spec, readFileSync(join(settings.modelDir, spec.file)), policy, settings.threads, settings.batchRows);
      await model.warmUp();
      models.push(model);
      log({ level: 'info', event: 'model_ready', model_name: spec.name, model_version: spec.version, role: spec.role, load_ms: Date.now() - t0, micro_batching: model.notBatched ? `off: ${model.notBatched}` : `up to ${settings.batchRows} rows`, onnx_inputs: model.feeds.length, onnx_runs: model.runsVia });
    }
    return models;
  };
  // One process listens at once (liveness answers while the models load). A worker of several
  // loads first: the primary hands connections round-robin, and none may reach a worker still loading.
  let port: number;
  let models: LoadedModel[];
  if (viaPrimary) {
    models = await load();
    port = await listen();
  } else {
    port = await listen();
    models = await load();
  }
  app.setModels(models);
  log({ level: 'info', event: 'ready', port });
}

// ---------------------------------------------------------------- the primary of several workers

function primary(manifest: Manifest, settings: Settings): void {
  const requestLog = settings.requestLog ? new RequestLogFile(resolve(settings.requestLog), settings.requestLogMaxBytes) : null;
  const workers = new Set<Worker>();
  let stopping = false;
  let nextId = 0;
  const gathering = new Map<number, { asker: Worker; askerId: number; waiting: number; merged: Registry; rss: number }>();

  const fork = () => {
    const w = cluster.fork();
    workers.add(w);
    w.on('message', (m: Message) => {
      if (m.type === 'log-line') requestLog?.write(m.line);
      else if (m.type === 'metrics?') {
        const id = nextId++;
        const alive = [...workers].filter((x) => x.isConnected());
        gathering.set(id, { asker: w, askerId: m.id, waiting: alive.length, merged: servingRegistry(valueBuckets(manifest)), rss: process.memoryUsage.rss() });
        for (const x of alive) x.send({ type: 'snapshot?', id } satisfies Message);
      } else if (m.type === 'snapshot') {
        const g = gathering.get(m.id);
        if (!g) return;
        g.merged.merge(m.snapshot);
        g.rss += m.rss;
        if (--g.waiting === 0) {
          gathering.delete(m.id);
          g.merged.set('process_resident_memory_bytes', [], g.rss);
          if (g.asker.isConnected()) g.asker.send({ type: 'metrics', id: g.askerId, text: g.merged.render() } satisfies Message);
        }
      }
    });
    w.on('exit', (code) => {
      workers.delete(w);
      if (stopping) {
        if (workers.size === 0) {
          requestLog?.close();
          process.exit(0);
        }
        return;
      }
      log({ level: 'error', event: 'worker_exited', code, pid: w.process.pid });
      if (code === 2) process.exit(2);
      fork();
    });
  };
  for (let i = 0; i < settings.workers; i++) fork();
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of workers) w.send('shutdown');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** `node server.js healthcheck`: exit 0 when this container's server is ready (Docker HEALTHCHECK). */
function healthcheck(): void {
  const port = process.env.PORT || '8080';
  fetch(`http://127.0.0.1:${port}/v2/health/ready`, { signal: AbortSignal.timeout(3000) }).then(
    (r) => process.exit(r.ok ? 0 : 1),
    () => process.exit(1),
  );
}

if (process.argv[2] === 'healthcheck') healthcheck();
else {
  const { manifest, settings, openapi } = loadConfig();
  if (settings.workers > 1 && cluster.isPrimary) primary(manifest, settings);
  else serve(manifest, settings, openapi, settings.workers > 1).catch((e) => fatal((e as Error).message));
}
