import { describe, expect, it } from 'vitest';
import { streamColumns } from '../../../core/data/column-stream.ts';
import { readColumns, relation, writeTable } from '../../../core/data/tables.ts';
import { fakeContext } from '../../support/fake-context.ts';

describe('streamColumns, text columns', () => {
  it('gives every row once, in order, whether the chunks line up with DuckDB\'s vectors or straddle them', async () => {
    // Short and long strings (12 bytes and more are stored apart), missing values, a number beside them.
    const t = await writeTable(
      fakeContext(),
      `SELECT i * 0.5 AS a, CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN 'a longer value, row ' || i ELSE 'r' || (i % 50) END AS s FROM range(10000) t(i)`,
      { newRowIds: true },
    );
    const whole = await readColumns(t, ['a', 's']);
    // 4,096: a multiple of DuckDB's 2,048-row vectors (text lands straight in the chunk); 3,000 and 1,000: straddling.
    for (const chunkRows of [4096, 3000, 1000]) {
      const ids: number[] = [];
      const a: number[] = [];
      const s: (string | null)[] = [];
      let chunks = 0;
      const total = await streamColumns(relation(t), ['a', 's'], { chunkRows }, async (chunk) => {
        chunks++;
        ids.push(...chunk.rowIds);
        a.push(...(chunk.columns.a as Float64Array));
        s.push(...(chunk.columns.s as (string | null)[]));
        expect(chunk.rowIds.length, `chunk ${chunks} of ${chunkRows}`).toBe((chunk.columns.s as unknown[]).length);
      });
      expect(total).toBe(10000);
      expect(chunks, String(chunkRows)).toBe(Math.ceil(10000 / chunkRows));
      expect(ids).toEqual(Array.from(whole.rowIds));
      expect(a).toEqual(Array.from(whole.columns.a as Float64Array));
      expect(s, String(chunkRows)).toEqual(whole.columns.s);
    }
  });
});
