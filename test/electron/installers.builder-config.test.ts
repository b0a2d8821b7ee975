/**
 * The installers' configuration (electron-builder.yml) as electron-builder 26 itself reads and
 * validates it, what it promises (asar with the native modules unpacked, .flow.json opened by
 * Flowline, the three platforms' installers, built JavaScript only), and a real
 * `electron-builder --linux dir`, which here can only get as far as fetching Electron's binary.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// electron-builder's own loader and schema check (app-builder-lib is the package behind its CLI).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  asar: boolean;
  npmRebuild: boolean;
  asarUnpack: string[];
  files: (string | { filter: string[] })[];
  extraMetadata: { main: string };
  fileAssociations: { ext: string; name: string }[];
  linux: { target: string[]; icon: string };
  win: { target: string; icon: string };
  mac: { target: string; icon: string; hardenedRuntime: boolean; notarize: boolean; entitlements: string };
}

const load = async (dir: string) => (await getConfig(dir, join(dir, 'electron-builder.yml'), null)) as unknown as BuilderConfig;
const patterns = (c: BuilderConfig) => c.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema, which refuses a misspelt key", async () => {
    const config = await load(REPO);
    await expect(validateConfiguration(config as never, new DebugLogger(false))).resolves.toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'flowline-builder-'));
    copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'electron-builder.yml'), readFileSync(join(REPO, 'electron-builder.yml'), 'utf8').replace(/^asar: true$/m, 'asr: true'));
    await expect(validateConfiguration((await load(dir)) as never, new DebugLogger(false))).rejects.toThrow(/asr/);
  });

  it('packs built JavaScript into an asar, native modules unpacked, and opens .flow.json files', async () => {
    const config = await load(REPO);
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    expect(config.extraMetadata.main).toBe('out/main/index.js');
    expect((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { main: string }).main).toBe(config.extraMetadata.main);
    const files = patterns(config);
    for (const entry of ['main', 'service', 'worker', 'preload', 'renderer']) expect(files).toContain(`out/${entry}/**`);
    // No TypeScript source folder ships; the one plain-JS file from core/ is the Code node's sandbox child.
    expect(files.filter((f) => /^(core|nodes|electron|renderer|bin|dev)\//.test(f))).toEqual(['core/ml/code-node/sandbox-child.mjs']);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/@duckdb/node-bindings*/**', '**/node_modules/onnxruntime-node/bin/**', '**/*.so.*', 'core/ml/code-node/sandbox-child.mjs']));
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'flow.json', name: 'Flowline pipeline' })]);
  });

  it('builds NSIS, DMG (hardened, notarised, with entitlements), AppImage and deb, with an icon of at least 512 px', async () => {
    const config = await load(REPO);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toBe('nsis');
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true, notarize: true });
    expect(readFileSync(join(REPO, config.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
    for (const icon of new Set([config.linux.icon, config.win.icon, config.mac.icon])) {
      const png = readFileSync(join(REPO, icon));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(Math.min(png.readUInt32BE(16), png.readUInt32BE(20))).toBeGreaterThanOrEqual(512);
    }
  });

  it('`electron-builder --linux dir` packages the app, or stops only at fetching the Electron binary', (ctx) => {
    for (const entry of ['main/index.js', 'service/index.js', 'worker/index.js', 'preload/index.cjs', 'renderer/index.html']) {
      if (!existsSync(join(REPO, 'out', entry))) throw new Error(`out/${entry} is missing: run \`npm run build\` first (npm test does)`);
    }
    const electronVersion = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { optionalDependencies: { electron: string } }).optionalDependencies.electron;
    const output = mkdtempSync(join(tmpdir(), 'flowline-release-'));
    const run = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), '--linux', 'dir', `-c.electronVersion=${electronVersion}`, `-c.directories.output=${output}`], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 280_000,
      env: { ...process.env, ELECTRON_CACHE: join(output, 'electron-cache'), FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    const log = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    if (run.status !== 0) {
      // Offline: the download of electron-v<version>-linux-x64.zip is the one acceptable failure.
      expect(log, log).toMatch(/ENOTFOUND github\.com|EAI_AGAIN|getaddrinfo|electron-v[\d.]+-linux-x64\.zip|ECONNREFUSED|ETIMEDOUT/);
      const reason = `Electron's binary could not be downloaded (${log.match(/ENOTFOUND \S+|EAI_AGAIN \S+|ECONNREFUSED \S+|ETIMEDOUT \S+/)?.[0] ?? 'no network'})`;
      console.warn(`*** electron-builder --linux dir SKIPPED, not passed: ${reason} ***`);
      ctx.skip(reason);
    }
    const resources = join(output, 'linux-unpacked', 'resources');
    expect(existsSync(join(resources, 'app.asar'))).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'onnxruntime-node', 'bin'))).toBe(true);
  }, 300_000);
});
