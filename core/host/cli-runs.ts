/**
 * `flowline runs`: the run log of a project (core/host/runs, docs/lifecycle.md).
 *
 *   flowline runs [--in PIPELINE_OR_FOLDER] [--json]
 *   flowline runs show RUN [--in ...] [--json]
 *   flowline runs compare A B [--in ...] [--json]
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FlowlineError } from '../spec/errors.ts';
import { formatMs } from './cli-progress.ts';
import { cacheDirFor } from './run-session.ts';
import { compareRuns, formatComparison } from './runs/run-compare.ts';
import type { RunRecord } from './runs/run-record.ts';
import { RunStore } from './runs/run-store.ts';
import { defaultStateDir } from './service/state-dir.ts';

/**
 * A project's `.flowline/<name>` folder (runs, models) for a pipeline file, a project folder, or
 * the current folder: beside the pipeline's cache folder, as run-session.ts places them.
 */
export function projectFolder(where: string | undefined, name: 'runs' | 'models'): string {
  const abs = resolve(where ?? '.');
  let folder = false;
  try {
    folder = statSync(abs).isDirectory();
  } catch {
    throw new FlowlineError({ code: 'FILE_NOT_FOUND', file: abs, message: `${abs} does not exist.`, hint: 'Give a pipeline file or the folder it is in (--in).' });
  }
  return folder ? join(abs, '.flowline', name) : join(dirname(cacheDirFor(abs, defaultStateDir())), name);
}

/** The run log of a pipeline file, of a project folder, or of the current folder. */
export function runStoreFor(where: string | undefined): RunStore {
  return new RunStore(projectFolder(where, 'runs'));
}

interface Io {
  stdout: NodeJS.WritableStream;
}

export async function runsCommand(args: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { in: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: (e as Error).message, hint: 'See `flowline help`.' });
  }
  const { values, positionals } = parsed;
  const store = runStoreFor(values.in);
  const [sub, ...refs] = positionals;
  const print = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, values.json ? undefined : 2)}\n`);

  if (sub === undefined || sub === 'list') {
    const runs = await store.list();
    if (values.json) print(runs.map(listEntry));
    else if (!runs.length) io.stdout.write(`No runs recorded in ${store.dir} yet.\n`);
    else for (const r of [...runs].reverse()) io.stdout.write(`${formatListLine(r)}\n`);
    return 0;
  }
  if (sub === 'show') {
    if (refs.length !== 1) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'flowline runs show takes one run id.', hint: 'e.g. flowline runs show latest' });
    const record = await store.get(refs[0]);
    if (values.json) print(record);
    else io.stdout.write(`${formatRecord(record)}\n`);
    return 0;
  }
  if (sub === 'compare') {
    if (refs.length !== 2) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: 'flowline runs compare takes two run ids.', hint: 'e.g. flowline runs compare latest~1 latest' });
    const comparison = compareRuns(await store.get(refs[0]), await store.get(refs[1]));
    if (values.json) print(comparison);
    else io.stdout.write(`${formatComparison(comparison)}\n`);
    return 0;
  }
  throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `Unknown runs command "${sub}".`, hint: 'flowline runs [list|show ID|compare A B]' });
}

function listEntry(r: RunRecord) {
  return { id: r.id, status: r.status, host: r.host, startedAt: r.startedAt, durationMs: r.durationMs, pipeline: r.pipeline.path ?? r.pipeline.name, pipelineHash: r.pipeline.hash, metrics: r.metrics, failure: r.failure };
}

function formatListLine(r: RunRecord): string {
  const metrics = Object.entries(r.metrics)
    .flatMap(([node, m]) => Object.entries(m).slice(0, 3).map(([k, v]) => `${node}.${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`))
    .join(' ');
  const time = r.durationMs === undefined ? '' : formatMs(r.durationMs);
  return `${r.id}  ${r.startedAt.replace('T', ' ').slice(0, 19)}  ${r.status.padEnd(9)} ${time.padEnd(7)} ${r.host.padEnd(6)} ${metrics}`.trimEnd();
}

function formatRecord(r: RunRecord): string {
  const lines = [
    `run ${r.id}: ${r.status}${r.failure ? ` — ${r.failure}` : ''}`,
    `  pipeline ${r.pipeline.path ?? r.pipeline.name} (sha256 ${r.pipeline.hash.slice(0, 12)}; copy: ${r.pipeline.copy})`,
    `  started ${r.startedAt} by ${r.host} (pid ${r.pid}), Flowline ${r.appVersion}${r.durationMs === undefined ? '' : `, took ${formatMs(r.durationMs)}`}`,
    `  seed ${r.seed}${r.set.length ? `, --set ${r.set.join(' ')}` : ''}${r.to ? `, --to ${r.to}` : ''}`,
    '  nodes',
    ...r.nodes.map((n) => `    ${n.id.padEnd(20)} ${`${n.type} v${n.version}`.padEnd(28)} ${n.status.padEnd(9)}${n.durationMs === undefined ? '' : ` ${formatMs(n.durationMs)}`}${n.error ? `  ${n.error.code}: ${n.error.message}` : ''}`),
  ];
  if (r.data.length) lines.push('  data', ...r.data.map((d) => `    ${d.path}  ${d.hash.length === 64 ? d.hash.slice(0, 12) : d.hash}  (${d.nodes.join(', ')})`));
  const metrics = Object.entries(r.metrics);
  if (metrics.length) lines.push('  metrics', ...metrics.map(([node, m]) => `    ${node}: ${Object.entries(m).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`).join('  ')}`));
  if (r.artifacts.length) lines.push('  artifacts', ...r.artifacts.map((a) => `    ${a.nodeId}: ${a.path}`));
  return lines.join('\n');
}
