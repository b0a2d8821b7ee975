/** The node catalog the palette and inspector are built from: one entry per node spec. */
import { z } from 'zod';
import { paramUi, type AnyNodeSpec, type ParamUi } from '../../spec/define-node.ts';
import type { CatalogNode, CatalogPort } from '../api.ts';

export function catalogOf(nodes: AnyNodeSpec[]): CatalogNode[] {
  return nodes.map(catalogEntry);
}

export function catalogEntry(spec: AnyNodeSpec): CatalogNode {
  const inputs: CatalogPort[] = Object.entries(spec.inputs).map(([name, p]) => ({
    name,
    type: p.type,
    label: p.label,
    required: p.required !== false,
    multiple: p.multiple === true,
  }));
  const outputs: CatalogPort[] = Object.entries(spec.outputs).map(([name, p]) => ({ name, type: p.type, label: p.label, required: true, multiple: false }));
  const paramsUi: Record<string, ParamUi> = {};
  for (const [name, schema] of Object.entries(spec.params.shape as Record<string, z.ZodType>)) {
    const ui = paramUi(schema);
    if (ui) paramsUi[name] = ui;
  }
  return {
    type: spec.type,
    version: spec.version,
    title: spec.title,
    category: spec.category,
    description: spec.description,
    inputs,
    outputs,
    paramsSchema: z.toJSONSchema(spec.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    paramsUi,
    defaults: defaultsOf(spec),
    exportable: spec.exportable,
    runsUserCode: spec.runsUserCode === true,
  };
}

/**
 * Default params. A node whose params all have defaults parses `{}` whole; otherwise (a column
 * the user must choose) take each param's own default and leave the required ones out.
 */
export function defaultsOf(spec: AnyNodeSpec): Record<string, unknown> {
  const whole = spec.params.safeParse({});
  if (whole.success) return whole.data as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(spec.params.shape as Record<string, z.ZodType>)) {
    const one = schema.safeParse(undefined);
    if (one.success && one.data !== undefined) out[name] = one.data;
  }
  return out;
}
