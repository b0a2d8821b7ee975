import type { TestProject } from 'vitest/node';
import { probePython, skipLine, type PythonModule } from './python-probe.ts';

// numpy comes with each of these; naming it as well would only add a line.
const REQUIRABLE: PythonModule[] = ['sklearn', 'pandas', 'scipy', 'xgboost', 'onnx'];

/** Probes the Python yardsticks once for the whole run (see test/support/python.ts). */
export default function setup(project: TestProject): () => void {
  const probe = probePython();
  project.provide('flowlinePython', probe);
  const lines = REQUIRABLE.filter((m) => !probe.modules[m]).map((m) => skipLine(probe, m));
  const say = () => {
    if (lines.length) console.warn(`\n${lines.join('\n')}\n`);
  };
  say();
  // Again at the end, beside the summary, where people look.
  return say;
}
