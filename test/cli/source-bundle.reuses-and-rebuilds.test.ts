/**
 * dev/source-bundle.mjs on a tiny project of its own (a temp dir), each load in a fresh Node
 * process as the CLI does it: the first load builds a bundle, the next reuses it, an edit is picked
 * up, import.meta still names the original files, and anything that prevents bundling falls back to
 * tsx. FLOWLINE_BUNDLE_TRACE makes the loader say which path it took.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';

const LOADER = pathToFileURL(resolve(import.meta.dirname, '../../dev/source-bundle.mjs')).href;
let root: string;
let cacheDir: string;

/** File timestamps within ~20 ms of a build count as "racy" (the bundle is then not recorded): wait them out. */
const settle = () => new Promise((done) => setTimeout(done, 60));

function write(path: string, text: string) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Load `main.ts` of the temp project in a new process; returns its exports and what the loader said. */
function load(env: Record<string, string> = {}) {
  const script = `const { importSources } = await import(${JSON.stringify(LOADER)});
const m = await importSources('t', { 'src/main.ts': ['value', 'where', 'dir', 'file', 'fail', 'lazy'] }, { root: ${JSON.stringify(root)} });
let stack = '';
try { m.fail(); } catch (e) { stack = e.stack; }
process.stdout.write(JSON.stringify({ value: m.value, where: m.where, dir: m.dir, file: m.file, lazy: await m.lazy(), stack }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, FLOWLINE_BUNDLE_TRACE: '1', FLOWLINE_DEBUG: '', FLOWLINE_BUNDLE_DIR: cacheDir, FLOWLINE_NO_BUNDLE: '', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  const said = r.stderr.trim();
  const { stack, ...exports } = JSON.parse(r.stdout) as { value: number; where: string; dir: string; file: string; lazy: string; stack: string };
  return { exports, stack, said };
}

/** Same size whatever the digit: an edit the fingerprint must catch without the size changing. */
const LIB = (value: number) => `export const value: number = ${value};\nexport function fail(): never {\n  throw new Error('failed on purpose');\n}\n`;
const bundles = () => readdirSync(cacheDir).filter((f) => f.endsWith('.cjs'));

describe('dev/source-bundle.mjs', () => {
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'flowline-bundle-'));
    cacheDir = join(root, 'cache');
    write('package.json', '{ "type": "module" }\n');
    write('src/lib.ts', LIB(1));
    write(
      'src/main.ts',
      [
        "export { value, fail } from './lib.ts';",
        'export const where = import.meta.url;',
        'export const dir = import.meta.dirname;',
        'export const file = import.meta.filename;',
        "export const lazy = async () => (await import('node:path')).basename(import.meta.filename);",
        '',
      ].join('\n'),
    );
    await settle();
  });

  it('builds once, then reuses the bundle with its code cache; import.meta keeps naming the source file', () => {
    const first = load();
    expect(first.said).toMatch(/^flowline: built bundle .*t-[0-9a-f-]+\.cjs in \d+ ms$/);
    expect(first.exports).toEqual({
      value: 1,
      where: pathToFileURL(join(root, 'src/main.ts')).href,
      dir: join(root, 'src'),
      file: join(root, 'src/main.ts'),
      lazy: 'main.ts',
    });
    const bundle = first.said.split(' ')[3];
    const second = load();
    expect(second.said).toBe(`flowline: reusing bundle ${bundle} (code cache used)`);
    expect(second.exports).toEqual(first.exports);
    expect(bundles()).toEqual([basename(bundle)]);
  });

  it('maps stack traces back to the .ts sources under FLOWLINE_DEBUG', () => {
    load();
    const debug = load({ FLOWLINE_DEBUG: '1' });
    expect(debug.said).toMatch(/reusing bundle .*\(Node's loader, source maps\)/);
    expect(debug.stack).toContain('failed on purpose');
    expect(debug.stack).toContain(`${join(root, 'src', 'lib.ts')}:3:`);
  });

  it('picks up an edit of an imported file, even one that keeps its size', async () => {
    expect(load().exports.value).toBe(1);
    write('src/lib.ts', LIB(2));
    await settle();
    const edited = load();
    expect(edited.said).toMatch(/built bundle/);
    expect(edited.exports.value).toBe(2);
    expect(load().said).toMatch(/reusing bundle/);
  });

  it('rebuilds when a package or tsconfig file that steers the build appears or changes', async () => {
    load();
    write('tsconfig.json', '{}\n');
    await settle();
    expect(load().said).toMatch(/built bundle/);
    expect(load().said).toMatch(/reusing bundle/);
  });

  it('builds again when the recorded bundle file is gone', () => {
    const first = load();
    rmSync(first.said.split(' ')[3]);
    const again = load();
    expect(again.said).toMatch(/built bundle/);
    expect(again.exports).toEqual(first.exports);
  });

  it('uses a bundle built from a file stamped too close to the build once, without recording it', () => {
    // A timestamp in the future stands for "written within the clock's resolution of being read".
    const soon = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src/lib.ts'), soon, soon);
    const racy = load();
    expect(racy.said).toMatch(/built bundle/);
    expect(racy.exports.value).toBe(1);
    expect(load().said).toMatch(/built bundle/);
  });

  it('falls back to tsx when the bundle cannot be written, and when asked to', () => {
    write('not-a-dir', 'a file where the cache folder should be');
    const unwritable = load({ FLOWLINE_BUNDLE_DIR: join(root, 'not-a-dir', 'cache') });
    expect(unwritable.said).toMatch(/cannot bundle the sources .*loading them through tsx/);
    expect(unwritable.exports.value).toBe(1);
    expect(unwritable.exports.where).toBe(pathToFileURL(join(root, 'src/main.ts')).href);
    const asked = load({ FLOWLINE_NO_BUNDLE: '1' });
    expect(asked.said).toMatch(/through tsx \(FLOWLINE_NO_BUNDLE is set\)/);
    expect(asked.exports.value).toBe(1);
  });
});
