/**
 * Columns known before running, propagated through the graph (core/spec/known-columns.ts says
 * what "known" means): sources start from what the host read of their files, every node maps
 * its inputs' known tables to its outputs', and each column a param names is checked against
 * the table on the param's port — a misspelt target is an error naming node, param and the
 * likeliest column, before anything runs.
 */
import type { z } from 'zod';
import { isSelector } from '../spec/columns.ts';
import { paramUi, type AnyNodeSpec } from '../spec/define-node.ts';
import type { ErrorInfo } from '../spec/errors.ts';
import { mayHave, type KnownInputs, type KnownOutputs, type KnownTable } from '../spec/known-columns.ts';
import { paramsObjectFor } from '../spec/params.ts';
import { ROW_ID } from '../spec/values.ts';
import { closest } from './param-issues.ts';

export interface InferNode {
  id: string;
  spec: AnyNodeSpec;
  params: Record<string, unknown>;
  /** Input port → upstream (node, port), in edge order. */
  inputs: Record<string, { node: string; port: string }[]>;
  disabled: boolean;
}

/** Node id → output port → known table (absent: known only after a run). */
export type KnownMap = Record<string, KnownOutputs>;

/**
 * Walk `nodes` (in topological order): sources take `sources[id]`, other nodes their `columns`
 * hook; each node's column params are checked against its known inputs, and its `checkColumns`
 * run. A hook that throws leaves that node's outputs unknown (never a false error).
 */
export function inferColumns(nodes: InferNode[], sources: Record<string, KnownTable>): { known: KnownMap; issues: ErrorInfo[] } {
  const known: KnownMap = {};
  const issues: ErrorInfo[] = [];
  for (const node of nodes) {
    if (node.disabled) continue;
    const inputs: KnownInputs = {};
    for (const [port, from] of Object.entries(node.inputs)) {
      // Several tables on one port (SQL, Union): their columns are the node's business.
      inputs[port] = from.length === 1 ? known[from[0].node]?.[from[0].port] : undefined;
    }
    issues.push(...missingColumns(node, inputs));
    try {
      if (node.spec.checkColumns) issues.push(...node.spec.checkColumns({ inputs, params: node.params }).map((i) => ({ nodeId: node.id, ...i })));
      known[node.id] = sources[node.id] && Object.keys(node.spec.inputs).length === 0 ? onlyOutput(node.spec, sources[node.id]) : (node.spec.columns?.({ inputs, params: node.params }) ?? {});
    } catch {
      known[node.id] = {};
    }
  }
  return { known, issues };
}

function onlyOutput(spec: AnyNodeSpec, table: KnownTable): KnownOutputs {
  const ports = Object.keys(spec.outputs);
  return ports.length === 1 ? { [ports[0]]: table } : {};
}

/** Every column a `column`/`columns` param (or the node's `columnRefs`) names that the table on its port cannot have. */
function missingColumns(node: InferNode, inputs: KnownInputs): ErrorInfo[] {
  const shape = (paramsObjectFor(node.spec.params, node.params)?.shape ?? {}) as Record<string, z.ZodType>;
  const named: { param: string; port: string; columns: string[]; list: boolean; ref?: boolean }[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const ui = paramUi(schema);
    const value = node.params[name];
    if ((ui?.widget !== 'column' && ui?.widget !== 'columns') || value === undefined || value === '' || isSelector(value)) continue;
    named.push({ param: name, port: ui.port ?? 'table', columns: Array.isArray(value) ? (value as string[]) : [String(value)], list: Array.isArray(value) });
  }
  for (const ref of node.spec.columnRefs?.(node.params) ?? []) named.push({ param: ref.param, port: ref.port ?? 'table', columns: ref.columns, list: false, ref: true });
  const out: ErrorInfo[] = [];
  for (const { param, port, columns, list, ref } of named) {
    const table = inputs[port];
    if (!table) continue;
    columns.forEach((column, i) => {
      if (mayHave(table, column)) return;
      const visible = table.columns.map((c) => c.name).filter((c) => c !== ROW_ID);
      const near = closest(column, visible);
      out.push({
        code: 'COLUMN_NOT_FOUND',
        nodeId: node.id,
        path: list ? [param, i] : [param],
        column,
        // "did you mean" in the message too: the studio shows the message under the field.
        message: `Node "${node.id}" (${node.spec.title}): ${ref ? `${param} reads "${column}", which` : `${param} "${column}"`} is not a column of its input${table.more ? '' : ` (${visible.length} columns)`}.${near ? ` Did you mean "${near}"?` : ''}`,
        hint: `${near ? `Did you mean "${near}"? ` : ''}Columns: ${visible.slice(0, 20).join(', ')}${visible.length > 20 ? ', …' : ''}${table.more ? `; a run will also name some starting with ${table.more.map((m) => `"${m}"`).join(', ')}` : ''}.`,
      });
    });
  }
  return out;
}
