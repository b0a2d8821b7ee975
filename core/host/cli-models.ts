/**
 * `flowline models`: the model registry of a project (core/host/registry, docs/lifecycle.md).
 *
 *   flowline models [list] [--in PIPELINE_OR_FOLDER] [--json]
 *   flowline models show VERSION [--json]           with the gates it would meet now
 *   flowline models promote VERSION --reason TEXT   refused (exit 4) when a gate fails
 *   flowline models rollback --reason TEXT
 *   flowline models audit [--json]
 */
import { refusalLines } from '../export/gates.ts';
import { FlowlineError } from '../spec/errors.ts';
import type { ListedVersion } from '../spec/model-registry.ts';
import { parseCommandArgs } from './cli-args.ts';
import { ModelRegistry } from './registry/model-registry.ts';
import { checkVersionGates, EXIT_GATE_FAILED, promote, rollback, type GateCheck } from './registry/promotion.ts';
import { projectFolder } from './cli-runs.ts';

export const MODELS_USAGE = `flowline models [list] [--in PIPELINE_OR_FOLDER] [--json]
flowline models show VERSION [--json]                 VERSION: v3 (or 3), production, latest
flowline models promote VERSION --reason TEXT [--json]  exit 4 when a gate refuses it
flowline models rollback --reason TEXT [--json]
flowline models audit [--json]`;

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The registry of a pipeline file, of a project folder, or of the current folder. */
export function registryFor(where: string | undefined): ModelRegistry {
  return new ModelRegistry(projectFolder(where, 'models'));
}

export async function modelsCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { in: { type: 'string' }, json: { type: 'boolean' }, reason: { type: 'string' } }, MODELS_USAGE, 'flowline models');
  const registry = registryFor(values.in);
  const [sub = 'list', ...refs] = positionals;
  const json = !!values.json;
  const print = (value: unknown) => io.stdout.write(`${JSON.stringify(value)}\n`);
  const arity = (n: number) => {
    if (refs.length !== n) throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `flowline models ${sub} takes ${n === 0 ? 'no version' : 'one version'}.`, hint: MODELS_USAGE });
  };

  switch (sub) {
    case 'list': {
      arity(0);
      const versions = await registry.list();
      if (json) print(versions);
      else if (!versions.length) io.stdout.write(`No models registered in ${registry.dir} yet: every export of the pipeline registers one.\n`);
      else for (const v of [...versions].reverse()) io.stdout.write(`${listLine(v)}\n`);
      return 0;
    }
    case 'show': {
      arity(1);
      const version = await registry.get(refs[0]);
      const gates = await checkVersionGates(registry, version, await registry.list());
      if (json) print({ ...version, gates: gates.results, gatesFrom: gates.source });
      else io.stdout.write(showText(version, gates));
      return 0;
    }
    case 'promote': {
      arity(1);
      const outcome = await promote(registry, refs[0], (values.reason as string | undefined) ?? '');
      if (json) print(outcome.promoted ? { status: 'promoted', version: outcome.version, archived: outcome.archived, gates: outcome.gates.results } : { status: 'refused', version: outcome.version, gates: outcome.gates.results, failed: outcome.gates.results.filter((r) => !r.passed) });
      if (!outcome.promoted) {
        if (!json) io.stderr.write(`${outcome.version} was not promoted:${refusalLines(outcome.gates.results).map((l) => `\n  ✗ ${l}`).join('')}\n`);
        return EXIT_GATE_FAILED;
      }
      if (!json) io.stdout.write(`${outcome.version} is in production${outcome.archived ? `; ${outcome.archived} archived` : ''} (${outcome.gates.results.length} gate${outcome.gates.results.length === 1 ? '' : 's'} passed).\n`);
      return 0;
    }
    case 'rollback': {
      arity(0);
      const done = await rollback(registry, (values.reason as string | undefined) ?? '');
      if (json) print({ status: 'rolled back', ...done });
      else io.stdout.write(`${done.restored} is in production again; ${done.archived} archived.\n`);
      return 0;
    }
    case 'audit': {
      arity(0);
      const entries = await registry.audit();
      if (json) print(entries);
      else for (const e of entries) io.stdout.write(`${e.at}  ${e.who.padEnd(10)} ${e.action.padEnd(15)} ${e.version.padEnd(5)} ${e.changes.map((c) => `${c.version} ${c.from ?? 'new'} → ${c.to}`).join(', ')}${e.reason ? `  "${e.reason}"` : ''}\n`);
      return 0;
    }
    default:
      throw new FlowlineError({ code: 'BAD_ARGUMENTS', message: `flowline models: unknown subcommand "${sub}".`, hint: MODELS_USAGE });
  }
}

function firstMetric(v: ListedVersion): string {
  const [node, metrics] = Object.entries(v.lineage.metrics).find(([, m]) => Object.keys(m).length) ?? [];
  if (!node || !metrics) return '';
  const [name, value] = Object.entries(metrics)[0];
  return `${node}.${name}=${Number(value.toPrecision(4))}`;
}

function listLine(v: ListedVersion): string {
  return `${v.id.padEnd(5)} ${v.stage.padEnd(10)} ${v.registeredAt.slice(0, 19).replace('T', ' ')}  ${`${v.model.learner} (${v.model.task})`.padEnd(34)} ${firstMetric(v).padEnd(26)} run ${v.lineage.runId ?? '–'}  ${v.exportedTo}`;
}

function showText(v: ListedVersion, gates: GateCheck): string {
  const lines = [
    `${v.id}  ${v.stage}  (${v.kind}, registered ${v.registeredAt})`,
    `  model      ${v.model.learner} (${v.model.task}) trained by node "${v.model.trainNode}" on ${v.lineage.trainedOn.rows} rows; reads ${v.model.inputs.join(', ')}`,
    `  exported   ${v.exportedTo}  sha256 ${v.sha256.slice(0, 16)}…`,
    `  run        ${v.lineage.runId ?? '– (not recorded)'}`,
    `  pipeline   ${v.lineage.pipeline.name}${v.lineage.pipeline.path ? ` (${v.lineage.pipeline.path})` : ''}  hash ${v.lineage.pipeline.hash?.slice(0, 16) ?? '–'}…`,
    ...v.lineage.data.map((d) => `  data       ${d.path}  ${d.hash.slice(0, 16)}…  ${d.size} bytes`),
    ...Object.entries(v.lineage.metrics).map(([node, m]) => `  metrics    ${node}: ${Object.entries(m).map(([k, x]) => `${k}=${Number(x.toPrecision(4))}`).join('  ')}`),
    gates.results.length ? `  gates      (from ${gates.source})` : '  gates      none declared',
    ...gates.results.map((r) => `    ${r.passed ? '✓' : '✗'} ${r.gate}: ${r.message}`),
  ];
  return `${lines.join('\n')}\n`;
}
