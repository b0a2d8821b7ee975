/**
 * Table-file writer settings: what each costs to write, how large the file is, and what reading it
 * back costs (the profile, and readColumns of every column, what learners do), against the
 * settings table files use today, in the same run. The rows are the ingest bench's 1M × 20 table,
 * staged in memory first so a write times the Parquet writer alone, not the CSV parser.
 *
 *   npx tsx bench/table-writer.ts [--rows 1000000] [--repeat 5]
 *
 * Settings take turns within each round; medians of wall and CPU time (all threads) are shown,
 * CPU being the steadier figure when other work shares the cores. Every file must give the same
 * profile as today's (mean and std within SUM_TOLERANCE): a codec may not change what users see.
 */
import { rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { loadCsv } from '../core/data/csv.ts';
import { literal, withConnection } from '../core/data/engine.ts';
import { profileOn } from '../core/data/profile.ts';
import { readColumns, relation, ROWS_IN_ORDER, tableFileOptions } from '../core/data/tables.ts';
import type { ColumnProfile } from '../core/spec/table-page.ts';
import { benchContext, numberArg } from './support/bench-context.ts';
import { ensureMixedCsv } from './support/datasets.ts';
import { profileDifferences } from './support/profile-compare.ts';

const ROWS = numberArg('rows', 1_000_000);
const REPEAT = numberArg('repeat', 5);

const TODAY = 'today (uncompressed, 16 KB dictionaries, no bloom filters)';

/** Settings to compare: today's table-file options with one thing changed. */
function settings(columns: number): [string, string][] {
  const today = tableFileOptions(columns);
  const codec = (name: string) => today.replace(/COMPRESSION \w+/, `COMPRESSION ${name}`);
  return [
    [TODAY, today],
    ['lz4_raw', codec('lz4_raw')],
    ['snappy', codec('snappy')],
    ['zstd', codec('zstd')],
    ['Parquet v2 encodings', `${today}, PARQUET_VERSION v2`],
    ['row groups of 491,520 rows', `${today}, ROW_GROUP_SIZE 491520`],
    ["DuckDB's defaults (snappy, default dictionaries)", 'FORMAT parquet'],
  ];
}

interface Sample {
  write: [number, number];
  profile: [number, number];
  columns: [number, number];
}

const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

async function timed<T>(fn: () => Promise<T>): Promise<[T, [number, number]]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  return [out, [performance.now() - t0, ms(process.cpuUsage(c0))]];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const csv = await ensureMixedCsv(resolve(import.meta.dirname, `.data/mixed-${ROWS}.csv`), ROWS);
  const ctx = benchContext(dirname(csv));
  const table = await loadCsv(ctx, { path: basename(csv) });
  const names = table.columns.map((c) => c.name);
  const list = settings(names.length);
  console.log(`table-file writer: ${ROWS.toLocaleString('en')} rows × ${names.length} columns; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}; ${REPEAT} rounds, settings in turn, median shown`);
  const samples = new Map<string, Sample[]>(list.map(([name]) => [name, []]));
  const sizes = new Map<string, number>();
  const profiles = new Map<string, ColumnProfile[]>();
  const file = (k: number) => join(ctx.outDir, `w${k}${ROWS_IN_ORDER}`);
  await withConnection(async (con) => {
    // In memory, so a write measures the writer; read back in file order as loadCsv wrote it.
    await con.run(`CREATE TEMP TABLE staged AS SELECT * EXCLUDE (file_row_number) FROM read_parquet(${literal(table.path)}, file_row_number=true) ORDER BY file_row_number`);
    for (let round = 0; round <= REPEAT; round++) {
      for (const [k, [name, options]] of list.entries()) {
        rmSync(file(k), { force: true });
        rmSync(`${file(k)}.profile-20-10.json`, { force: true });
        const [, write] = await timed(() => con.run(`COPY staged TO ${literal(file(k))} (${options})`));
        const [profile, prof] = await timed(() => profileOn(con, relation({ path: file(k) }), {}, file(k)));
        const [, cols] = await timed(() => readColumns({ path: file(k) }, names));
        sizes.set(name, statSync(file(k)).size);
        profiles.set(name, profile);
        // Round 0 warms the engine and the page cache: not counted.
        if (round > 0) samples.get(name)!.push({ write, profile: prof, columns: cols });
      }
    }
  });
  const base = samples.get(TODAY)!;
  const cell = (xs: Sample[], pick: (s: Sample) => [number, number]) => {
    const wall = median(xs.map((s) => pick(s)[0]));
    const cpu = median(xs.map((s) => pick(s)[1]));
    const ratio = cpu / median(base.map((s) => pick(s)[1]));
    return `${wall.toFixed(0)} / ${cpu.toFixed(0)} (${ratio.toFixed(2)}×)`;
  };
  console.log(`\n| setting | file MiB | write ms wall / CPU (CPU × today) | profile | readColumns, all ${names.length} columns | same profile |\n|---|---:|---:|---:|---:|---|`);
  for (const [name] of list) {
    const xs = samples.get(name)!;
    const diff = profileDifferences(profiles.get(TODAY)!, profiles.get(name)!);
    console.log(`| ${name} | ${(sizes.get(name)! / 2 ** 20).toFixed(1)} | ${cell(xs, (s) => s.write)} | ${cell(xs, (s) => s.profile)} | ${cell(xs, (s) => s.columns)} | ${diff.length ? `NO: ${diff.slice(0, 3).join('; ')}` : 'yes'} |`);
  }
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (1/5/15 min)`);
  rmSync(ctx.outDir, { recursive: true, force: true });
}

await main();
