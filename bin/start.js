#!/usr/bin/env node
// `npm start`: the desktop window where the Electron binary is installed, otherwise the same
// studio in the browser (served by the web host on 127.0.0.1). Builds the renderer first when it
// is missing or older than its sources. Works from a clean clone after `npm install`, which here runs
// no install scripts, so Electron's binary download never happens offline.
//
//   npm start [-- --web] [-- --port N] [-- --no-open]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** Path of the Electron binary, or the reason there is none. */
function findElectron() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the optional "electron" package is not installed' };
  }
  const pathTxt = join(pkgDir, 'path.txt');
  if (!existsSync(pathTxt)) {
    return { reason: 'the Electron binary was never downloaded (npm runs no install scripts here, and this machine is offline)' };
  }
  try {
    const binary = require('electron');
    if (typeof binary === 'string' && existsSync(binary)) return { binary };
  } catch {
    // fall through
  }
  return { reason: 'the Electron binary listed in node_modules/electron/path.txt is missing' };
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Build out/renderer when it is missing or older than renderer/. Returns false if it could not. */
function ensureRendererBuilt() {
  const index = join(root, 'out', 'renderer', 'index.html');
  const config = join(root, 'renderer', 'vite.config.ts');
  if (!existsSync(config)) {
    if (!existsSync(index)) console.warn('flowline: renderer/vite.config.ts is missing, so the studio cannot be built.');
    return existsSync(index);
  }
  // The renderer also bundles the pure parts of core/ (schema, spec, compile, the contract).
  const sources = ['renderer', 'core/schema', 'core/spec', 'core/compile', 'core/host/api.ts', 'core/host/wire.ts'].map((p) => join(root, p)).filter((p) => existsSync(p));
  const newest = Math.max(...sources.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)));
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return true;
  console.log('flowline: building the studio (npm run build)...');
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', config], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('flowline: the studio build failed (see above). Fix it, or run `npm run build` by hand.');
    return existsSync(index);
  }
  return true;
}

/** The sandboxed preload cannot load TypeScript or other modules: bundle it to one CommonJS file. */
async function buildPreload() {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'electron', 'preload', 'index.ts')],
    outfile: join(root, 'out', 'preload', 'index.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
}

async function startElectron(binary) {
  await buildPreload();
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [join(root, 'electron', 'main', 'bootstrap.mjs')], { cwd: root, stdio: 'inherit', env });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

async function startBrowser(reason) {
  const { importSources } = await import('../dev/source-bundle.mjs');
  const { startWebHost, NODES, WORKER_TASKS } = await importSources('studio', { 'core/host/web-host.ts': ['startWebHost'], 'nodes/index.ts': ['NODES'], 'core/host/worker-tasks.ts': ['WORKER_TASKS'] });
  const host = await startWebHost({ nodes: NODES, tasks: WORKER_TASKS, port: option('port') ? Number(option('port')) : 0, cwd: process.cwd(), openBrowser: !flag('no-open') });
  if (reason) console.log(`flowline: opening the studio in your browser instead of a desktop window: ${reason}.`);
  console.log(`\n  Flowline studio: ${host.url}\n\n  (served on 127.0.0.1 only; the token in the URL is required. Ctrl+C stops it.)\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    host.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const built = ensureRendererBuilt();
if (!built) console.warn('flowline: starting without a built studio; the page will say how to build it.');
const electron = flag('web') ? { reason: 'you asked for the browser (--web)' } : findElectron();
if (electron.binary) await startElectron(electron.binary);
else await startBrowser(electron.reason);
