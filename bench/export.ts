/**
 * ONNX export under a realistic model (issue 12): a 100-tree random forest and a 100-iteration
 * histogram gradient boosting, each fitted on 100k rows x 20 raw columns (17 numbers, 3 with ~5%
 * missing, imputed; 3 text columns, one-hot encoded), binary target. Printed, same run:
 *
 * - export + verification time (build the graph, load it in onnxruntime-node, score up to 2,000
 *   held-out rows plus the missing/unseen probes, compare with the app) and the file size;
 * - predicting 100k rows through onnxruntime-node from the file (session load apart, default
 *   threads and one thread) beside the app's own Predict path (fitted recipe + learner, one thread);
 * - yardsticks from tools that are not ours, on the same file: onnxruntime-node's session load,
 *   and onnx.checker.check_model(full_check=True) in Debian's python3-onnx, when present.
 *
 * Targets: export + verification < 3 s each; onnxruntime-node predict no slower than the app's.
 *
 *   npx tsx bench/export.ts [rows = 100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { exportOnnx } from '../core/export/onnx/index.ts';
import { FLOWLINE_VERSION } from '../core/export/version.ts';
import { appPredict, feedsFor } from '../core/export/onnx/verify.ts';
import { frameFromArrays, type Frame } from '../core/ml/frame.ts';
// what the Train node fits, without tables: the recipe on the raw rows, then the learner
import { fitModel } from '../test/core/export/onnx/fit-model.ts';

const ROWS = Number(process.argv[2] ?? 100_000);
const PY = process.env.FLOWLINE_PYTHON ?? '/usr/bin/python3';

/** Deterministic rows: 17 numbers (x1..x3 ~5% missing), 3 text columns, a 0/1 target from them. */
function dataset(n: number, salt: number): Frame {
  let s = 2463534242 + salt;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const cols: Record<string, (number | string | null)[]> = {};
  for (let k = 1; k <= 17; k++) cols[`x${k}`] = [];
  cols.color = [];
  cols.size = [];
  cols.city = [];
  cols.y = [];
  const colors = ['red', 'green', 'blue'];
  const sizes = ['S', 'M', 'L', 'XL'];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 17 }, (_, k) => Math.round((rand() - 0.5) * 10 * (k + 1)) / 10);
    const color = colors[Math.floor(rand() * 3)];
    const size = sizes[Math.floor(rand() * 4)];
    const city = `city_${Math.floor(rand() * 12)}`;
    const z = x[0] / 1 - x[1] / 4 + (x[2] * x[3]) / 40 + (color === 'red' ? 1 : 0) - (size === 'XL' ? 1 : 0) + (rand() - 0.5) * 2;
    for (let k = 0; k < 17; k++) cols[`x${k + 1}`].push(k < 3 && rand() < 0.05 ? null : x[k]);
    cols.color.push(color);
    cols.size.push(size);
    cols.city.push(city);
    cols.y.push(z > 0 ? 'yes' : 'no');
  }
  return frameFromArrays(cols);
}

const STEPS = [
  { kind: 'impute', params: { columns: ['x1', 'x2', 'x3'], strategy: 'median' } },
  { kind: 'onehot', params: { columns: ['color', 'size', 'city'] } },
];

/** Wall time, and this process's CPU time (all its threads, onnxruntime's included) in `cpu`. */
const cpu = { ms: 0 };
const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await f();
  const c = process.cpuUsage(c0);
  cpu.ms = (c.user + c.system) / 1000;
  return [r, performance.now() - t0];
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

/** Load + one run of the whole frame through onnxruntime-node; the best of `reps` runs. */
async function ortPredict(bytes: Uint8Array, model: Awaited<ReturnType<typeof exportOnnx>>['info'], frame: Frame, threads: number | undefined, reps: number) {
  const [session, loadMs] = await time(() => ort.InferenceSession.create(bytes, threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}));
  let best = Infinity;
  let runCpu = 0;
  let rows = 0;
  for (let r = 0; r < reps; r++) {
    const feeds = feedsFor(model, frame);
    const [out, ms] = await time(() => session.run(feeds));
    rows = (out.label?.dims[0] as number) ?? 0;
    if (ms < best) runCpu = cpu.ms;
    best = Math.min(best, ms);
  }
  await session.release();
  return { loadMs, runMs: best, runCpu, rows };
}

function pythonChecker(file: string): number | string {
  const r = spawnSync(PY, ['-c', 'import sys, time, onnx\nm = onnx.load(sys.argv[1])\nt = time.perf_counter()\nonnx.checker.check_model(m, full_check=True)\nprint((time.perf_counter() - t) * 1000)', file], { encoding: 'utf8' });
  if (r.status !== 0) return r.error || /No module named/.test(r.stderr) ? 'skipped: no python3-onnx (apt-get install python3-onnx)' : `FAILED: ${r.stderr.trim().split('\n').pop()}`;
  return Number(r.stdout.trim());
}

console.log(`bench/export: ${ROWS.toLocaleString('en')} training rows x 20 raw columns; ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)} (measured under load when others run)`);
const train = dataset(ROWS, 1);
const test = dataset(Math.max(2000, Math.round(ROWS / 4)), 2);
const scoreRows = dataset(100_000, 3);
const dir = mkdtempSync(join(tmpdir(), 'flowline-bench-export-'));
const lines: string[] = [];
try {
  for (const [label, kind, params] of [
    ['random forest, 100 trees', 'random_forest', { n_estimators: 100 }],
    ['hist gradient boosting, 100 iterations', 'hist_gradient_boosting', { max_iter: 100 }],
  ] as const) {
    const [model, fitMs] = await time(() => fitModel({ frame: train, steps: STEPS, target: 'y', learner: kind, params }));
    for (const target of ['default', 'exact'] as const) {
      const [exported, exportMs] = await time(() => exportOnnx(model, { target, rows: test, rowSource: 'held-out rows', flowlineVersion: FLOWLINE_VERSION }));
      const exportCpu = cpu.ms;
      const v = exported.verification;
      const file = join(dir, `${kind}-${target}.onnx`);
      writeFileSync(file, exported.bytes);
      const checker = target === 'default' ? pythonChecker(file) : 'n/a (python3-onnx 1.12 knows opset <= 17)';
      const [, appMs] = await time(() => appPredict(model, scoreRows));
      const appCpu = cpu.ms;
      const [, appMs2] = await time(() => appPredict(model, scoreRows));
      const ortDefault = await ortPredict(exported.bytes, exported.info, scoreRows, undefined, 2);
      const ortOne = await ortPredict(exported.bytes, exported.info, scoreRows, 1, 2);
      const app = Math.min(appMs, appMs2);
      const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
      lines.push(
        [
          `${label} (${target} target; fit ${fmt(fitMs)}, ${model.features.length} features after the recipe)`,
          `  export + verification   ${fmt(exportMs)} (CPU ${fmt(exportCpu)})   [target < 3 s: ${verdict(exportMs < 3000)}]  (verified ${v.rows} rows: session load ${fmt(v.onnxLoadMs)}, ONNX scoring ${fmt(v.onnxMs)}, app scoring ${fmt(v.appMs)}; labels agree ${v.labelsAgree}/${v.rows}, max |diff| ${v.maxAbsDiff.toExponential(1)})`,
          `  file size              ${(exported.bytes.length / 1024 / 1024).toFixed(2)} MB`,
          `  predict 100k rows      onnxruntime-node ${fmt(ortDefault.runMs)} (default threads, CPU ${fmt(ortDefault.runCpu)}), ${fmt(ortOne.runMs)} (1 thread, CPU ${fmt(ortOne.runCpu)})  |  app's Predict path ${fmt(app)} (1 thread, CPU ${fmt(appCpu)})   [ORT no slower: ${verdict(ortDefault.runMs <= app)}]`,
          `  yardsticks             onnxruntime-node session load ${fmt(ortDefault.loadMs)}; onnx.checker full_check ${typeof checker === 'number' ? fmt(checker) : checker}`,
        ].join('\n'),
      );
      console.log(lines.at(-1));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
