import { describe, expect, it } from 'vitest';
import { columnStreamStats, partsRelation, streamColumns, writeColumnsStreamed } from '../../../core/data/column-stream.ts';
import { duckdbMemoryLimit } from '../../../core/data/engine.ts';
import { columnSchemas, copyToParquet, joinedSelect, relation, ROWS_IN_ORDER, withConnection, writeTable } from '../../../core/data/tables.ts';
import { ROW_ID, type TableRef } from '../../../core/spec/index.ts';
import { fakeContext } from '../../support/fake-context.ts';

// This file's process gets a DuckDB of its own (vitest isolates test files), created on first use with this cap.
process.env.FLOWLINE_DUCKDB_MEMORY = '16MB';
const CAP = 16 * 1024 ** 2;

/**
 * `rows` rows of a double and a text column: ROW_IDs in the file (a permutation, not in file order;
 * no sort, which would not fit the cap) or, with `inOrder`, a file whose positions are its ROW_IDs.
 */
async function table(rows: number, inOrder: boolean): Promise<TableRef> {
  const values = `i * 0.5 AS a, 'r' || i AS s FROM range(${rows}) t(i)`;
  return writeTable(fakeContext(), inOrder ? `SELECT ${values}` : `SELECT (i * 7919) % ${rows} AS ${ROW_ID}, ${values}`, { port: 'base', newRowIds: inOrder });
}

describe('writeColumnsStreamed past DuckDB memory cap', () => {
  it('appended columns larger than the cap are written beside the table once, row for row in its file order', async () => {
    expect(duckdbMemoryLimit()).toBe(CAP);
    const rows = 700_000;
    const base = await table(rows, false);
    // Three columns of 700k rows: 17 MB of doubles and text, more than the whole cap.
    expect(rows * 3 * 8).toBeGreaterThan(CAP);
    const before = columnStreamStats.baseRowsWritten;
    const out = await writeColumnsStreamed(fakeContext(), base, async (append) => {
      await streamColumns(relation(base), ['a', 's'], { chunkRows: 65_536 }, async ({ columns }) => {
        const a = columns.a as Float64Array;
        const s = columns.s as (string | null)[];
        await append({ twice: a.map((v) => v * 2), label: s.map((v) => `${v}!`), half: a.map((v) => v / 2) });
      });
    });
    expect(out.rowCount).toBe(rows);
    expect(out.columns.map((c) => c.name)).toEqual(['a', 's', 'twice', 'label', 'half']);
    // Every row of the table written once: into the output, not into parts first and again.
    expect(columnStreamStats.baseRowsWritten - before).toBe(rows);
    const [check] = await withConnection(async (con) =>
      (
        await con.runAndReadAll(
          `SELECT count(*), count(*) FILTER (WHERE b.${ROW_ID} = o.${ROW_ID} AND o.twice = b.a * 2 AND o.half = b.a / 2 AND o.label = b.s || '!' AND o.s = b.s) FROM ${relation(base)} b POSITIONAL JOIN ${relation(out)} o`,
        )
      ).getRowsJS(),
    );
    expect(check.map(Number)).toEqual([rows, rows]);
  }, 120_000);

  it('the one join reads the table and the appended parts in step (a positional scan), holding neither side whole', async () => {
    // DuckDB plans POSITIONAL JOIN of two bare scans as POSITIONAL_SCAN: a chunk of each at a time.
    // Anything else (a filter, a subquery it cannot fold) makes a join that holds its right side
    // in memory first, which past the cap spills or fails: this pins the plan writeJoined runs.
    const plans: string[] = [];
    for (const inOrder of [false, true]) {
      const base = await table(1000, inOrder);
      expect(base.path.endsWith(ROWS_IN_ORDER)).toBe(inOrder);
      const parts = [`${base.path}.p0.parquet`, `${base.path}.p1.parquet`];
      const plan = await withConnection(async (con) => {
        await copyToParquet(con, 'SELECT i * 1.0 AS c0, CAST(i AS VARCHAR) AS c1 FROM range(600) t(i)', parts[0]);
        await copyToParquet(con, 'SELECT i * 1.0 AS c0, CAST(i AS VARCHAR) AS c1 FROM range(600, 1000) t(i)', parts[1]);
        const cols = (await columnSchemas(con, `SELECT * FROM ${relation(base)}`)).filter((c) => c.name !== ROW_ID);
        const select = joinedSelect(cols, relation(base), partsRelation(parts), ['s', 'p'], ['c1', 'c0'], ['a']);
        const [[n]] = (await con.runAndReadAll(`SELECT count(*) FROM (${select})`)).getRowsJS();
        expect(Number(n)).toBe(1000);
        return (await con.runAndReadAll(`EXPLAIN ${select}`)).getRowsJS().map((r) => String(r[1])).join('\n');
      });
      plans.push(plan);
    }
    for (const plan of plans) {
      expect(plan).toContain('POSITIONAL_SCAN');
      expect(plan).not.toContain('POSITIONAL_JOIN');
    }
  });
});
