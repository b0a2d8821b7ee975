/**
 * A source node for the feature-step node tests: 20 rows with gaps, text categories, dates and
 * delimited text, plus the stand-in split from ml-test-nodes (keeps rows by ROW_ID and the recipe).
 */
import { z } from 'zod';
import { writeJsTable } from '../../core/data/tables.ts';
import { defineNode, type AnyNodeSpec } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';
import { splitNode } from './ml-test-nodes.ts';

export const N = 20;
export const X = Float64Array.from({ length: N }, (_, i) => (i === 3 || i === 15 ? NaN : i * 1.5 + (i % 3)));
export const CITY = Array.from({ length: N }, (_, i) => (i === 7 ? null : ['Paris', 'Lyon', 'Paris', 'Nice', 'Paris'][i % 5]));
export const Y = Float64Array.from({ length: N }, (_, i) => (i % 2 === 0 ? 1 : 0) + (i > 12 ? 0.5 : 0));
export const DAY = Float64Array.from({ length: N }, (_, i) => Date.UTC(2024, 0, 1 + i * 9, i % 24));
export const PLACE = Array.from({ length: N }, (_, i) => `${['Paris', 'Lyon'][i % 2]}, ${['FR', 'EU'][i % 2]}`);

export const prepRowsNode = defineNode({
  type: 'test.prep_rows',
  version: 1,
  title: 'Prep test rows',
  category: 'Utility',
  description: 'x (gaps), pos, city (text, one gap), label (yes/no), y, day (date), place ("City, CC").',
  inputs: {},
  outputs: { table: { type: 'table', label: 'Rows' } },
  params: z.object({}),
  exportable: false,
  async run({ ctx }) {
    return {
      table: await writeJsTable(ctx, [
        { name: 'x', data: X },
        { name: 'pos', data: Float64Array.from({ length: N }, (_, i) => 1 + ((i * 7) % 11) ** 2) },
        { name: 'city', data: CITY },
        { name: 'label', data: Array.from({ length: N }, (_, i) => (i % 2 === 0 ? 'yes' : 'no')) },
        { name: 'y', data: Y },
        { name: 'day', data: DAY, type: 'date' },
        { name: 'place', data: PLACE },
      ]),
    };
  },
});

export const PREP_TEST_NODES: AnyNodeSpec[] = [...NODES, prepRowsNode, splitNode];

/** rows → <node under test>, optionally → split(at) */
export function pipelineWith(type: string, params: Record<string, unknown>, opts: { split?: number } = {}) {
  const nodes: { id: string; type: string; version: number; params: Record<string, unknown> }[] = [
    { id: 'rows', type: 'test.prep_rows', version: 1, params: {} },
    { id: 'step', type, version: 1, params },
  ];
  const edges = [{ from: 'rows.table', to: 'step.table' }];
  if (opts.split !== undefined) {
    nodes.push({ id: 'split', type: 'test.split', version: 1, params: { at: opts.split } });
    edges.push({ from: 'step.table', to: 'split.table' });
  }
  return { seed: 7, nodes, edges };
}
