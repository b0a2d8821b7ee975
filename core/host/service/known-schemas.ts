/**
 * The studio's validation: diagnostics and every output port's columns, known before running
 * (sources read cheaply, then propagated by compile) and refreshed by what the last run produced.
 */
import type { SchemaMap } from '../api.ts';
import { compile, type KnownMap } from '../../compile/index.ts';
import type { Pipeline } from '../../schema/pipeline.ts';
import type { AnyNodeSpec } from '../../spec/define-node.ts';
import type { RunContext } from '../../spec/context.ts';
import type { RunSummary } from '../../spec/run-events.ts';
import { knownSources } from '../known-sources.ts';
import type { TrustGate } from './trust.ts';

export async function validateWithColumns(pipeline: Pipeline, nodes: readonly AnyNodeSpec[], where: { path?: string; cwd: string; trust: TrustGate; lastRun: RunSummary | null; savedConnection?: RunContext['savedConnection'] }) {
  const effects = await where.trust.effects(pipeline, where.path);
  // A source whose file needs trust the pipeline lacks is not read, not even its header. A query is
  // described (which contacts the database) only when the run would be allowed to send it.
  const refused = new Set((await where.trust.refused(effects.filter((e) => e.kind === 'query'))).map((e) => e.nodeId));
  const untrusted = effects.filter((e) => e.kind === 'read' || refused.has(e.nodeId)).map((e) => e.nodeId);
  const sources = await knownSources(pipeline, nodes, { path: where.path, cwd: where.cwd, skip: new Set(untrusted), savedConnection: where.savedConnection });
  const { diagnostics, known } = compile(pipeline, nodes, { sources });
  return { diagnostics, schemas: mergeSchemas(known, where.lastRun) };
}

/**
 * Inferred columns where they are complete (they follow the current params), else what the last
 * run produced (it names one-hot's columns and a formula's type), else the partial inference.
 */
export function mergeSchemas(known: KnownMap, lastRun: RunSummary | null): SchemaMap {
  const out: SchemaMap = {};
  for (const node of lastRun?.nodes ?? []) {
    for (const [port, value] of Object.entries(node.outputs ?? {})) {
      if (value.kind === 'table') (out[node.id] ??= {})[port] = value.columns;
    }
  }
  for (const [id, ports] of Object.entries(known)) {
    for (const [port, table] of Object.entries(ports)) {
      if (!table) continue;
      const complete = !table.more && table.columns.every((c) => c.type !== 'other');
      if (complete || !out[id]?.[port]) (out[id] ??= {})[port] = table.columns;
    }
  }
  return out;
}
