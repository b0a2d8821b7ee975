import { spawnSync } from 'node:child_process';

/**
 * Which Python yardsticks this machine has. One Python process imports every module once (a few
 * seconds, mostly scikit-learn); test/support/global-setup.ts runs it once per `vitest run` and
 * hands the answer to every test file, so the loud skip line is printed once, not per file.
 */
export const PYTHON_MODULES = ['numpy', 'pandas', 'scipy', 'sklearn', 'xgboost', 'onnx'] as const;
export type PythonModule = (typeof PYTHON_MODULES)[number];

/** The Debian package that provides each module (what the skip line tells people to install). */
export const DEBIAN_PACKAGE: Record<PythonModule, string> = {
  numpy: 'python3-numpy',
  pandas: 'python3-pandas',
  scipy: 'python3-scipy',
  sklearn: 'python3-sklearn',
  xgboost: 'python3-xgboost',
  onnx: 'python3-onnx',
};

export const PYTHON = process.env.FLOWLINE_PYTHON ?? '/usr/bin/python3';

export interface PythonProbe {
  python: string;
  modules: Record<PythonModule, boolean>;
}

const SCRIPT = `
import importlib, json, sys
out = {}
for m in sys.argv[1:]:
    try:
        importlib.import_module(m); out[m] = True
    except Exception:
        out[m] = False
print(json.dumps(out))
`;

/** Imports every module in one process; all false when Python itself is missing or broken. */
export function probePython(python = PYTHON): PythonProbe {
  const modules = Object.fromEntries(PYTHON_MODULES.map((m) => [m, false])) as Record<PythonModule, boolean>;
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const r = spawnSync(python, ['-c', SCRIPT, ...PYTHON_MODULES], { encoding: 'utf8', env });
  if (r.status === 0) {
    try {
      Object.assign(modules, JSON.parse(r.stdout) as Record<PythonModule, boolean>);
    } catch {
      // Not our script's output (a wrapper printed something): treat as no yardstick at all.
    }
  }
  return { python, modules };
}

/** The one loud line for a missing module: a skip must never be read as a pass. */
export function skipLine(probe: PythonProbe, module: PythonModule): string {
  return `*** ${module} not importable by ${probe.python}: tests that need it are SKIPPED, not passed (apt-get install ${DEBIAN_PACKAGE[module]}) ***`;
}
