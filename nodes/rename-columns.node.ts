import { z } from 'zod';
import { renameColumns } from '../core/data/ops.ts';
import { defineNode, renamedKnown } from '../core/spec/index.ts';

export const renameColumnsNode = defineNode({
  type: 'data.rename_columns',
  version: 1,
  title: 'Rename Columns',
  category: 'Clean',
  description: 'Give columns new names. Place it before feature steps: a column a feature step reads or makes keeps its name.',
  help: {
    text:
      'Gives columns new names, to remove spaces or to match another table before a join. Place it before feature steps: a column a feature step reads or creates keeps its name inside the model.',
    example: '{"Sale Price": "price", "Lot Area": "area"} → the same table with those two columns renamed.',
  },
  inputs: { table: { type: 'table', label: 'Table' } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({
    names: z
      .record(z.string(), z.string())
      .default({})
      .meta({ description: 'Old name → new name, e.g. {"Sale Price": "price"}', ui: { widget: 'json', port: 'table' } }),
  }),
  exportable: false,
  summary: (p) => Object.entries(p.names).map(([a, b]) => `${a} → ${b}`).join(', ') || '(nothing)',
  columns: ({ inputs, params }) => ({ table: inputs.table && renamedKnown(inputs.table, params.names) }),
  async run({ inputs, params, ctx }) {
    return { table: await renameColumns(ctx, inputs.table, params.names) };
  },
});
