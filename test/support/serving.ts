/**
 * Serving-bundle test helpers: a bundle of the tiny hand-built models (test/support/tiny-onnx.ts),
 * and the bundle's server started exactly as a user would, `node server.js` in the bundle folder
 * (onnxruntime-node linked in as `npm ci` would install it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBundle, type BundleModel, type BundleOptions, type BundleResult } from '../../core/export/serving/bundle.ts';
import type { InputColumn } from '../../core/export/serving/server/manifest.ts';
import { TINY_COLORS, tinyClassifier, tinyProbability } from './tiny-onnx.ts';

const REPO = resolve(import.meta.dirname, '../..');

export const TINY_INPUTS: InputColumn[] = [
  { name: 'x', kind: 'number', onnxType: 'double', sourceType: 'DOUBLE', nullable: false },
  { name: 'flag', kind: 'boolean', onnxType: 'double', sourceType: 'BOOLEAN', nullable: false },
  { name: 'color', kind: 'string', onnxType: 'string', sourceType: 'VARCHAR', categories: TINY_COLORS, nullable: false },
];

export interface TinyRow {
  x: number;
  flag: boolean;
  color: string;
  [k: string]: string | number | boolean;
}

export function tinyRows(n: number, offset = 0): TinyRow[] {
  return Array.from({ length: n }, (_, i) => ({ x: Math.round(((i + offset) * 0.37 - 2) * 1000) / 1000, flag: (i + offset) % 3 === 0, color: TINY_COLORS[(i + offset) % 3] }));
}

/** What the tiny classifier answers for `rows`: labels and [P(no), P(yes)] per row. */
export function tinyExpected(rows: TinyRow[], w?: number[], b?: number): { predictions: string[]; probabilities: number[][] } {
  const probabilities = rows.map((r) => {
    const p = tinyProbability(r, w, b);
    return [1 - p, p];
  });
  return { predictions: probabilities.map(([p0, p1]) => (p1 > p0 ? 'yes' : 'no')), probabilities };
}

export function tinyModel(name: string, w?: number[], b?: number): BundleModel {
  const rows = tinyRows(12);
  const expected = tinyExpected(rows, w, b);
  return {
    name,
    onnx: tinyClassifier(w, b),
    task: 'binary',
    target: 'bought',
    classes: ['no', 'yes'],
    learner: 'logistic_regression',
    inputs: TINY_INPUTS,
    metrics: { test: { accuracy: 0.9, roc_auc: 0.95 } },
    lineage: { trainNode: 'train', trainedRows: 100, recipe: [], features: ['x', 'flag', 'color'] },
    golden: { source: 'hand-made rows', rows, ...expected, tolerance: 1e-9 },
  };
}

export async function tinyBundle(options: Partial<BundleOptions> = {}): Promise<BundleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-serving-'));
  return writeBundle({ out: join(dir, 'bundle'), champion: tinyModel('tiny'), ...options });
}

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  /** Every JSON line the server printed so far. */
  logs: Record<string, unknown>[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `node server.js` in the bundle folder; resolves once the server says it is ready. */
export async function startServer(dir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  try {
    symlinkSync(join(REPO, 'node_modules', 'onnxruntime-node'), join(dir, 'node_modules', 'onnxruntime-node'), 'dir');
  } catch {
    // already linked
  }
  const proc = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', PORT: '0', FLOWLINE_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  const exited = new Promise<number | null>((done) => proc.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    let port = 0;
    let ready = 0;
    const workers = Number(env.FLOWLINE_WORKERS ?? 1);
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.event === 'listening') port = entry.port as number;
          if (entry.event === 'ready' && ++ready === workers) done(`http://127.0.0.1:${port}`);
        } catch {
          logs.push({ unparsed: line });
        }
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    void exited.then((code) => fail(new Error(`server exited (${code}) before it was ready:\n${stderr}\n${JSON.stringify(logs)}`)));
  });
  return {
    url,
    proc,
    logs,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null) proc.kill(signal);
      return exited;
    },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 });

/**
 * POST over node:http with a keep-alive agent. (fetch sends headers and body in two packets,
 * and Nagle + delayed ACK then add ~40 ms to each request on loopback.)
 */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const data = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const target = new URL(url);
  return new Promise((done, fail) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': data.length, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => {
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            parsed = { unparsed: text };
          }
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          done({ status: res.statusCode!, body: parsed, headers: h });
        });
      },
    );
    req.on('error', fail);
    req.end(data);
  });
}
