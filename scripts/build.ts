/**
 * `npm run build`: every program Flowline ships, as JavaScript in out/ (nothing in out/ needs tsx
 * or esbuild to run):
 *
 *   out/renderer/          the studio (Vite)
 *   out/preload/index.cjs  Electron's sandboxed preload (one CommonJS file)
 *   out/main/index.js      Electron's main process
 *   out/service/index.js   Electron's service process (utilityProcess: the host service, the pool)
 *   out/cli/flowline.js    the `flowline` command (bin/flowline.js runs it in an installed package)
 *   out/worker/index.js    every worker thread of the pool
 *   out/serving/*.js       the serving bundle's server.js and replay.js, copied into each export
 *
 * Our code is bundled, packages stay external (native ones must, and node_modules ships anyway).
 * Source files find sibling files with import.meta.url (package.json, templates/, the Code node's
 * sandbox child); in a bundle that would be the bundle's own URL, so each file's import.meta.url
 * is rewritten to its original place in the package, computed from where the bundle sits
 * (out/<entry>/ is two levels below the package root) — the app still works when the package is
 * moved or installed anywhere. `__FLOWLINE_BUNDLE__` tells code that has a prebuilt choice
 * (the worker entry, the serving programs) that it runs from the build.
 *
 *   npm run build [-- --only cli,worker,serving]   (the renderer takes most of the time)
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { PROGRAMS, programBuildOptions } from '../core/export/serving/programs.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'out');
/** The bundle's package root, from the bundle itself (out/<entry>/<file>). */
const ROOT_FROM_BUNDLE = 'const __flowlineRoot = new URL("../../", import.meta.url);';

/** Rewrites import.meta.url in our sources to the file's place under the package root (see above). */
const originalUrls: esbuild.Plugin = {
  name: 'flowline-original-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = await readFile(args.path, 'utf8');
      const fromRoot = relative(ROOT, args.path).split(sep).join('/');
      const contents = text.replace(/\bimport\.meta\.url\b/g, `new URL(${JSON.stringify(fromRoot)}, __flowlineRoot).href`);
      if (/\bimport\.meta\.(dirname|filename|resolve)\b/.test(contents)) throw new Error(`${fromRoot}: use import.meta.url (the build rewrites only that)`);
      return { contents, loader: /ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/** One ES-module entry point of ours, written as `file` into `dir` (a folder directly under out/). */
function nodeEntry(source: string, dir: string, file: string, external: string[] = []): esbuild.BuildOptions {
  return {
    entryPoints: [join(ROOT, source)],
    outfile: join(dir, file),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    external,
    define: { __FLOWLINE_BUNDLE__: 'true' },
    banner: { js: ROOT_FROM_BUNDLE },
    plugins: [originalUrls],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** Each step writes into `dir`, which becomes out/<step> once it is complete. */
const STEPS: Record<string, (dir: string) => Promise<void>> = {
  async cli(dir) {
    await esbuild.build(nodeEntry('bin/flowline-main.ts', dir, 'flowline.js'));
  },
  async worker(dir) {
    await esbuild.build(nodeEntry('core/host/worker-main.ts', dir, 'index.js'));
  },
  async main(dir) {
    await esbuild.build(nodeEntry('electron/main/index.ts', dir, 'index.js', ['electron']));
  },
  async service(dir) {
    await esbuild.build(nodeEntry('electron/service/index.ts', dir, 'index.js'));
  },
  async preload(dir) {
    // A sandboxed preload can require nothing but electron: one CommonJS file.
    await esbuild.build({ entryPoints: [join(ROOT, 'electron/preload/index.ts')], outfile: join(dir, 'index.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], logLevel: 'warning' });
  },
  async serving(dir) {
    await mkdir(dir, { recursive: true });
    for (const [name, entry] of Object.entries(PROGRAMS)) {
      const result = await esbuild.build({ ...programBuildOptions(entry), write: false });
      await writeFile(join(dir, `${name}.js`), result.outputFiles[0].text);
    }
  },
  async renderer() {
    const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
    const run = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'renderer/vite.config.ts')], { cwd: ROOT, stdio: 'inherit' });
    if (run.status !== 0) throw new Error('the renderer build failed (see above)');
  },
};

/** Replace `target` with `staging`; another build swapping in the same folder at once just goes first. */
async function swapIn(staging: string, target: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await rm(target, { recursive: true, force: true });
    try {
      return await rename(staging, target);
    } catch (e) {
      if (attempt >= 5 || !['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
  }
}

const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? process.argv[onlyArg + 1].split(',') : Object.keys(STEPS);
const unknown = only.filter((s) => !(s in STEPS));
if (unknown.length > 0) throw new Error(`unknown build step(s) ${unknown.join(', ')}; the steps are ${Object.keys(STEPS).join(', ')}`);
for (const step of only) {
  const started = performance.now();
  if (step === 'renderer') await STEPS.renderer(join(OUT, 'renderer')); // Vite replaces its folder itself
  else {
    // Built beside, then swapped in: a program running from out/ (a test, the app) never sees half a folder.
    const staging = join(OUT, `.${step}-${process.pid}`);
    await rm(staging, { recursive: true, force: true });
    await STEPS[step](staging);
    await swapIn(staging, join(OUT, step));
  }
  // stderr: `npm pack --json` runs this (prepack) and its stdout must stay JSON.
  process.stderr.write(`built ${step} in ${Math.round(performance.now() - started)} ms\n`);
}
