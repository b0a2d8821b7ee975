/**
 * Synthetic rows for the Explain node tests (not a test file): x1, x2 (numbers), colour (four
 * categories that move the targets), noise (a number no target depends on), label (no/yes),
 * grade (low/mid/high) and amount (a number). `test.split` splits them by ROW_ID.
 */
import { z } from 'zod';
import { writeJsTable } from '../../core/data/tables.ts';
import { Rng } from '../../core/spec/random.ts';
import { defineNode, type AnyNodeSpec } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';
import { splitNode } from './ml-test-nodes.ts';

export const COLOURS = ['red', 'green', 'blue', 'grey'];
const COLOUR_EFFECT = [1.2, -0.8, 0.3, -0.4];

export const explainRowsNode = defineNode({
  type: 'test.explain_rows',
  version: 1,
  title: 'Synthetic rows for explanations',
  category: 'Utility',
  description: 'x1, x2, colour, noise, label, grade, amount.',
  inputs: {},
  outputs: { table: { type: 'table', label: 'Rows' } },
  params: z.object({ n: z.number().int().default(200), seed: z.number().int().default(1) }),
  exportable: false,
  async run({ params, ctx }) {
    const rng = new Rng(params.seed);
    const n = params.n;
    const x1 = new Float64Array(n), x2 = new Float64Array(n), noise = new Float64Array(n), amount = new Float64Array(n);
    const colour: string[] = [], label: string[] = [], grade: string[] = [];
    for (let i = 0; i < n; i++) {
      x1[i] = Math.round((rng.normal() * 2 + 1) * 100) / 100;
      x2[i] = Math.round(rng.normal() * 100) / 100;
      noise[i] = Math.round(rng.normal() * 100) / 100;
      const c = rng.int(4);
      colour.push(COLOURS[c]);
      const s = x1[i] - x2[i] + COLOUR_EFFECT[c] + rng.normal() * 0.4;
      amount[i] = 3 * x1[i] - 2 * x2[i] + 2 * COLOUR_EFFECT[c] + rng.normal() * 0.1;
      label.push(s > 1 ? 'yes' : 'no');
      grade.push(s < 0 ? 'low' : s < 2 ? 'mid' : 'high');
    }
    return {
      table: await writeJsTable(ctx, [
        { name: 'x1', data: x1 },
        { name: 'x2', data: x2 },
        { name: 'colour', data: colour },
        { name: 'noise', data: noise },
        { name: 'label', data: label },
        { name: 'grade', data: grade },
        { name: 'amount', data: amount },
      ]),
    };
  },
});

export const EXPLAIN_TEST_NODES: AnyNodeSpec[] = [...NODES, explainRowsNode, splitNode];

/** rows → one-hot(colour) → scale(x1, x2) → split(150 / 50). */
export const EXPLAIN_FRONT = {
  nodes: [
    { id: 'rows', type: 'test.explain_rows', version: 1, params: {} },
    { id: 'encode', type: 'prep.encode', version: 1, params: { columns: ['colour'], method: 'onehot' } },
    { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['x1', 'x2'] } },
    { id: 'split', type: 'test.split', version: 1, params: { at: 150 } },
  ],
  edges: [
    { from: 'rows.table', to: 'encode.table' },
    { from: 'encode.table', to: 'scale.table' },
    { from: 'scale.table', to: 'split.table' },
  ],
};
