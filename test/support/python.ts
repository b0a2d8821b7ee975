import { spawnSync } from 'node:child_process';

/**
 * The yardstick: Debian's scikit-learn / pandas via /usr/bin/python3. Tests that need it use
 * `describe.skipIf(!hasSklearn)`, and the skip is printed loudly so it is never read as a pass.
 */
export const PYTHON = process.env.FLOWLINE_PYTHON ?? '/usr/bin/python3';

function probe(module: string): boolean {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  return r.status === 0;
}

export const hasSklearn = probe('sklearn');
export const hasPandas = probe('pandas');

if (!hasSklearn) {
  console.warn(`\n*** scikit-learn not found at ${PYTHON}: parity tests are SKIPPED, not passed (apt-get install python3-sklearn) ***\n`);
}

/** Run a Python script that reads JSON on stdin and prints one JSON document on stdout. */
export function runPython<T = unknown>(script: string, input: unknown = null): T {
  // One thread per library: on 2 shared cores, OpenMP/BLAS pools only fight each other (and vitest).
  const env = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1', ...process.env };
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30, env });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
