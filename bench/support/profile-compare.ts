/** Two profiles of one table compared field for field (benchmarks: a cheaper path must give the same profile). */
import type { ColumnProfile } from '../../core/spec/table-page.ts';

/**
 * Mean and std are sums that DuckDB's threads add up in whatever order they finish: their last
 * digits move between runs of the same build (about 1e-14 relative on this table).
 */
const SUM_FIELDS = new Set(['mean', 'std']);
export const SUM_TOLERANCE = 1e-12;

/** Fields of two profiles that differ, as "column.field: a ≠ b" (empty: identical field for field, mean and std within SUM_TOLERANCE). */
export function profileDifferences(want: ColumnProfile[], got: ColumnProfile[]): string[] {
  const out: string[] = [];
  if (want.length !== got.length) out.push(`${want.length} columns ≠ ${got.length}`);
  want.forEach((w, j) => {
    const wr = w as unknown as Record<string, unknown>;
    const g = (got[j] ?? {}) as unknown as Record<string, unknown>;
    for (const k of new Set([...Object.keys(wr), ...Object.keys(g)])) {
      const [x, y] = [wr[k], g[k]];
      if (SUM_FIELDS.has(k) && typeof x === 'number' && typeof y === 'number' && Math.abs(x - y) <= SUM_TOLERANCE * Math.max(Math.abs(x), Math.abs(y))) continue;
      const a = JSON.stringify(x);
      const b = JSON.stringify(y);
      if (a !== b) out.push(`${w.name}.${k}: ${a?.slice(0, 120)} ≠ ${b?.slice(0, 120)}`);
    }
  });
  return out;
}
