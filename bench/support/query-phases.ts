/**
 * Where a load or a profile spends its time, query by query: every DuckDB statement the process
 * runs while a recorder is on is timed (wall and process CPU) and filed under a phase named from
 * its SQL. Benchmarks only: it wraps DuckDBConnection.prototype.run, which every other way of
 * running a statement (runAndRead, runAndReadAll) goes through.
 */
import { DuckDBConnection } from '@duckdb/node-api';

export interface PhaseTime {
  wall: number;
  cpu: number;
  queries: number;
}

export type Phases = Map<string, PhaseTime>;

/** The phase of one statement of loadCsv or profileOn, from its SQL. */
export function phaseOf(sql: string): string {
  const s = sql.trimStart();
  if (/\bsniff_csv\(/.test(s)) return 'load: sniff';
  if (/^COPY\b/i.test(s)) return 'load: read + write Parquet';
  if (/\brejects_\w+/.test(s)) return 'load: reject check';
  if (/^DESCRIBE\b/i.test(s)) return 'bind (DESCRIBE)';
  if (/\bparquet_metadata\(/.test(s)) return 'profile: footer (dictionaries)';
  if (/^SELECT count\(\*\)/.test(s)) return 'profile: row count + ranges';
  if (/^SELECT \d+ AS j, count\(DISTINCT/.test(s)) return 'profile: distinct estimates';
  if (/GROUPING SETS/.test(s)) return 'profile: value groups';
  return 'profile: pass over every row';
}

let current: Phases | null = null;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const proto = DuckDBConnection.prototype as unknown as { run: (this: DuckDBConnection, sql: string, ...rest: unknown[]) => Promise<unknown> };
  const run = proto.run;
  proto.run = async function (this: DuckDBConnection, sql: string, ...rest: unknown[]) {
    const phases = current;
    if (!phases) return run.call(this, sql, ...rest);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      return await run.call(this, sql, ...rest);
    } finally {
      const c = process.cpuUsage(c0);
      const p = phases.get(phaseOf(sql)) ?? phases.set(phaseOf(sql), { wall: 0, cpu: 0, queries: 0 }).get(phaseOf(sql))!;
      p.wall += performance.now() - t0;
      p.cpu += (c.user + c.system) / 1000;
      p.queries++;
    }
  };
}

/** Run `fn` with every DuckDB statement timed into `phases` (statements run one at a time here). */
export async function recordPhases<T>(phases: Phases, fn: () => Promise<T>): Promise<T> {
  install();
  current = phases;
  try {
    return await fn();
  } finally {
    current = null;
  }
}
