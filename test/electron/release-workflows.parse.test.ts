/**
 * The GitHub workflows parse as YAML, the release builds installers on Linux, Windows and macOS
 * runners after that OS's tests (the Electron end-to-end test under xvfb-run on Linux), and pull
 * requests run .ci/run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
// The YAML parser electron-builder reads its own configuration with.
const yaml = createRequire(createRequire(import.meta.url).resolve('app-builder-lib'))('js-yaml') as { load(text: string): unknown };

interface Workflow {
  on: unknown;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix: { include: { os: string; target: string }[] } }; steps: { run?: string; uses?: string }[] }>;
}
const read = (name: string) => yaml.load(readFileSync(join(REPO, '.github', 'workflows', name), 'utf8')) as Workflow;

describe('GitHub workflows', () => {
  it('release: installers built on ubuntu, windows and macos runners after the tests, then attached to the release', () => {
    const { installers } = read('release.yml').jobs;
    expect(installers.strategy!.matrix.include.map((m) => m.os).sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
    expect(installers.strategy!.matrix.include.map((m) => m.target.split(' ')[0]).sort()).toEqual(['--linux', '--mac', '--win']);
    const runs = installers.steps.map((s) => s.run ?? s.uses ?? '');
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    expect(at(/npm run build/)).toBeGreaterThan(at(/npm install/));
    expect(at(/vitest run/)).toBeGreaterThan(at(/npm run build/));
    expect(runs[at(/-g electron/)]).toContain('xvfb-run');
    expect(at(/electron-builder/)).toBeGreaterThan(at(/-g electron/));
    expect(at(/action-gh-release/)).toBeGreaterThan(at(/electron-builder/));
  });

  it('ci: pull requests run .ci/run', () => {
    const ci = read('ci.yml');
    expect(ci.on).toHaveProperty('pull_request');
    expect(Object.values(ci.jobs).flatMap((j) => j.steps.map((s) => s.run))).toContain('.ci/run');
  });
});
