/**
 * The serving bundle under load (issue 13): autocannon against the bundle's server (`node
 * server.js`, as deployed) and, in the same run, against a bare Node http server that reads the
 * body and returns a fixed JSON answer: the floor of what any Node server can do here.
 *
 *   npx tsx bench/serve.ts [seconds per run = 10] [memory run seconds = 60] [--server FILE]
 *
 * `--server FILE` serves the bundle with another build of server.js (e.g. one saved from an older
 * commit, named .cjs outside the bundle), so two builds can be compared on the same model.
 *
 * Targets on 2 cores with the load tool on the same machine: single-row requests at 8 connections
 * >= 3,000 req/s with p99 < 10 ms and >= 50% of the bare server's req/s; memory flat over the
 * long run (RSS at start and end).
 *
 * The two servers take turns in 2-second rounds (bare first, then ours first, and so on) for the
 * given seconds each, so a burst of other work on a shared machine falls on both; each figure is
 * the median over its rounds, and the ratio the median of the rounds' ratios.
 *
 * Each server's CPU time per answered request (user + system, from /proc, over all its rounds) is
 * printed too: on a machine shared with other work the req/s swing with whoever else runs, while
 * the CPU a request costs moves much less. bare ÷ ours is the share of the bare server's req/s
 * ours would reach where both are limited by their one core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { benchModel } from './support/serving-model.ts';

const args = process.argv.slice(2);
const serverFlag = args.indexOf('--server');
const serverFile = serverFlag >= 0 ? resolve(args.splice(serverFlag, 2)[1]) : null;
const seconds = Number(args[0] ?? 10);
const memorySeconds = Number(args[1] ?? 60);

function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

async function waitReady(url: string, proc: ChildProcess): Promise<void> {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the server exited (code ${proc.exitCode}) before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function rssMiB(proc: ChildProcess): number {
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const BARE = `
const http = require('node:http');
const answer = JSON.stringify({ prediction: 'yes', probabilities: { no: 0.1544, yes: 0.8456 }, model: 'bare', model_version: '1' });
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

type Load = { rps: number; p50: number; p99: number; errors: number; cpu: number; requests: number };

/** CPU seconds (user + system) a process has used so far; clock ticks are 1/100 s on Linux. */
function cpuSeconds(proc: ChildProcess): number {
  const stat = readFileSync(`/proc/${proc.pid}/stat`, 'utf8');
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(after[11]) + Number(after[12])) / 100;
}

async function load(url: string, body: string, duration: number, proc: ChildProcess): Promise<Load> {
  const cpu0 = cpuSeconds(proc);
  const r = await autocannon({ url, connections: 8, duration, method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, cpu: cpuSeconds(proc) - cpu0, requests: r.requests.total };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Ours and the bare server in alternating 2-second rounds: medians of each, and of the ratios. */
async function turns(oursUrl: string, bareUrl: string, body: string, total: number): Promise<{ ours: Load; base: Load; ratio: number }> {
  const rounds = Math.max(1, Math.round(total / 2));
  const ours: Load[] = [];
  const base: Load[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) base.push(await load(bareUrl, body, 2, bare));
    ours.push(await load(oursUrl, body, 2, server));
    if (i % 2 === 1) base.push(await load(bareUrl, body, 2, bare));
  }
  const summary = (runs: Load[]): Load => ({ rps: median(runs.map((r) => r.rps)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), errors: runs.reduce((n, r) => n + r.errors, 0), cpu: runs.reduce((n, r) => n + r.cpu, 0), requests: runs.reduce((n, r) => n + r.requests, 0) });
  return { ours: summary(ours), base: summary(base), ratio: median(ours.map((o, i) => o.rps / base[i].rps)) };
}

const model = await benchModel();
const single = JSON.stringify(model.rows[0]);
const batch = JSON.stringify(Array.from({ length: 100 }, (_, i) => model.rows[i % model.rows.length]));

const bundlePort = await freePort();
const barePort = await freePort();
const server = spawn(process.execPath, [serverFile ?? 'server.js'], { cwd: model.dir, env: { PATH: process.env.PATH ?? '', PORT: String(bundlePort), FLOWLINE_HOST: '127.0.0.1', FLOWLINE_MODEL_DIR: model.dir }, stdio: ['ignore', 'ignore', 'inherit'] });
const bare = spawn(process.execPath, ['-e', BARE], { env: { PORT: String(barePort) }, stdio: 'inherit' });
try {
  await waitReady(`http://127.0.0.1:${bundlePort}/v2/health/ready`, server);
  await new Promise((r) => setTimeout(r, 200));
  const bundleUrl = `http://127.0.0.1:${bundlePort}/predict`;
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  await load(bundleUrl, single, 2, server); // warm both JITs
  await load(bareUrl, single, 2, bare);

  const singles = await turns(bundleUrl, bareUrl, single, seconds);
  const batches = await turns(bundleUrl, bareUrl, batch, seconds);

  // How many requests shared an onnxruntime run (micro-batching), over everything scored so far.
  const metrics = await (await fetch(`http://127.0.0.1:${bundlePort}/metrics`)).text();
  const families = parsePrometheusTextFormat(metrics);
  const total = (name: string) => families.find((f) => f.name === name)?.metrics.reduce((s, m) => s + Number(m.value), 0) ?? NaN;
  const perRun = total('flowline_model_requests_total') / total('flowline_model_runs_total');

  const rssStart = rssMiB(server);
  const long = await load(bundleUrl, single, memorySeconds, server);
  const rssEnd = rssMiB(server);

  const cpuPer = (l: Load) => (1e6 * l.cpu) / l.requests;
  const row = (label: string, { ours, base, ratio }: Awaited<ReturnType<typeof turns>>, rowsPer: number) =>
    `${label.padEnd(22)} ${ours.rps.toFixed(0).padStart(8)} ${ours.p50.toFixed(1).padStart(6)} ${ours.p99.toFixed(1).padStart(6)} ${(ours.rps * rowsPer).toFixed(0).padStart(9)} ${cpuPer(ours).toFixed(0).padStart(7)} │ ${base.rps.toFixed(0).padStart(8)} ${base.p50.toFixed(1).padStart(6)} ${base.p99.toFixed(1).padStart(6)} ${cpuPer(base).toFixed(0).padStart(7)} │ ${(100 * ratio).toFixed(0).padStart(4)}% ${((100 * cpuPer(base)) / cpuPer(ours)).toFixed(0).padStart(9)}%  ${ours.errors + base.errors ? `errors ${ours.errors}/${base.errors}` : ''}`;
  console.log(`\nserving bundle (${model.description})${serverFile ? `, served by ${serverFile}` : ''} vs a bare Node http server, autocannon 8 connections, ${seconds} s each in alternating 2 s rounds (medians), same machine\n`);
  console.log(`${''.padEnd(22)} ${'bundle'.padStart(8)} ${''.padStart(6)} ${''.padStart(6)} ${''.padStart(9)} ${'cpu µs'.padStart(7)} │ ${'bare'.padStart(8)} ${''.padStart(6)} ${''.padStart(6)} ${'cpu µs'.padStart(7)} │ ${'ratio'.padStart(5)} ${'cpu ratio'.padStart(10)}`);
  console.log(`${'request'.padEnd(22)} ${'req/s'.padStart(8)} ${'p50ms'.padStart(6)} ${'p99ms'.padStart(6)} ${'rows/s'.padStart(9)} ${'/req'.padStart(7)} │ ${'req/s'.padStart(8)} ${'p50ms'.padStart(6)} ${'p99ms'.padStart(6)} ${'/req'.padStart(7)} │ ${''.padStart(5)} ${'bare÷ours'.padStart(10)}`);
  console.log(row('1 row /predict', singles, 1));
  console.log(row('100 rows /predict', batches, 100));
  console.log(`\nmicro-batching: ${perRun.toFixed(1)} scoring requests per onnxruntime run (flowline_model_requests_total / flowline_model_runs_total)`);
  console.log(`\nmemory: ${memorySeconds} s of single-row load (${long.rps.toFixed(0)} req/s, p99 ${long.p99.toFixed(1)} ms): RSS ${rssStart.toFixed(1)} MiB at start, ${rssEnd.toFixed(1)} MiB at end (${(rssEnd - rssStart >= 0 ? '+' : '')}${(rssEnd - rssStart).toFixed(1)} MiB)`);
  const checks = [
    [`single-row >= 3,000 req/s`, singles.ours.rps >= 3000],
    [`single-row p99 < 10 ms`, singles.ours.p99 < 10],
    [`>= 50% of the bare server`, singles.ratio >= 0.5],
    [`RSS grows < 10%`, rssEnd < rssStart * 1.1],
  ] as const;
  console.log(`targets: ${checks.map(([name, ok]) => `${ok ? 'MET' : 'NOT MET'}: ${name}`).join('; ')}`);
} finally {
  server.kill('SIGTERM');
  bare.kill('SIGTERM');
}
