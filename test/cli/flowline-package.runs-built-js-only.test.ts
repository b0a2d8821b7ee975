/**
 * The `flowline` an analyst installs: `npm pack` (its prepack runs the build) gives a tarball of
 * built JavaScript only, and `flowline run` from that package runs a shipped template offline
 * with no tsx and no esbuild anywhere it could load them from.
 *
 * The package is unpacked as npm would install it, and its node_modules holds every dependency
 * of the checkout (links to them) except tsx and esbuild. Node runs with --preserve-symlinks, so a
 * package's own imports resolve inside that node_modules too: nothing can reach the checkout's tsx
 * or esbuild. (A real `npm install` of the tarball would fetch ~400 MB of native packages; what it
 * adds beyond this, the registry's copies of the same pinned versions, is not what is under test.)
 */
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const LEFT_OUT = new Set(['tsx', 'esbuild', '@esbuild', '.bin', '.cache', '.package-lock.json']);

interface Report {
  status: string;
  nodes: { id: string; status: string }[];
  metrics: Record<string, Record<string, number>>;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 170_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

describe('the packaged flowline command', () => {
  it('is built JavaScript only and runs the penguins template without tsx or esbuild installed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowline-package-'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], REPO)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0].files.map((f) => f.path);
    expect(files).toContain('bin/flowline.js');
    expect(files).toContain('out/cli/flowline.js');
    expect(files).toContain('out/worker/index.js');
    expect(files).toContain('templates/penguins-species.flow.json');
    // No TypeScript, no development loader, no source maps of sources that are not shipped.
    expect(files.filter((f) => /\.[cm]?ts$/.test(f) || f.startsWith('dev/') || f.endsWith('.map'))).toEqual([]);

    const installed = join(dir, 'prefix');
    mkdirSync(installed);
    run('tar', ['-xzf', join(dir, packed[0].filename), '-C', installed], dir);
    const pkg = join(installed, 'package');
    mkdirSync(join(pkg, 'node_modules'));
    for (const name of readdirSync(join(REPO, 'node_modules'))) {
      if (!LEFT_OUT.has(name)) symlinkSync(join(REPO, 'node_modules', name), join(pkg, 'node_modules', name), 'dir');
    }

    // The user's own folder, outside the package: the template and its data, copied there.
    const work = join(dir, 'work');
    cpSync(join(pkg, 'templates'), work, { recursive: true });
    const env = { ...process.env, NODE_OPTIONS: '--preserve-symlinks', FLOWLINE_NO_BUNDLE: '', FLOWLINE_BUNDLE_TRACE: '1' };
    const out = spawnSync(process.execPath, ['--preserve-symlinks', join(pkg, 'bin', 'flowline.js'), 'run', 'penguins-species.flow.json', '--json', '--report', 'report.html'], { cwd: work, env, encoding: 'utf8', timeout: 170_000 });
    expect(out.stderr).not.toMatch(/bundle|tsx/i); // the development loader never ran
    expect(out.status, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as Report;
    expect(report.status).toBe('done');
    expect(report.nodes.filter((n) => n.status !== 'done')).toEqual([]);
    const accuracy = Object.values(report.metrics).map((m) => m.accuracy).find((a) => a !== undefined);
    expect(accuracy).toBeGreaterThan(0.9);
    // The run report, with the chart components compiled into the built CLI.
    expect(existsSync(join(work, 'report.html'))).toBe(true);
    expect(readFileSync(join(work, 'report.html'), 'utf8')).toMatch(/<svg viewBox="[^"]+" class="chart"/);

    // Every package the built programs import is one an install gets (dependencies, not devDependencies).
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> };
    // esbuild: only where the serving programs are compiled from sources, never in a built Flowline (core/export/serving/programs.ts).
    const shipped = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies ?? {}), ...builtinModules, 'esbuild']);
    for (const program of ['out/cli/flowline.js', 'out/worker/index.js']) {
      const code = readFileSync(join(pkg, program), 'utf8');
      const imported = [...code.matchAll(/(?:\bfrom\s*|\bimport\(\s*)"([@a-z][\w@/.-]*)"/g)].map((m) => m[1]).filter((s) => !s.startsWith('node:'));
      const names = new Set(imported.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])));
      expect([...names].filter((n) => !shipped.has(n)), program).toEqual([]);
    }
    // React's server renderer is loaded when a report is written, not by every run.
    expect(readFileSync(join(pkg, 'out/cli/flowline.js'), 'utf8')).not.toMatch(/from\s*"react-dom\/server"/);
  }, 180_000);
});
