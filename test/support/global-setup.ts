import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { probePython, skipLine, type PythonModule } from './python-probe.ts';

// numpy comes with each of these; naming it as well would only add a line.
const REQUIRABLE: PythonModule[] = ['sklearn', 'pandas', 'scipy', 'xgboost', 'onnx'];

/**
 * Probes the Python yardsticks once for the whole run (see test/support/python.ts), and gives the
 * run a temp folder of its own, removed at the end: the test files are started after this and
 * inherit TMPDIR, so the thousands of run folders, CSVs and caches tests make in os.tmpdir() go
 * with it. Before, they stayed: 26,689 folders and 22 GB in /tmp here after a few days of runs,
 * enough to fill the disk.
 */
export default function setup(project: TestProject): () => void {
  const temp = mkdtempSync(join(tmpdir(), 'flowline-vitest-'));
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = temp;
  const probe = probePython();
  project.provide('flowlinePython', probe);
  const lines = REQUIRABLE.filter((m) => !probe.modules[m]).map((m) => skipLine(probe, m));
  const say = () => {
    if (lines.length) console.warn(`\n${lines.join('\n')}\n`);
  };
  say();
  return () => {
    rmSync(temp, { recursive: true, force: true });
    // Again at the end, beside the summary, where people look.
    say();
  };
}
