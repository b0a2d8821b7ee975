/**
 * Python yardsticks for tests: scikit-learn, pandas, scipy, XGBoost and onnx from Debian
 * (`/usr/bin/python3`, or FLOWLINE_PYTHON). A machine without them must still pass `npm test`:
 * tests that need one are SKIPPED, and the run says so in one loud line per missing module naming
 * its Debian package (printed by test/support/global-setup.ts at the start and end of the run).
 *
 * How to require a module — never call runPython at describe level outside these, because a
 * skipped `describe.skipIf(...)` still runs its body to collect its tests:
 *
 *   import { describePython, itPython, runPython } from '../support/python.ts';
 *
 *   describePython('sklearn', 'decision_tree matches scikit-learn 1.2', () => {
 *     const sk = runPython(...);            // safe: the body runs only when sklearn imports
 *     it('same splits', () => { ... });
 *   });
 *   describePython(['xgboost', 'onnx'], 'title', () => { ... });   // needs both
 *   itPython('scipy', 'drift p-values match scipy.stats', () => { ... });
 *   if (hasPython('pandas')) { ... }        // a plain flag, for anything else
 *
 * Modules: 'sklearn' | 'pandas' | 'scipy' | 'xgboost' | 'onnx' | 'numpy' (see python-probe.ts).
 * When one is missing the suite is reported as skipped with "[needs python3-…]" in its title.
 */
import { spawnSync } from 'node:child_process';
import { describe, inject, it } from 'vitest';
import { DEBIAN_PACKAGE, PYTHON as PYTHON_PATH, type PythonModule, type PythonProbe, probePython } from './python-probe.ts';

export type { PythonModule } from './python-probe.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    flowlinePython: PythonProbe;
  }
}

// Given once per run by global-setup.ts; probed here only when a file runs without it.
const probe: PythonProbe = inject('flowlinePython') ?? probePython();

export const PYTHON = probe.python ?? PYTHON_PATH;

type Needs = PythonModule | readonly PythonModule[];
const list = (needs: Needs): readonly PythonModule[] => (typeof needs === 'string' ? [needs] : needs);

/** True when every module in `needs` imports. */
export function hasPython(needs: Needs): boolean {
  return list(needs).every((m) => probe.modules[m]);
}

/** "[needs python3-sklearn]" for what is missing, '' when nothing is. */
function missingNote(needs: Needs): string {
  const missing = list(needs).filter((m) => !probe.modules[m]);
  return missing.length ? ` [needs ${missing.map((m) => DEBIAN_PACKAGE[m]).join(', ')}]` : '';
}

/** A describe block that runs (body included) only when the modules import; otherwise skipped. */
export function describePython(needs: Needs, title: string, body: () => void): void {
  if (hasPython(needs)) describe(title, body);
  else describe.skip(title + missingNote(needs), () => it('is skipped: its Python yardstick is not installed', () => undefined));
}

/** One test that runs only when the modules import; otherwise skipped. */
export function itPython(needs: Needs, title: string, fn: () => unknown, timeout?: number): void {
  if (hasPython(needs)) it(title, fn, timeout);
  else it.skip(title + missingNote(needs), () => undefined);
}

/** Flags kept for tests that branch on them. */
export const hasSklearn = hasPython('sklearn');
export const hasPandas = hasPython('pandas');

/** Run a Python script that reads JSON on stdin and prints one JSON document on stdout. */
export function runPython<T = unknown>(script: string, input: unknown = null): T {
  // One thread per library: on 2 shared cores, OpenMP/BLAS pools only fight each other (and vitest).
  const env = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', ...process.env };
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30, env });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
