/** The node catalog the palette and inspector are built from: one entry per node spec. */
import type { z } from 'zod';
import { paramUi, type AnyNodeSpec, type ParamUi } from '../../spec/define-node.ts';
import { defaultParams, paramsChoiceOf, paramsJsonSchema } from '../../spec/params.ts';
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
  const objects = paramsChoiceOf(spec.params) ? (spec.params as z.ZodDiscriminatedUnion<z.ZodObject[]>).options : [spec.params as z.ZodObject];
  for (const object of objects) {
    for (const [name, schema] of Object.entries(object.shape as Record<string, z.ZodType>)) {
      const ui = paramUi(schema);
      if (ui) paramsUi[name] = ui;
    }
  }
  return {
    type: spec.type,
    version: spec.version,
    title: spec.title,
    category: spec.category,
    description: spec.description,
    ...(spec.help ? { help: spec.help } : {}),
    inputs,
    outputs,
    paramsSchema: paramsJsonSchema(spec.params),
    paramsUi,
    defaults: defaultParams(spec.params),
    exportable: spec.exportable,
    runsUserCode: spec.runsUserCode === true,
  };
}
