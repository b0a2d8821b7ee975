/** Small nodes and a fake table engine for the host tests (real compiler and executor underneath). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { ColumnProfile, RunEvent, TablePage } from '../../../core/host/api.ts';
import type { ServiceEngine } from '../../../core/host/service.ts';
import { CURRENT_VERSION, type Pipeline } from '../../../core/schema/index.ts';
import { defineNode, EMPTY_RECIPE, param, type TableRef } from '../../../core/spec/index.ts';
import { writeTable } from '../../../core/data/tables.ts';
import { TOY_NODES } from '../../support/toy-nodes.ts';

/** Emits a table reference whose rows the fake engine below serves (its "file" is a key). */
export const fakeTable = defineNode({
  type: 'hosttest.table',
  version: 1,
  title: 'Fake table',
  category: 'Sources',
  description: 'A three-row table.',
  inputs: { a: { type: 'metrics', label: 'A', required: false } },
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({ rows: z.number().int().default(3).meta({ description: 'How many rows.' }) }),
  exportable: false,
  async run({ params }) {
    const table: TableRef = {
      kind: 'table',
      path: `fake://rows/${params.rows}`,
      columns: [{ name: 'x', type: 'integer', dbType: 'BIGINT' }],
      rowCount: params.rows,
      recipe: EMPTY_RECIPE,
    };
    return { table };
  },
});

/** Runs user code (for the trust flow); the column param carries an inspector hint. */
export const fakeCode = defineNode({
  type: 'hosttest.code',
  version: 1,
  title: 'Fake SQL',
  category: 'Utility',
  description: 'Pretends to run SQL.',
  inputs: {},
  outputs: { out: { type: 'metrics', label: 'Out' } },
  params: z.object({
    sql: param.code('The query.', 'sql').default('select 1'),
    column: param.column('A column.'),
  }),
  exportable: false,
  runsUserCode: true,
  async run() {
    return { out: { kind: 'metrics', task: 'regression', scope: 'toy', values: { v: 1 }, charts: [], tables: [] } };
  },
});

/** A real Parquet table through core/data: x = 0..n-1, y = 2x, label a/b. */
export const rangeTable = defineNode({
  type: 'hosttest.range',
  version: 1,
  title: 'Range table',
  category: 'Sources',
  description: 'n rows of numbers.',
  inputs: {},
  outputs: { table: { type: 'table', label: 'Table' } },
  params: z.object({ rows: z.number().int().min(1).default(5).meta({ description: 'How many rows.' }) }),
  exportable: false,
  async run({ params, ctx }) {
    const sql = `SELECT range::BIGINT AS x, (range * 2)::DOUBLE AS y, CASE WHEN range % 2 = 0 THEN 'a' ELSE 'b' END AS label FROM range(${params.rows})`;
    return { table: await writeTable(ctx, sql, { newRowIds: true }) };
  },
});

export const HOST_TEST_NODES = [...TOY_NODES, fakeTable, fakeCode, rangeTable];

export const fakeData: Pick<ServiceEngine, 'pageOf' | 'profileOf'> = {
  async pageOf(table, offset, limit): Promise<TablePage> {
    const rows = Array.from({ length: table.rowCount }, (_, i) => [i * 10]).slice(offset, offset + limit);
    return { columns: table.columns, rows, offset, totalRows: table.rowCount };
  },
  async profileOf(table): Promise<ColumnProfile[]> {
    return [{ name: 'x', type: 'integer', dbType: 'BIGINT', count: table.rowCount, missing: 0, missingPct: 0, distinct: table.rowCount }];
  },
};

export function tempDir(prefix = 'flowline-host-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** const → add → table: three nodes, the last one with a table output. */
export function chainPipeline(addParams: Record<string, unknown> = {}): Pipeline {
  return {
    format: 'flowline.pipeline',
    version: CURRENT_VERSION,
    name: 'Chain',
    seed: 42,
    nodes: [
      { id: 'one', type: 'toy.constant', version: 1, params: { value: 2 } },
      { id: 'sum', type: 'toy.add', version: 1, params: { plus: 3, ...addParams } },
      { id: 'rows', type: 'hosttest.table', version: 1, params: { rows: 3 } },
    ],
    edges: [
      { from: 'one.out', to: 'sum.a' },
      { from: 'sum.out', to: 'rows.a' },
    ],
    layout: { positions: {}, notes: [], groups: [] },
  };
}

/** Collect events until the run:end of `runId`. */
export function waitForRunEnd(subscribe: (listener: (e: RunEvent) => void) => () => void, runId: () => string | undefined, timeoutMs = 20_000) {
  const events: RunEvent[] = [];
  const done = new Promise<RunEvent[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no run:end within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`)), timeoutMs);
    const off = subscribe((e) => {
      events.push(e);
      if (e.type === 'run:end' && e.runId === runId()) {
        clearTimeout(timer);
        off();
        resolve(events.filter((x) => x.runId === runId()));
      }
    });
  });
  return done;
}
