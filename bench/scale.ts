/**
 * Data past memory: CSVs of 1M, 4M and 16M rows × 20 columns (deterministic: every value a hash of
 * its row number), each run through the real `flowline run` in a fresh process with DuckDB capped
 * (FLOWLINE_DUCKDB_MEMORY, default 1GB here):
 *   data: load → profile → filter → SQL aggregate (a fresh cache);
 *   ml:   sample 1M rows → train (logistic regression) → predict every row (the load comes from
 *         the data run's cache);
 *   eval: the same model (cached) → Evaluate on every row, in a process of its own so its peak
 *         RSS is Evaluate's.
 * Prints each node's time and each process's peak RSS, the time slope over sizes (log-log; must
 * be ≤ 1, linear) and the data run's peak RSS against the cap plus a fixed overhead (the peak of
 * the same pipeline on 1,000 rows). For the ml and evaluate runs it also prints where the peak
 * comes from: the main thread's ArrayBuffers and heap (sampled every 20 ms), and the rest.
 *
 *   npx tsx bench/scale.ts [--sizes 1000000,4000000,16000000] [--cap 1GB] [--sample 1000000] [--keep]
 *
 * Files go to a temporary folder, removed at the end (--keep leaves it). 16M rows is a 2 GB CSV.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseBytes } from '../core/data/bytes.ts';
import { duckdbBufferPool, duckdbMemoryLimit } from '../core/data/engine.ts';
import { predictChunkRows } from '../core/ml/predict-stream.ts';
import { numberArg } from './support/bench-context.ts';
import { ensureMixedCsv } from './support/datasets.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const SIZES = arg('sizes', '1000000,4000000,16000000').split(',').map(Number);
const CAP = arg('cap', '1GB');
const SAMPLE = numberArg('sample', 1_000_000);
const KEEP = process.argv.includes('--keep');
const CAP_BYTES = parseBytes(CAP);
if (!CAP_BYTES || SIZES.some((n) => !(n > 0))) throw new Error('usage: --sizes N,N,... --cap 1GB');

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'flowline.js');
const PEAK_RSS = join(import.meta.dirname, 'support', 'peak-rss.mjs');
const MB = 1024 ** 2;

interface Run {
  wall: number;
  peakRss: number;
  /** The main thread's memoryUsage(), sampled every 20 ms (peak-rss.mjs): the highest of each, and the sample at the highest RSS. */
  memory: { max: MemorySample; atPeak: MemorySample; stall: { ms: number; endedAtMs: number } };
  nodes: { id: string; status: string; durationMs: number }[];
}

type MemorySample = { rss: number; arrayBuffers: number; heapUsed: number; external: number };

type Node = { id: string; type: string; version: number; params: Record<string, unknown> };

function pipeline(name: string, nodes: Node[], edges: [string, string][]): string {
  return JSON.stringify({ format: 'flowline.pipeline', version: 1, name, nodes, edges: edges.map(([from, to]) => ({ from, to })) });
}

const load = (csv: string): Node => ({ id: 'load', type: 'data.load_csv', version: 1, params: { path: csv } });

/** load → profile → filter → aggregate: DuckDB all the way, the part that must stay under the cap. */
const dataPipeline = (csv: string) =>
  pipeline(
    'scale: data',
    [
      load(csv),
      { id: 'profile', type: 'data.profile', version: 1, params: {} },
      { id: 'filter', type: 'data.filter_rows', version: 1, params: { condition: 'x4 > 0' } },
      { id: 'aggregate', type: 'data.sql', version: 1, params: { query: 'SELECT color, size, segment, count(*) AS n, avg(x5) AS mean_x5, sum(n2) AS total_n2 FROM input1 GROUP BY ALL ORDER BY ALL' } },
    ],
    [
      ['load.table', 'profile.table'],
      ['load.table', 'filter.table'],
      ['filter.table', 'aggregate.tables'],
    ],
  );

/** sample → train → predict every row (the load is cached by the data run). */
const mlPipeline = (csv: string, rows: number) =>
  pipeline(
    'scale: ml',
    [
      load(csv),
      { id: 'features', type: 'data.select_columns', version: 1, params: { mode: 'drop', columns: ['id', 'city', 'segment', 'day'] } },
      { id: 'sample', type: 'data.sample', version: 2, params: { size: 'rows', rows: Math.min(SAMPLE, rows) } },
      { id: 'train', type: 'ml.train', version: 3, params: { target: 'target', task: 'binary', learner: 'logistic_regression' } },
      { id: 'predict', type: 'ml.predict', version: 1, params: { probabilities: true } },
    ],
    [
      ['load.table', 'features.table'],
      ['features.table', 'sample.table'],
      ['sample.table', 'train.table'],
      ['train.model', 'predict.model'],
      ['features.table', 'predict.table'],
    ],
  );

/** The ML run's model (the same nodes, so cached) evaluated on every row. */
const evalPipeline = (csv: string, rows: number) => {
  const ml = JSON.parse(mlPipeline(csv, rows)) as { nodes: Node[]; edges: { from: string; to: string }[] };
  const nodes = ml.nodes.filter((n) => n.id !== 'predict');
  nodes.push({ id: 'evaluate', type: 'ml.evaluate', version: 1, params: { worst_rows: 20 } });
  return pipeline('scale: evaluate', nodes, [
    ...ml.edges.filter((e) => !e.to.startsWith('predict.')).map((e): [string, string] => [e.from, e.to]),
    ['train.model', 'evaluate.model'],
    ['features.table', 'evaluate.table'],
  ]);
};

/** `flowline run` in a fresh process under the cap; its report and its peak RSS. */
function flowlineRun(dir: string, file: string): Promise<Run> {
  const rssFile = join(dir, `${Date.now()}.rss`);
  const traceFile = `${rssFile}.json`;
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', PEAK_RSS, BIN, 'run', file, '--json', '--trust'], {
      env: { ...process.env, FLOWLINE_DUCKDB_MEMORY: CAP, FLOWLINE_BENCH_PEAK_RSS: rssFile, FLOWLINE_BENCH_MEMORY_TRACE: traceFile, FLOWLINE_STATE_DIR: join(dir, 'state') },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const wall = performance.now() - t0;
      try {
        const report = JSON.parse(out) as { status: string; nodes: (Run['nodes'][number] & { error?: { message: string } })[] };
        if (report.status !== 'done') throw new Error(`${file}: ${report.status}: ${report.nodes.map((n) => `${n.id} ${n.status}${n.error ? ` (${n.error.message})` : ''}`).join(', ')}`);
        done({ wall, peakRss: Number(readFileSync(rssFile, 'utf8')), memory: JSON.parse(readFileSync(traceFile, 'utf8')), nodes: report.nodes });
      } catch (e) {
        fail(new Error(`flowline run exited ${code}: ${(e as Error).message}\n${err.slice(-2000)}`));
      }
    });
  });
}

/**
 * Where a run's peak comes from, as the main thread sees it: its ArrayBuffers (typed arrays and
 * shared memory it holds) and JS heap, highest and at the sampled RSS peak; the rest of the RSS
 * is the worker threads and DuckDB. The samples stop while the main thread is busy: the longest
 * such stall says how long work ran there (the rule: nothing heavy on it), and a peak reached
 * during it is in the process's peak RSS but not in the sampled one.
 */
function whereThePeakIs(run: Run): string {
  const { max, atPeak, stall } = run.memory;
  return `main thread ArrayBuffers up to ${mb(max.arrayBuffers)}, heap up to ${mb(max.heapUsed)}; at the sampled RSS peak (${mb(atPeak.rss)}): ArrayBuffers ${mb(atPeak.arrayBuffers)}, heap ${mb(atPeak.heapUsed)}, the rest (workers, DuckDB, code) ${mb(atPeak.rss - atPeak.arrayBuffers - atPeak.heapUsed)}; longest main-thread stall ${stall.ms} ms (ended ${(stall.endedAtMs / 1000).toFixed(1)} s in)`;
}

/** Slope of log(time) against log(rows), least squares: 1 is linear; NaN with fewer than two sizes. */
function logSlope(points: [number, number][]): number {
  if (points.length < 2) return NaN;
  const xs = points.map(([rows]) => Math.log(rows));
  const ys = points.map(([, ms]) => Math.log(ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const nodeMs = (r: Run, id: string) => r.nodes.find((n) => n.id === id)?.durationMs ?? NaN;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-scale-'));
  console.log(`scale: sizes ${SIZES.map((n) => n.toLocaleString('en')).join(', ')} rows × 20 columns; DuckDB capped at ${CAP} (its buffer pool ${mb(duckdbBufferPool(CAP_BYTES!))}); train on ${SAMPLE.toLocaleString('en')} sampled rows; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; folder ${dir}`);
  try {
    // The fixed overhead: the same data pipeline on 1,000 rows (Node, DuckDB, the worker threads).
    const tinyCsv = await ensureMixedCsv(join(dir, 'mixed-1000.csv'), 1000);
    writeFileSync(join(dir, 'tiny.flow.json'), dataPipeline(tinyCsv));
    const overhead = (await flowlineRun(dir, join(dir, 'tiny.flow.json'))).peakRss;
    console.log(`fixed overhead (peak RSS of the data pipeline on 1,000 rows): ${mb(overhead)}`);

    const results: { rows: number; csvBytes: number; data: Run; ml: Run; evaluation: Run }[] = [];
    for (const rows of SIZES) {
      const sub = join(dir, String(rows));
      mkdirSync(sub);
      const csv = await ensureMixedCsv(join(sub, `mixed-${rows}.csv`), rows);
      writeFileSync(join(sub, 'data.flow.json'), dataPipeline(csv));
      writeFileSync(join(sub, 'ml.flow.json'), mlPipeline(csv, rows));
      writeFileSync(join(sub, 'eval.flow.json'), evalPipeline(csv, rows));
      const data = await flowlineRun(sub, join(sub, 'data.flow.json'));
      const ml = await flowlineRun(sub, join(sub, 'ml.flow.json'));
      const evaluation = await flowlineRun(sub, join(sub, 'eval.flow.json'));
      results.push({ rows, csvBytes: statSync(csv).size, data, ml, evaluation });
      console.log(`  ${rows.toLocaleString('en')} rows done: data ${(data.wall / 1000).toFixed(1)} s, peak ${mb(data.peakRss)}; ml ${(ml.wall / 1000).toFixed(1)} s, peak ${mb(ml.peakRss)}; evaluate ${(evaluation.wall / 1000).toFixed(1)} s, peak ${mb(evaluation.peakRss)}`);
      for (const [name, run] of [['ml', ml], ['evaluate', evaluation]] as const) console.log(`    ${name}: ${whereThePeakIs(run)}`);
      rmSync(csv, { force: true });
    }

    const total = (r: (typeof results)[number]) =>
      ['load', 'profile', 'filter', 'aggregate'].reduce((a, id) => a + nodeMs(r.data, id), 0) + ['features', 'sample', 'train', 'predict'].reduce((a, id) => a + nodeMs(r.ml, id), 0) + nodeMs(r.evaluation, 'evaluate');
    console.log('\n| rows | CSV | load s | profile s | filter s | aggregate s | sample s | train s | predict s | evaluate s | total s | peak RSS data | peak RSS ml | peak RSS evaluate |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      const s = (run: Run, id: string) => (nodeMs(run, id) / 1000).toFixed(1);
      console.log(`| ${r.rows.toLocaleString('en')} | ${mb(r.csvBytes)} | ${s(r.data, 'load')} | ${s(r.data, 'profile')} | ${s(r.data, 'filter')} | ${s(r.data, 'aggregate')} | ${s(r.ml, 'sample')} | ${s(r.ml, 'train')} | ${s(r.ml, 'predict')} | ${s(r.evaluation, 'evaluate')} | ${(total(r) / 1000).toFixed(1)} | ${mb(r.data.peakRss)} | ${mb(r.ml.peakRss)} | ${mb(r.evaluation.peakRss)} |`);
    }

    const slope = logSlope(results.map((r) => [r.rows, total(r)]));
    const bound = CAP_BYTES! + overhead;
    const dataPeak = Math.max(...results.map((r) => r.data.peakRss));
    const mlPeak = Math.max(...results.map((r) => r.ml.peakRss));
    const evalPeak = Math.max(...results.map((r) => r.evaluation.peakRss));
    const verdict = Number.isNaN(slope) ? 'not measured (give two sizes or more)' : slope <= 1 ? 'MET' : 'NOT MET';
    console.log(`\ntime slope (log time / log rows, total of every node): ${slope.toFixed(2)} → ${verdict} (target ≤ 1, linear)`);
    console.log(`data run (load → profile → filter → aggregate) peak RSS ${mb(dataPeak)} vs cap ${CAP} + overhead ${mb(overhead)} = ${mb(bound)} → ${dataPeak <= bound ? 'MET' : 'NOT MET'}`);
    console.log(`ml run (sample → train → predict every row) peak RSS ${mb(mlPeak)} vs ${mb(bound)} → ${mlPeak <= bound ? 'MET' : 'NOT MET'}`);
    console.log(`evaluate run (the cached model → Evaluate every row) peak RSS ${mb(evalPeak)} vs ${mb(bound)} → ${evalPeak <= bound ? 'MET' : 'NOT MET'}`);
    if (results.length >= 2) {
      // Training on the fixed-size sample sets the ML run's floor; what grows with the rows is Predict's share.
      const [first, last] = [results[0], results.at(-1)!];
      console.log(`ml run peak RSS from ${first.rows.toLocaleString('en')} to ${last.rows.toLocaleString('en')} rows (${(last.rows / first.rows).toFixed(0)}× the rows): ${mb(first.ml.peakRss)} → ${mb(last.ml.peakRss)} (${last.ml.peakRss >= first.ml.peakRss ? '+' : ''}${mb(last.ml.peakRss - first.ml.peakRss)}); Predict scores in chunks of ${predictChunkRows(duckdbMemoryLimit(CAP)).toLocaleString('en')} rows`);
      // Evaluate streams like Predict but keeps each row's class and score for its curves (9 bytes a row for a binary model).
      console.log(`evaluate run peak RSS from ${first.rows.toLocaleString('en')} to ${last.rows.toLocaleString('en')} rows: ${mb(first.evaluation.peakRss)} → ${mb(last.evaluation.peakRss)} (${last.evaluation.peakRss >= first.evaluation.peakRss ? '+' : ''}${mb(last.evaluation.peakRss - first.evaluation.peakRss)}); Evaluate time slope ${logSlope(results.map((r) => [r.rows, nodeMs(r.evaluation, 'evaluate')])).toFixed(2)}`);
    }
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (1/5/15 min); figures taken on a busy machine are indications only`);
  } finally {
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
