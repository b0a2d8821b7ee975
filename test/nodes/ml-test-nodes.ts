/**
 * Two stand-in nodes for the ML node tests, so a pipeline can be built before the real sources
 * and Split exist: `test.rows` writes a synthetic table, `test.split` keeps rows by ROW_ID (and the
 * recipe), as a Split node does.
 */
import { z } from 'zod';
import { ident, relation, writeJsTable, writeTable } from '../../core/data/tables.ts';
import { defineNode, ROW_ID, type AnyNodeSpec } from '../../core/spec/index.ts';
import { NODES } from '../../nodes/index.ts';
import { makeRows } from '../core/ml/model-fixtures.ts';

export const rowsNode = defineNode({
  type: 'test.rows',
  version: 1,
  title: 'Synthetic rows',
  category: 'Utility',
  description: 'x1, x2 (numbers), city (text), label (no/yes), amount (number).',
  inputs: {},
  outputs: { table: { type: 'table', label: 'Rows' } },
  params: z.object({ n: z.number().int().default(150), seed: z.number().int().default(1) }),
  exportable: false,
  async run({ params, ctx }) {
    const r = makeRows(params.n, params.seed);
    return {
      table: await writeJsTable(ctx, [
        { name: 'x1', data: r.x1 },
        { name: 'x2', data: r.x2 },
        { name: 'city', data: r.city },
        { name: 'label', data: r.label },
        { name: 'amount', data: r.amount },
      ]),
    };
  },
});

export const splitNode = defineNode({
  type: 'test.split',
  version: 1,
  title: 'Split by row id',
  category: 'Utility',
  description: 'train: ROW_ID < at; test: the rest.',
  inputs: { table: { type: 'table', label: 'Rows' } },
  outputs: { train: { type: 'table', label: 'Train' }, test: { type: 'table', label: 'Test' } },
  params: z.object({ at: z.number().int().default(100) }),
  exportable: false,
  async run({ inputs, params, ctx }) {
    const t = inputs.table;
    const q = ident(ROW_ID);
    return {
      train: await writeTable(ctx, `SELECT * FROM ${relation(t)} WHERE ${q} < ${params.at}`, { port: 'train', recipe: t.recipe }),
      test: await writeTable(ctx, `SELECT * FROM ${relation(t)} WHERE ${q} >= ${params.at}`, { port: 'test', recipe: t.recipe }),
    };
  },
});

export const TEST_NODES: AnyNodeSpec[] = [...NODES, rowsNode, splitNode];

/** rows → scale(x1, x2) → split(100/50): the front of every ML test pipeline. */
export const FRONT = {
  nodes: [
    { id: 'rows', type: 'test.rows', version: 1, params: {} },
    { id: 'scale', type: 'prep.scale', version: 1, params: { columns: ['x1', 'x2'] } },
    { id: 'split', type: 'test.split', version: 1, params: { at: 100 } },
  ],
  edges: [
    { from: 'rows.table', to: 'scale.table' },
    { from: 'scale.table', to: 'split.table' },
  ],
};
