// Plain JavaScript on purpose: it runs before any TypeScript can be loaded.
//
// Development only (nothing in dev/ ships: the app and the package run the build in out/).
//
// Loads Flowline's TypeScript sources for the composition roots (bin/flowline.js, bin/start.js,
// and dev/worker-bootstrap.mjs in each worker thread) as ONE esbuild bundle per root, cached
// in node_modules/.cache/flowline/. Loading ~150 .ts modules through tsx's loader hooks costs
// ~0.8 s per process; running one prebuilt file with V8's code cache costs ~0.1 s. There is no
// build step: the first run after a clean clone, or after any edit, rebuilds the bundle (~0.7 s),
// and every later run checks a fingerprint of the bundle's inputs before reusing it, so a stale
// bundle is never run. If the bundle cannot be built, the sources load through tsx.
//
// The fingerprint is the size, mtime, ctime and inode of every file esbuild read (as listed by its
// metafile), of the package/tsconfig files that steer it, of this file, plus the Node version and
// the repository path. Source files are stat'ed when the bundler reads them, so an edit made while a
// build runs changes the fingerprint; a file changed within RACY_MS of being read (timestamps are
// coarse) makes that bundle single-use, as git treats "racily clean" files.
//
// Code that finds sibling files with import.meta.url keeps working: each source file's
// import.meta.url / .filename / .dirname is replaced by its own original value (workers, task
// modules, package.json), so nothing resolves relative to the bundle.
//
// The bundle is CommonJS only so that it can run through vm.Script with V8's code cache (Node 20
// has none for ES modules): ~70 ms of the ~250 ms start-up is compiling it. Every module in it is
// an ES module or strict-mode CommonJS, and the whole bundle runs in strict mode, as the sources do.
//
//   FLOWLINE_NO_BUNDLE=1      load through tsx (no bundle)
//   FLOWLINE_BUNDLE_DIR=D     keep bundles in folder D instead of node_modules/.cache/flowline
//   FLOWLINE_BUNDLE_TRACE=1   say on stderr which path was taken
//   FLOWLINE_DEBUG=1          the same, and run the bundle through Node's own loader (no code
//                             cache) so stack traces map back to the .ts sources
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants as fsConstants, fstatSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/** Bump when the bundle's shape or build options change: old bundles then stop matching. */
const FORMAT = 2;
const ROOT = resolve(fileURLToPath(new URL('../', import.meta.url)));
const SELF = fileURLToPath(import.meta.url);
/**
 * Pure-JavaScript packages that every run loads anyway, so bundling them saves Node's per-file
 * module loading (@duckdb/node-api alone is 181 CommonJS files, ~100 ms). Every other package stays
 * external: native ones (@duckdb/node-bindings, onnxruntime-node), lazily imported ones (exceljs,
 * pg, danfojs-node), and anything new until someone measures it.
 */
const BUNDLED_PACKAGES = new Set(['zod', '@duckdb/node-api', 'ws']);
/** Files that change how esbuild reads the sources without being listed among its inputs. */
const STEERING_FILES = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json', 'tsconfig.node.json', 'tsconfig.base.json'];
/** File timestamps come from a coarse clock (one kernel tick, ≤ 10 ms): closer than this is ambiguous. */
const RACY_MS = 20;
/**
 * The bundle's dynamic import() of packages goes through this global function instead: V8's code
 * cache drops the callback Node needs for import() inside a vm.Script (Node 20:
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). Bare names resolve from here, i.e. from the repository.
 */
export const LAZY_IMPORT = 'flowline.import';
globalThis[Symbol.for(LAZY_IMPORT)] ??= (specifier) => import(specifier);
/** Other bundles younger than this may be about to be imported by a concurrent process. */
const PRUNE_AFTER_MS = 60_000;
const FORGET_AFTER_MS = 30 * 24 * 3600_000;
/** Only files named as this module names them are ever forgotten (FLOWLINE_BUNDLE_DIR may be shared). */
const OUR_FILE = /^\w+-[0-9a-f]{8}(\.json|-[0-9a-f]{24}\.cjs(\.map|\.v8)?)(\.\d+-[0-9a-z]+\.tmp)?$/;

/**
 * Import the named exports of some source modules: `entries` maps a path relative to the
 * repository root to the export names wanted from it. Returns one object with all of them; the
 * name '*' stands for the whole module, returned under its path; no names: run it for its effects.
 *
 * @param {string} name  the bundle's name (its files in the cache folder start with it)
 * @param {Record<string, string[]>} entries
 * @param {{ root?: string, cacheDir?: string }} [options]
 * @returns {Promise<Record<string, any>>}
 */
export async function importSources(name, entries, options = {}) {
  const root = resolve(options.root ?? ROOT);
  const cacheDir = resolve(options.cacheDir ?? process.env.FLOWLINE_BUNDLE_DIR ?? join(root, 'node_modules', '.cache', 'flowline'));
  const trace = process.env.FLOWLINE_DEBUG || process.env.FLOWLINE_BUNDLE_TRACE ? (message) => process.stderr.write(`flowline: ${message}\n`) : () => {};
  if (process.env.FLOWLINE_NO_BUNDLE) {
    trace('loading the sources through tsx (FLOWLINE_NO_BUNDLE is set)');
    return importThroughTsx(root, entries);
  }
  const identity = { format: FORMAT, node: process.versions.node, root, entries };
  // One slot per identity, so that two Node versions (the CLI's, Electron's) do not evict each other.
  const slot = `${name}-${fingerprint(identity, []).slice(0, 8)}`;
  let file = null;
  let source = null;
  try {
    file = reusableBundle(slot, cacheDir, identity);
    // null when its file is gone (deleted by hand, or pruned by a concurrent build): build again.
    source = file && readIfPresent(file);
  } catch (e) {
    trace(`cannot read the bundle cache (${e.message})`);
  }
  let built = false;
  if (source === null) {
    const started = performance.now();
    try {
      file = await buildBundle(slot, cacheDir, identity);
      source = readFileSync(file, 'utf8');
      built = true;
      trace(`built bundle ${file} in ${Math.round(performance.now() - started)} ms`);
    } catch (e) {
      trace(`cannot bundle the sources (${e.message.split('\n')[0]}); loading them through tsx`);
      return importThroughTsx(root, entries);
    }
  }
  // Errors thrown while the bundle runs are the program's own (tsx would raise them too): not hidden.
  const exports = runBundle(file, source, built ? () => {} : trace);
  return pick(entries, (i, name) => exports[name === '*' ? namespaceName(i) : name]);
}

function readIfPresent(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

const namespaceName = (i) => `__flowline_module_${i}`;

/** Run the CommonJS bundle with V8's code cache (kept beside it, written once at exit); returns its exports. */
function runBundle(file, source, trace) {
  const module = { exports: {} };
  const require = createRequire(file);
  if (process.env.FLOWLINE_DEBUG) {
    process.setSourceMapsEnabled(true);
    trace(`reusing bundle ${file} (Node's loader, source maps)`);
    return require(file);
  }
  const cacheFile = `${file}.v8`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // this bundle's first run: the cache is written when it exits
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const accepted = cachedData !== undefined && !script.cachedDataRejected;
  trace(`reusing bundle ${file} (code cache ${accepted ? 'used' : cachedData ? 'rejected' : 'absent'})`);
  const writeCache = () => {
    try {
      writeAtomic(cacheFile, script.createCachedData());
    } catch {
      // a read-only cache folder: next run compiles again
    }
  };
  // At exit the cache also holds the functions this run compiled, not only the top level. A worker
  // thread is terminated, which runs no exit handlers: it writes the cache once the bundle has run.
  if (!accepted && isMainThread) process.once('exit', writeCache);
  script.runInThisContext()(module.exports, require, module, file, dirname(file));
  if (!accepted && !isMainThread) writeCache();
  return module.exports;
}

async function importThroughTsx(root, entries) {
  const { register } = await import('tsx/esm/api');
  register();
  const modules = await Promise.all(Object.keys(entries).map((path) => import(pathToFileURL(join(root, path)).href)));
  return pick(entries, (i, name) => (name === '*' ? modules[i] : modules[i][name]));
}

/** The object importSources returns, from a getter of entry i's export `name`. */
function pick(entries, get) {
  const out = {};
  Object.entries(entries).forEach(([path, names], i) => {
    for (const name of names) out[name === '*' ? path : name] = get(i, name);
  });
  return out;
}

/** The cached bundle's path when its manifest matches `identity` and every input is unchanged. */
function reusableBundle(slot, cacheDir, identity) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cacheDir, `${slot}.json`), 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
  const stamps = manifest.inputs.map((path) => [path, stampOf(path)]);
  return manifest.key === fingerprint(identity, stamps) ? join(cacheDir, manifest.file) : null;
}

/** What identifies a file's content without reading it. */
function stampOf(path, stats) {
  try {
    const st = stats ?? statSync(path);
    return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

function fingerprint(identity, stamps) {
  const hash = createHash('sha256').update(JSON.stringify(identity));
  for (const [path, stamp] of stamps) hash.update(`\n${path}\t${stamp}`);
  return hash.digest('hex').slice(0, 24);
}

async function buildBundle(slot, cacheDir, identity) {
  const { root, entries } = identity;
  // A read-only install (a system package, an AppImage) cannot keep a bundle: fail before building.
  mkdirSync(cacheDir, { recursive: true });
  accessSync(cacheDir, fsConstants.W_OK);
  const esbuild = await import('esbuild');
  const stamps = new Map();
  let racy = false;
  const sources = {
    name: 'flowline-sources',
    setup(build) {
      // Bare specifiers: bundle the listed pure-JS packages, leave every other package to Node —
      // resolved now, as Node would from the importing file, so the bundle may live anywhere.
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (/^[a-zA-Z]:[\\/]/.test(args.path)) return undefined; // a Windows absolute path
        if (args.path.startsWith('node:') || builtinModules.includes(args.path)) return { path: args.path, external: true };
        const parts = args.path.split('/');
        const pkg = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        if (BUNDLED_PACKAGES.has(pkg)) return undefined;
        return { path: requirePath(args.path, args.kind, args.importer || join(root, 'package.json')), external: true };
      });
      // Our own files: stamp them as read, and pin import.meta to the file's original location.
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
        const before = Date.now();
        const fd = openSync(args.path, 'r');
        let text;
        try {
          const st = fstatSync(fd);
          text = readFileSync(fd, 'utf8');
          stamps.set(args.path, stampOf(args.path, st));
          if (st.ctimeMs > before - RACY_MS || st.mtimeMs > before - RACY_MS) racy = true;
        } finally {
          closeSync(fd);
        }
        const meta = { url: pathToFileURL(args.path).href, filename: args.path, dirname: dirname(args.path) };
        const contents = text
          .replace(/\bimport\.meta\.(url|filename|dirname)\b/g, (_, key) => JSON.stringify(meta[key]))
          // import() of a package (or of a computed URL) stays a real, lazy import: see LAZY_IMPORT.
          .replace(/(?<![.$\w])(?<!typeof\s+)import\((?=\s*[^\s.'"`]|\s*['"`][^.])/g, `globalThis[Symbol.for(${JSON.stringify(LAZY_IMPORT)})](`);
        // Anything else (import.meta.resolve, ...) would silently become undefined in CommonJS: use tsx.
        if (/\bimport\.meta\b/.test(contents)) throw new Error(`${args.path} uses import.meta beyond url/filename/dirname`);
        return { contents, loader: /ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
  const result = await esbuild.build({
    absWorkingDir: root,
    stdin: {
      contents: Object.entries(entries)
        .map(([path, names], i) => {
          const from = JSON.stringify(join(root, path));
          if (names.length === 0) return `import ${from};`;
          return names.map((name) => (name === '*' ? `export * as ${namespaceName(i)} from ${from};` : `export { ${name} } from ${from};`)).join('\n');
        })
        .join('\n'),
      resolveDir: root,
      sourcefile: `<${slot} entry>`,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node}`,
    banner: { js: "'use strict';" },
    outfile: join(cacheDir, `${slot}.cjs`),
    write: false,
    metafile: true,
    sourcemap: 'external',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [sources],
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith('<'))
    .map((p) => resolve(root, p));
  const paths = [...new Set([...inputs, ...STEERING_FILES.map((p) => join(root, p)), SELF])];
  const key = fingerprint(identity, paths.map((p) => [p, stamps.get(p) ?? stampOf(p)]));
  const file = `${slot}-${key}.cjs`;
  const code = result.outputFiles.find((f) => f.path.endsWith('.cjs')).text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map')).text;
  writeAtomic(join(cacheDir, `${file}.map`), map);
  writeAtomic(join(cacheDir, file), `${code}//# sourceMappingURL=${file}.map\n`);
  // A racily-stamped build is used once and not recorded: the next run builds again.
  if (!racy) writeAtomic(join(cacheDir, `${slot}.json`), `${JSON.stringify({ key, file, inputs: paths })}\n`);
  prune(cacheDir, slot, file);
  return join(cacheDir, file);
}

/**
 * The file Node's require() finds for an external package from the importing file, or the bare name
 * for an optional package that is not installed (the code that requires it copes). A static import
 * of a package becomes require() in the CommonJS bundle, which Node 20 cannot do for an ES module:
 * such a package must be bundled (BUNDLED_PACKAGES) or imported lazily with import().
 */
function requirePath(specifier, kind, importer) {
  let path;
  try {
    path = createRequire(importer).resolve(specifier);
  } catch (e) {
    if (kind === 'require-call' || kind === 'require-resolve') return specifier;
    throw new Error(`cannot resolve "${specifier}" imported by ${importer}: ${e.message}`);
  }
  if (kind === 'import-statement' && !isCommonJs(path)) throw new Error(`"${specifier}" (imported by ${importer}) is an ES module: bundle it or import() it lazily`);
  return path;
}

function isCommonJs(path) {
  if (/\.(cjs|node|json)$/.test(path)) return true;
  if (path.endsWith('.mjs')) return false;
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type !== 'module';
    } catch (e) {
      if (e.code !== 'ENOENT') return false;
    }
  }
  return true;
}

/** Write to a unique temporary name, then rename: readers never see half a file. */
function writeAtomic(path, text) {
  const temp = `${path}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

/**
 * Drop this slot's older bundles (and stray temp files) once no process can still be about to load
 * them, and any slot's files untouched for a month (a Node version no longer used).
 */
function prune(cacheDir, slot, keep) {
  const now = Date.now();
  for (const entry of readdirSync(cacheDir)) {
    if (entry.startsWith(keep)) continue;
    const path = join(cacheDir, entry);
    try {
      const age = now - statSync(path).mtimeMs;
      if ((entry.startsWith(`${slot}-`) && age > PRUNE_AFTER_MS) || (OUR_FILE.test(entry) && age > FORGET_AFTER_MS)) rmSync(path, { force: true });
    } catch {
      // another process pruned it first
    }
  }
}
