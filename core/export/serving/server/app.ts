/**
 * The HTTP side: routes, error answers, access log, metrics and the champion/challenger flow
 * (bodies are read within their limits by body.ts). Every failure a caller can cause ends as a 4xx
 * JSON answer; a fault of ours is a 500 whose body says only that (its stack goes to the log,
 * never to the caller).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentKind, parseJson, readBody } from './body.ts';
import type { Batch } from './decode.ts';
import { RequestError } from './errors.ts';
import type { Manifest } from './manifest.ts';
import type { Registry } from './metrics.ts';
import { MetricLabels } from './metric-labels.ts';
import type { LoadedModel, Scored } from './model.ts';
import { invocationsResponse, predictResponse, readInvocations, readPredict, readV2, v2Metadata, v2Response } from './protocols.ts';
import { requestLogEntry, sampled } from './request-log.ts';
import { Router, type Route } from './router.ts';
import type { Settings } from './settings.ts';

export interface AppOptions {
  manifest: Manifest;
  settings: Settings;
  metrics: Registry;
  openapi?: string;
  /** Where sampled request-log lines go (a file here, or the primary process). */
  writeRequestLog?: (line: string) => void;
  /** Metrics of every worker, when there are several; else this process's. */
  collectMetrics: () => Promise<string>;
  log: (entry: Record<string, unknown>) => void;
  /** The same line as log's, from the entry's fields already written as JSON text without braces (the access log's per-request path). */
  logFields: (fields: string) => void;
}

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void> | void;

interface RequestContext {
  id: string;
  route: string;
  params: string[];
  started: bigint;
  /** performance.now() past which scoring is not started (FLOWLINE_REQUEST_TIMEOUT_MS). */
  deadline: number;
  rows?: number;
  model?: LoadedModel;
}

const JSON_TYPE = 'application/json';

export class App {
  models: LoadedModel[] = [];
  ready = false;
  draining = false;
  inFlight = 0;
  private router: Router<LoadedModel> | null = null;
  private shadowsWaiting = 0;
  private requestCount = 0;
  private readonly routes: { method: string; pattern: RegExp; route: string; handler: Handler }[];
  private readonly idPrefix = `${process.pid.toString(36)}-`;
  private readonly metricLabels = new MetricLabels();

  constructor(private readonly o: AppOptions) {
    const v2 = '/v2/models/([^/]+)(?:/versions/([^/]+))?';
    this.routes = [
      { method: 'GET', pattern: /^\/v2\/health\/live$/, route: '/v2/health/live', handler: (_q, res) => this.send(res, 200, { live: true }) },
      { method: 'GET', pattern: /^\/v2\/health\/ready$/, route: '/v2/health/ready', handler: (_q, res) => this.readiness(res, { ready: this.isReady() }) },
      { method: 'GET', pattern: /^\/v2\/?$/, route: '/v2', handler: (_q, res) => this.send(res, 200, { name: 'flowline', version: o.manifest.models[0].lineage.flowlineVersion, extensions: [] }) },
      { method: 'GET', pattern: new RegExp(`^${v2}/ready$`), route: '/v2/models/{name}/ready', handler: (_q, res, c) => this.readiness(res, { name: this.modelByPath(c).spec.name, ready: this.isReady() }) },
      { method: 'GET', pattern: new RegExp(`^${v2}/?$`), route: '/v2/models/{name}', handler: (_q, res, c) => this.send(res, 200, v2Metadata(this.modelByPath(c).spec)) },
      { method: 'POST', pattern: new RegExp(`^${v2}/infer$`), route: '/v2/models/{name}/infer', handler: (q, res, c) => this.infer(q, res, c) },
      { method: 'POST', pattern: /^\/invocations$/, route: '/invocations', handler: (q, res, c) => this.invocations(q, res, c) },
      { method: 'GET', pattern: /^\/(ping|health)$/, route: '/ping', handler: (_q, res) => this.readiness(res, { status: this.isReady() ? 'ok' : 'loading' }) },
      { method: 'GET', pattern: /^\/version$/, route: '/version', handler: (_q, res) => this.send(res, 200, { models: o.manifest.models.map((m) => ({ name: m.name, version: m.version, role: m.role })) }) },
      { method: 'POST', pattern: /^\/predict$/, route: '/predict', handler: (q, res, c) => this.predict(q, res, c) },
      { method: 'GET', pattern: /^\/metrics$/, route: '/metrics', handler: (_q, res) => this.metricsPage(res) },
      { method: 'GET', pattern: /^\/openapi\.json$/, route: '/openapi.json', handler: (_q, res) => this.openapi(res) },
    ];
  }

  /** Models are loaded and warmed up: start answering scoring requests. */
  setModels(models: LoadedModel[]): void {
    this.models = models;
    const s = this.o.settings;
    this.router = new Router(s.routingMode, s.challengerPercent, models[0], models[1]);
    for (const m of models) {
      const labels = this.metricLabels.model(m);
      m.onRun = () => this.o.metrics.inc('flowline_model_runs_total', labels);
      this.o.metrics.set('flowline_model_ready', labels, 1);
    }
    this.ready = true;
  }

  isReady(): boolean {
    return this.ready && !this.draining;
  }

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.url === '/predict' && req.method === 'POST' && this.ready && !this.draining && this.isPlainPredict(req)) {
      this.predictFast(req, res);
      return;
    }
    const path = (req.url ?? '/').split('?', 1)[0];
    const ctx = this.context(req, res, 'unmatched');
    res.setHeader('x-request-id', ctx.id);
    let allowed: string[] = [];
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      if (r.method !== req.method && !(r.method === 'GET' && req.method === 'HEAD')) {
        allowed.push(r.method);
        continue;
      }
      ctx.route = r.route;
      ctx.params = m.slice(1);
      allowed = [];
      // called now, not in a microtask: a thrown error and a rejected promise end alike in fail()
      let done: Promise<void> | void;
      try {
        done = r.handler(req, res, ctx);
      } catch (e) {
        this.fail(req, res, ctx, e);
        return;
      }
      if (done) done.catch((e: unknown) => this.fail(req, res, ctx, e));
      return;
    }
    req.resume();
    if (allowed.length) {
      res.setHeader('allow', allowed.join(', '));
      this.send(res, 405, { error: `${req.method} is not allowed on ${path}; use ${allowed.join(' or ')}.`, code: 'METHOD_NOT_ALLOWED' });
    } else {
      this.send(res, 404, { error: `No route ${path}. Routes: /v2/models/{name}/infer, /invocations, /predict, /metrics, /v2/health/ready, /ping.`, code: 'NOT_FOUND' });
    }
  };

  /** A request's context, counted in flight until its answer closes (then finished() logs and counts it). */
  private context(req: IncomingMessage, res: ServerResponse, route: string): RequestContext {
    const started = process.hrtime.bigint();
    const headerId = req.headers['x-request-id'];
    const id = typeof headerId === 'string' && headerId.length <= 128 ? headerId : `${this.idPrefix}${(++this.requestCount).toString(36)}`;
    const ctx: RequestContext = { id, route, params: [], started, deadline: performance.now() + this.o.settings.requestTimeoutMs };
    this.inFlight++;
    res.once('close', () => this.finished(req, res, ctx));
    return ctx;
  }

  // ---------------------------------------------------------------- scoring routes

  /** POST /predict as most callers send it: a JSON body of known length, no model pinned by header. */
  private isPlainPredict(req: IncomingMessage): boolean {
    const h = req.headers;
    return (h['content-type'] === 'application/json' || h['content-type'] === undefined) && h['x-flowline-model'] === undefined && Number(h['content-length']) <= this.o.settings.maxBodyBytes;
  }

  /**
   * The plain POST /predict (isPlainPredict) without the route table and the general handler's
   * layers: the same body limits, checks, scoring, answer, access-log line and metrics (the
   * shared functions below), with the request id sent among the answer's headers in one
   * writeHead. Any error ends as on the general path.
   */
  private predictFast(req: IncomingMessage, res: ServerResponse): void {
    const ctx = this.context(req, res, '/predict');
    readBody(req, res, ctx.route, ['json'], this.o.settings)
      .then((text) => {
        const { batch, single } = readPredict(parseJson(text), this.models[0].decoder);
        return this.score(req, ctx, batch).then(({ model, scored }) => this.send(res, 200, predictResponse(model.spec, scored, single), model, ctx.id));
      })
      .catch((e: unknown) => {
        if (!res.headersSent) res.setHeader('x-request-id', ctx.id);
        this.fail(req, res, ctx, e);
      });
  }

  private async infer(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const named = this.modelByPath(ctx);
    const body = parseJson(await readBody(req, res, ctx.route, ['json'], this.o.settings));
    this.requireReady();
    // The champion's name is routed (A/B, canary, shadow); the challenger's name reaches it directly.
    const direct = this.pinned(req) ?? (named === this.models[0] ? undefined : named);
    const request = readV2(body, (direct ?? this.models[0]).decoder);
    const { model, scored } = await this.score(req, ctx, request.batch, direct);
    this.send(res, 200, v2Response(model.spec, scored, request), model);
  }

  private async invocations(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const text = await readBody(req, res, ctx.route, ['json', 'csv'], this.o.settings);
    const csv = contentKind(req) === 'csv';
    const body = csv ? text : parseJson(text);
    this.requireReady();
    const direct = this.pinned(req);
    const batch = readInvocations(body, csv ? 'csv' : 'json', (direct ?? this.models[0]).decoder);
    const { model, scored } = await this.score(req, ctx, batch, direct);
    this.send(res, 200, invocationsResponse(scored), model);
  }

  private async predict(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const body = parseJson(await readBody(req, res, ctx.route, ['json'], this.o.settings));
    this.requireReady();
    const direct = this.pinned(req);
    const { batch, single } = readPredict(body, (direct ?? this.models[0]).decoder);
    const { model, scored } = await this.score(req, ctx, batch, direct);
    this.send(res, 200, predictResponse(model.spec, scored, single), model);
  }

  /** `x-flowline-model: NAME` asks for one model by name, past the routing (replay, debugging). */
  private pinned(req: IncomingMessage): LoadedModel | undefined {
    const name = req.headers['x-flowline-model'];
    if (typeof name !== 'string') return undefined;
    const model = this.models.find((m) => m.spec.name === name);
    if (!model) throw new RequestError(404, 'MODEL_NOT_FOUND', `x-flowline-model: no model "${name}" here; this server has ${this.models.map((m) => `"${m.spec.name}"`).join(' and ')}.`);
    return model;
  }

  /** Route, score (with the request's time limit), count, log, and schedule the shadow. */
  private async score(req: IncomingMessage, ctx: RequestContext, batch: Batch, direct?: LoadedModel): Promise<{ model: LoadedModel; scored: Scored }> {
    ctx.rows = batch.rows;
    const key = req.headers[this.o.settings.keyHeader];
    const route: Route<LoadedModel> = direct ? { answer: direct } : this.router!.pick(typeof key === 'string' ? key : undefined);
    let model = route.answer;
    let scored: Scored;
    try {
      scored = await this.run(model, batch, 'answered', ctx);
    } catch (e) {
      if (!route.fallback || e instanceof RequestError) throw e;
      model = route.fallback;
      scored = await this.run(model, batch, 'answered', ctx);
    }
    ctx.model = model;
    this.logRequest(ctx, model, 'answered', batch, scored);
    if (route.shadow) this.scheduleShadow(route.shadow, model, scored, batch, ctx);
    return { model, scored };
  }

  private async run(model: LoadedModel, batch: Batch, mode: 'answered' | 'shadow', ctx: RequestContext): Promise<Scored> {
    const labels = this.metricLabels.mode(model, mode);
    const t0 = process.hrtime.bigint();
    let scored: Scored;
    try {
      scored = await model.score(batch, mode === 'answered' ? ctx.deadline : Infinity);
    } catch (e) {
      if (!(e instanceof RequestError)) this.o.metrics.inc('flowline_model_errors_total', labels);
      throw e;
    }
    const m = this.o.metrics;
    m.observe('flowline_model_inference_duration_seconds', labels, Number(process.hrtime.bigint() - t0) / 1e9);
    m.inc('flowline_model_requests_total', labels);
    m.inc('flowline_model_rows_total', labels, batch.rows);
    if (model.spec.classes || model.spec.task === 'clustering') {
      const predictions = scored.predictions;
      if (predictions.length === 1) m.inc('flowline_model_predictions_total', this.metricLabels.modeClass(model, mode, predictions[0]));
      else {
        const counts = new Map<string | number, number>();
        for (const p of predictions) counts.set(p, (counts.get(p) ?? 0) + 1);
        for (const [label, n] of counts) m.inc('flowline_model_predictions_total', this.metricLabels.modeClass(model, mode, label), n);
      }
    } else {
      for (const p of scored.predictions) m.observe('flowline_model_prediction_value', labels, Number(p));
    }
    return scored;
  }

  /** Shadow scoring runs after the answer is sent, and is dropped (and counted) when too many wait. */
  private scheduleShadow(challenger: LoadedModel, champion: LoadedModel, answer: Scored, batch: Batch, ctx: RequestContext): void {
    if (this.shadowsWaiting >= this.o.settings.shadowQueue) {
      this.o.metrics.inc('flowline_shadow_dropped_total', []);
      return;
    }
    this.shadowsWaiting++;
    setImmediate(() => {
      this.run(challenger, batch, 'shadow', ctx)
        .then((shadow) => {
          this.compare(champion, challenger, answer, shadow);
          this.logRequest(ctx, challenger, 'shadow', batch, shadow);
        })
        .catch((e) => this.o.log({ level: 'error', event: 'shadow_failed', request_id: ctx.id, model_name: challenger.spec.name, error: String((e as Error).message) }))
        .finally(() => this.shadowsWaiting--);
    });
  }

  private compare(champion: LoadedModel, challenger: LoadedModel, a: Scored, b: Scored): void {
    const names = [champion.spec.name, challenger.spec.name];
    const m = this.o.metrics;
    let agree = 0;
    for (let r = 0; r < a.rows; r++) {
      const x = a.predictions[r];
      const y = b.predictions[r];
      if (typeof x === 'number' && typeof y === 'number' && !champion.spec.classes) m.observe('flowline_shadow_abs_difference', names, Math.abs(x - y));
      if (x === y) agree++;
    }
    if (agree) m.inc('flowline_shadow_comparisons_total', [...names, 'agree'], agree);
    if (a.rows - agree) m.inc('flowline_shadow_comparisons_total', [...names, 'disagree'], a.rows - agree);
  }

  private logRequest(ctx: RequestContext, model: LoadedModel, mode: 'answered' | 'shadow', batch: Batch, scored: Scored): void {
    const write = this.o.writeRequestLog;
    if (!write || !sampled(this.o.settings.requestLogSample)) return;
    write(JSON.stringify(requestLogEntry(ctx, model, mode, batch, scored)));
    this.o.metrics.inc('flowline_request_log_rows_total', [], batch.rows);
  }

  // ---------------------------------------------------------------- other routes

  private modelByPath(ctx: RequestContext): LoadedModel {
    const [name, version] = ctx.params;
    const decoded = decodeURIComponent(name);
    const spec = this.o.manifest.models.find((m) => m.name === decoded);
    if (!spec) throw new RequestError(404, 'MODEL_NOT_FOUND', `No model "${decoded}" here; this server has ${this.o.manifest.models.map((m) => `"${m.name}"`).join(' and ')}.`);
    if (version !== undefined && decodeURIComponent(version) !== spec.version) {
      throw new RequestError(404, 'MODEL_NOT_FOUND', `Model "${spec.name}" has version "${spec.version}" only, not "${decodeURIComponent(version)}".`);
    }
    const model = this.models.find((m) => m.spec === spec);
    if (!model) throw new RequestError(503, 'NOT_READY', `Model "${spec.name}" is not ready yet (it is loading).`);
    return model;
  }

  private requireReady(): void {
    if (!this.ready) throw new RequestError(503, 'NOT_READY', 'The model is not ready yet (it is loading); retry after /v2/health/ready answers 200.');
  }

  private readiness(res: ServerResponse, body: Record<string, unknown>): void {
    this.send(res, this.isReady() ? 200 : 503, body);
  }

  private async metricsPage(res: ServerResponse): Promise<void> {
    const text = await this.o.collectMetrics();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private openapi(res: ServerResponse): void {
    if (!this.o.openapi) throw new RequestError(404, 'NOT_FOUND', 'This bundle has no openapi.json.');
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(this.o.openapi) });
    res.end(this.o.openapi);
  }

  // ---------------------------------------------------------------- plumbing

  private fail(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, e: unknown): void {
    if (res.headersSent || res.destroyed) return;
    if (e instanceof RequestError) {
      this.send(res, e.status, e.body());
      return;
    }
    this.o.log({ level: 'error', event: 'internal_error', request_id: ctx.id, route: ctx.route, error: String((e as Error)?.message ?? e), stack: (e as Error)?.stack });
    this.send(res, 500, { error: `Internal error (request ${ctx.id}); the server log has the details.`, code: 'INTERNAL' });
  }

  /** `requestId`: the x-request-id header, when not set on `res` already. */
  send(res: ServerResponse, status: number, body: unknown, model?: LoadedModel, requestId?: string): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    if (model) {
      headers['x-flowline-model'] = model.spec.name;
      headers['x-flowline-model-version'] = model.spec.version;
    }
    if (this.draining) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(text);
  }

  private finished(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    this.inFlight--;
    const seconds = Number(process.hrtime.bigint() - ctx.started) / 1e9;
    const status = res.writableFinished ? res.statusCode : 499;
    const labels = this.metricLabels.http(ctx.route, status);
    this.o.metrics.inc('flowline_http_requests_total', labels.routeStatus);
    this.o.metrics.observe('flowline_http_request_duration_seconds', labels.route, seconds);
    if (this.o.settings.accessLog) {
      // the text JSON.stringify gives the entry {level, event, request_id, method, path, route,
      // status, duration_ms, rows?, model_name?, model_version?, remote?}, written directly:
      // this line is on every request's path
      const model = ctx.model;
      const remote = req.socket.remoteAddress;
      this.o.logFields(
        `"level":"info","event":"request","request_id":${JSON.stringify(ctx.id)},"method":${JSON.stringify(req.method)},"path":${JSON.stringify((req.url ?? '').slice(0, 200))},"route":${JSON.stringify(ctx.route)},"status":${status},"duration_ms":${JSON.stringify(Math.round(seconds * 1e5) / 100)}${ctx.rows === undefined ? '' : `,"rows":${ctx.rows}`}${model ? `,"model_name":${JSON.stringify(model.spec.name)},"model_version":${JSON.stringify(model.spec.version)}` : ''}${remote === undefined ? '' : `,"remote":${JSON.stringify(remote)}`}`,
      );
    }
  }
}
