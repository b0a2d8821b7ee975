import { describe, expect, it } from 'vitest';
import { readColumns } from '../../core/data/tables.ts';
import { codeWorkerStats, keepCodeWorkerWarm } from '../../core/ml/code-node/run-code.ts';
import type { TableRef } from '../../core/spec/index.ts';
import { runPipeline } from '../support/run-pipeline.ts';
import { N, pipelineWith, PREP_TEST_NODES } from './prep-test-nodes.ts';

const run = (code: string, extra: Record<string, unknown> = {}) => runPipeline(pipelineWith('prep.code', { code, ...extra }), { nodes: PREP_TEST_NODES });

describe('prep.code runs JavaScript on a danfo DataFrame in a worker', () => {
  it('returns a new table (new row ids, empty recipe) from (df, dfd) => df', async () => {
    const r = await run(`(df, dfd) => {
  df.addColumn('double_pos', df.column('pos').mul(2), { inplace: true });
  return df.query(df.column('pos').gt(10));
}`);
    const t = r.output<TableRef>('step', 'table');
    const pos = Array.from({ length: N }, (_, i) => 1 + ((i * 7) % 11) ** 2);
    expect(t.rowCount).toBe(pos.filter((p) => p > 10).length);
    expect(t.recipe).toEqual({ base: null, steps: [] });
    const cols = await readColumns(t, ['pos', 'double_pos', 'city']);
    expect(Array.from(cols.rowIds)).toEqual(Array.from({ length: t.rowCount }, (_, i) => i));
    expect(Array.from(cols.columns.double_pos as Float64Array)).toEqual(pos.filter((p) => p > 10).map((p) => p * 2));
    expect((cols.columns.city as string[]).length).toBe(t.rowCount);
  });

  it('a long-lived host gets the next run a worker started ahead, which never sees an earlier run\'s globals', async () => {
    keepCodeWorkerWarm(true);
    try {
      const code = `(df) => {
  const seen = globalThis.flowlineSeen ?? 0;
  globalThis.flowlineSeen = seen + 1;
  df.addColumn('seen', df.column('pos').mul(0).add(seen), { inplace: true });
  return df;
}`;
      const before = { ...codeWorkerStats };
      const first = await run(code);
      const second = await run(code);
      expect(codeWorkerStats.fromSpare - before.fromSpare).toBe(1);
      for (const r of [first, second]) {
        const seen = (await readColumns(r.output<TableRef>('step', 'table'), ['seen'])).columns.seen as Float64Array;
        expect(Array.from(new Set(seen))).toEqual([0]);
      }
    } finally {
      keepCodeWorkerWarm(false);
    }
  });

  it("reports a runtime error at the user's line", async () => {
    const r = await run(`(df) => {
  const a = 1;
  return df.column('no_such_column');
}`);
    const err = r.node('step').error!;
    expect(err.code).toBe('EXPRESSION_ERROR');
    expect(err.message).toMatch(/\(line 3\)/);
    expect(err.line).toBe(3);
  });

  it("reports a syntax error at the user's line", async () => {
    const r = await run(`const a = 1;\nconst b = ;\nreturn df;`);
    expect(r.node('step').error).toMatchObject({ code: 'EXPRESSION_ERROR', line: 2 });
  });

  it('stops code that runs past its time limit', async () => {
    const r = await run(`() => { while (true) {} }`, { timeout_s: 1 });
    expect(r.node('step').error).toMatchObject({ code: 'TIMEOUT' });
  });
});
