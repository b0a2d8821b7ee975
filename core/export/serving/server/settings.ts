/**
 * The server's settings, all from environment variables. Each is declared once here: the server
 * parses it, and the bundle writer prints the same list into the bundle's README.
 */
import type { Manifest, RoutingMode } from './manifest.ts';

export interface Settings {
  modelDir: string;
  port: number;
  host: string;
  workers: number;
  threads: number;
  batchRows: number;
  requestTimeoutMs: number;
  bodyTimeoutMs: number;
  shutdownGraceMs: number;
  maxBodyBytes: number;
  maxRows: number;
  unknownCategory: 'accept' | 'reject';
  extraFields: 'ignore' | 'reject';
  routingMode: RoutingMode;
  challengerPercent: number;
  keyHeader: string;
  accessLog: boolean;
  requestLog: string;
  requestLogSample: number;
  requestLogMaxBytes: number;
  shadowQueue: number;
}

interface SettingSpec {
  env: string;
  key: keyof Settings;
  description: string;
  /** Default shown in the README; `from manifest` when the export chose it. */
  defaultText: string;
  parse(raw: string): unknown;
}

function int(min: number, max: number) {
  return (raw: string) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
}
function num(min: number, max: number) {
  return (raw: string) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`expected a number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
}
function oneOf<T extends string>(...values: T[]) {
  return (raw: string) => {
    if (!values.includes(raw as T)) throw new Error(`expected one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}
function bool(raw: string): boolean {
  if (['1', 'true', 'on', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'off', 'no'].includes(raw.toLowerCase())) return false;
  throw new Error(`expected on or off, got "${raw}"`);
}

export const SETTINGS: SettingSpec[] = [
  { env: 'FLOWLINE_MODEL_DIR', key: 'modelDir', defaultText: 'the folder of server.js', description: 'Folder holding flowline-model.json and the ONNX files.', parse: (s) => s },
  { env: 'PORT', key: 'port', defaultText: '8080', description: 'TCP port for every protocol (0 picks a free one).', parse: int(0, 65535) },
  { env: 'FLOWLINE_HOST', key: 'host', defaultText: '0.0.0.0', description: 'Address to listen on.', parse: (s) => s },
  { env: 'FLOWLINE_WORKERS', key: 'workers', defaultText: '1', description: 'HTTP worker processes sharing the port; /metrics sums them all.', parse: int(1, 64) },
  { env: 'FLOWLINE_THREADS', key: 'threads', defaultText: '1', description: 'onnxruntime intra-op threads per worker.', parse: int(1, 64) },
  {
    env: 'FLOWLINE_BATCH_ROWS',
    key: 'batchRows',
    defaultText: '256',
    description:
      'Micro-batching: requests that arrive while the model is busy are scored together in one onnxruntime run of at most this many rows (1 turns it off). Only for models whose answer for a row cannot depend on the batch (trees, sums and comparisons; not exp, log or tanh), with FLOWLINE_THREADS=1; a lone request never waits.',
    parse: int(1, 1_000_000),
  },
  { env: 'FLOWLINE_REQUEST_TIMEOUT_MS', key: 'requestTimeoutMs', defaultText: '30000', description: 'Longest a request may wait before its scoring starts, body included (408 while reading, 503 when its run would start later).', parse: int(100, 3_600_000) },
  { env: 'FLOWLINE_BODY_TIMEOUT_MS', key: 'bodyTimeoutMs', defaultText: '10000', description: 'Longest the body of a request may take to arrive (slow clients get 408).', parse: int(50, 3_600_000) },
  { env: 'FLOWLINE_SHUTDOWN_GRACE_MS', key: 'shutdownGraceMs', defaultText: '25000', description: 'On SIGTERM, how long in-flight requests may still finish before the process exits.', parse: int(0, 3_600_000) },
  { env: 'FLOWLINE_MAX_BODY_BYTES', key: 'maxBodyBytes', defaultText: 'from manifest', description: 'Largest request body (413 above it).', parse: int(1024, 1 << 30) },
  { env: 'FLOWLINE_MAX_ROWS', key: 'maxRows', defaultText: 'from manifest', description: 'Most rows in one request (413 above it).', parse: int(1, 10_000_000) },
  { env: 'FLOWLINE_UNKNOWN_CATEGORY', key: 'unknownCategory', defaultText: 'from manifest', description: 'accept: a text value the model never saw is scored as unseen; reject: 422.', parse: oneOf('accept', 'reject') },
  { env: 'FLOWLINE_EXTRA_FIELDS', key: 'extraFields', defaultText: 'from manifest', description: 'ignore or reject (422) fields the model does not read.', parse: oneOf('ignore', 'reject') },
  { env: 'FLOWLINE_ROUTING', key: 'routingMode', defaultText: 'from manifest', description: 'single, ab, canary or shadow (needs a challenger in the bundle).', parse: oneOf('single', 'ab', 'canary', 'shadow') },
  { env: 'FLOWLINE_CHALLENGER_PERCENT', key: 'challengerPercent', defaultText: 'from manifest', description: 'Share of requests (0-100) the challenger answers in ab and canary mode.', parse: num(0, 100) },
  { env: 'FLOWLINE_ROUTING_KEY_HEADER', key: 'keyHeader', defaultText: 'from manifest', description: 'Request header whose value keeps a caller on one model (sticky assignment).', parse: (s) => s.toLowerCase() },
  { env: 'FLOWLINE_ACCESS_LOG', key: 'accessLog', defaultText: 'on', description: 'One JSON line per request on stdout.', parse: bool },
  { env: 'FLOWLINE_REQUEST_LOG', key: 'requestLog', defaultText: '(off)', description: 'Path of a JSON Lines file of sampled inputs and predictions (for drift checks).', parse: (s) => s },
  { env: 'FLOWLINE_REQUEST_LOG_SAMPLE', key: 'requestLogSample', defaultText: '0.1', description: 'Share of requests written to the request log (0-1).', parse: num(0, 1) },
  { env: 'FLOWLINE_REQUEST_LOG_MAX_BYTES', key: 'requestLogMaxBytes', defaultText: '104857600', description: 'When the request log reaches this size it is renamed to <file>.1 (replacing the older one) and a new file starts.', parse: int(1024, Number.MAX_SAFE_INTEGER) },
  { env: 'FLOWLINE_SHADOW_QUEUE', key: 'shadowQueue', defaultText: '64', description: 'Most shadow scorings waiting at once; beyond it they are dropped and counted.', parse: int(1, 100_000) },
];

/** Settings from the environment over the manifest's export-time choices. Throws naming the variable. */
export function readSettings(env: Record<string, string | undefined>, manifest: Manifest, modelDir: string): Settings {
  const settings: Settings = {
    modelDir,
    port: 8080,
    host: '0.0.0.0',
    workers: 1,
    threads: 1,
    batchRows: 256,
    requestTimeoutMs: 30_000,
    bodyTimeoutMs: 10_000,
    shutdownGraceMs: 25_000,
    maxBodyBytes: manifest.validation.maxBodyBytes,
    maxRows: manifest.validation.maxRows,
    unknownCategory: manifest.validation.unknownCategory,
    extraFields: manifest.validation.extraFields,
    routingMode: manifest.routing.mode,
    challengerPercent: manifest.routing.challengerPercent,
    keyHeader: manifest.routing.keyHeader.toLowerCase(),
    accessLog: true,
    requestLog: '',
    requestLogSample: 0.1,
    requestLogMaxBytes: 100 * 1024 * 1024,
    shadowQueue: 64,
  };
  for (const spec of SETTINGS) {
    const raw = env[spec.env];
    if (raw === undefined || raw === '') continue;
    try {
      (settings as unknown as Record<string, unknown>)[spec.key] = spec.parse(raw.trim());
    } catch (e) {
      throw new Error(`${spec.env}: ${(e as Error).message}`);
    }
  }
  if (settings.routingMode !== 'single' && manifest.models.length < 2) {
    throw new Error(`FLOWLINE_ROUTING=${settings.routingMode} needs a challenger model, and this bundle has only "${manifest.models[0].name}".`);
  }
  return settings;
}
