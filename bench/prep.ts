/**
 * Feature steps on 1M rows, ours vs scikit-learn 1.2: impute (mean) → standard scale →
 * one-hot → quantile binning. Run on purpose: `npx tsx bench/prep.ts [rows]`.
 *
 * Same data for both: one CSV (bench/support/datasets.ts' mixed table) that each side reads
 * itself — we through DuckDB into typed arrays, Python through pandas.read_csv. Reading is NOT
 * timed. Timed, per step, is fit + transform on all rows (our `fit` then `apply`;
 * scikit-learn's `fit_transform`), each step fed the previous step's output:
 *   impute   SimpleImputer(strategy="mean") on x1, x2, x3 (≈5 % missing each)
 *   scale    StandardScaler on x1..x6
 *   onehot   OneHotEncoder(sparse_output=False, handle_unknown="ignore") on city (50 values + missing) and color
 *   bins     KBinsDiscretizer(n_bins=10, strategy="quantile", encode="ordinal", subsample=None) on x7, x8
 * Best of 5 runs on each side; one table with the ratio (ours / scikit-learn; < 1 = we are faster).
 * Garbage from the previous step is collected between steps, outside the timed region.
 */
import { spawnSync } from 'node:child_process';
import v8 from 'node:v8';
import vm from 'node:vm';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyToParquet, readColumns } from '../core/data/tables.ts';
import { literal, withConnection } from '../core/data/engine.ts';
import { makeFrame, type Frame, type FrameColumn } from '../core/ml/frame.ts';
import { STEP_KINDS } from '../core/ml/prep/index.ts';
import { ensureMixedCsv } from './support/datasets.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PYTHON = process.env.FLOWLINE_PYTHON ?? '/usr/bin/python3';
const REPEATS = 5;

// Collect the previous step's garbage between steps (untimed), as CPython frees numpy arrays at
// once by reference counting: otherwise a major GC of the one-hot output lands in the next step.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const STEPS: { name: string; kind: string; params: Record<string, unknown> }[] = [
  { name: 'impute', kind: 'impute', params: { columns: ['x1', 'x2', 'x3'], strategy: 'mean' } },
  { name: 'scale', kind: 'scale', params: { columns: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'], method: 'standard' } },
  { name: 'onehot', kind: 'onehot', params: { columns: ['city', 'color'], handle_unknown: 'ignore' } },
  { name: 'bins', kind: 'discretize', params: { columns: ['x7', 'x8'], strategy: 'quantile', n_bins: 10 } },
];
const COLUMNS = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'city', 'color'];

const PY = String.raw`
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np, pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler, OneHotEncoder, KBinsDiscretizer
path, repeats = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(path, usecols=["x1","x2","x3","x4","x5","x6","x7","x8","city","color"])
best = {}
for r in range(repeats):
    d = df.copy()
    t = {}
    s = time.perf_counter(); d[["x1","x2","x3"]] = SimpleImputer(strategy="mean").fit_transform(d[["x1","x2","x3"]]); t["impute"] = time.perf_counter() - s
    s = time.perf_counter(); d[["x1","x2","x3","x4","x5","x6"]] = StandardScaler().fit_transform(d[["x1","x2","x3","x4","x5","x6"]]); t["scale"] = time.perf_counter() - s
    s = time.perf_counter(); oh = OneHotEncoder(sparse_output=False, handle_unknown="ignore").fit_transform(d[["city","color"]]); t["onehot"] = time.perf_counter() - s
    s = time.perf_counter(); b = KBinsDiscretizer(n_bins=10, strategy="quantile", encode="ordinal", subsample=None).fit_transform(d[["x7","x8"]]); t["bins"] = time.perf_counter() - s
    t["total"] = sum(t.values())
    for k, v in t.items(): best[k] = min(best.get(k, 1e9), v * 1000)
print(json.dumps({"ms": best, "onehot_cols": int(oh.shape[1])}))
`;

async function loadFrame(csv: string): Promise<Frame> {
  const parquet = join(tmpdir(), `flowline-bench-prep-${ROWS}.parquet`);
  if (!existsSync(parquet)) {
    await withConnection((con) => copyToParquet(con, `SELECT (row_number() OVER () - 1)::BIGINT AS __row, * FROM read_csv(${literal(csv)})`, parquet));
  }
  const r = await readColumns({ path: parquet }, COLUMNS);
  return makeFrame(COLUMNS.map((name) => ({ name, type: r.columns[name] instanceof Float64Array ? 'number' : 'string', values: r.columns[name] as FrameColumn })));
}

function ours(frame: Frame): { ms: Record<string, number>; onehotCols: number } {
  const best: Record<string, number> = {};
  let onehotCols = 0;
  for (let r = 0; r < REPEATS; r++) {
    let f = frame;
    let total = 0;
    for (const step of STEPS) {
      const kind = STEP_KINDS[step.kind];
      collectGarbage();
      const t0 = performance.now();
      const state = kind.fit(f, step.params);
      const next = kind.apply(state, f);
      const ms = performance.now() - t0;
      if (step.kind === 'onehot') onehotCols = Object.keys(next.columns).length - Object.keys(f.columns).length + 2;
      f = next;
      total += ms;
      best[step.name] = Math.min(best[step.name] ?? Infinity, ms);
    }
    best.total = Math.min(best.total ?? Infinity, total);
  }
  return { ms: best, onehotCols };
}

async function main() {
  const csv = await ensureMixedCsv(join(tmpdir(), `flowline-bench-mixed-${ROWS}.csv`), ROWS);
  const frame = await loadFrame(csv);
  console.log(`${ROWS.toLocaleString('en')} rows from ${csv}; best of ${REPEATS}; fit + transform per step, reading not timed\n`);
  const mine = ours(frame);
  const py = spawnSync(PYTHON, ['-c', PY, csv, String(REPEATS)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0) throw new Error(`python failed: ${py.stderr}`);
  const sk = JSON.parse(py.stdout) as { ms: Record<string, number>; onehot_cols: number };
  if (sk.onehot_cols !== mine.onehotCols) console.warn(`! one-hot columns differ: ours ${mine.onehotCols}, scikit-learn ${sk.onehot_cols}`);
  const rows = [...STEPS.map((s) => s.name), 'total'];
  const pad = (s: string, n: number) => s.padStart(n);
  console.log(`${'step'.padEnd(8)} ${pad('ours ms', 10)} ${pad('sklearn ms', 11)} ${pad('ratio', 7)}`);
  for (const name of rows) {
    const a = mine.ms[name];
    const b = sk.ms[name];
    console.log(`${name.padEnd(8)} ${pad(a.toFixed(1), 10)} ${pad(b.toFixed(1), 11)} ${pad((a / b).toFixed(2), 7)}`);
  }
  console.log(`\nnode ${process.version}, scikit-learn via ${PYTHON}; one-hot width ${mine.onehotCols} columns`);
}

await main();
