import { join } from 'node:path';
import { literal, withConnection } from '../../core/data/engine.ts';

/**
 * The CSV of the past-memory tests: `rows` rows × 20 columns like bench/scale.ts (numbers, whole
 * numbers, categories, a date and a 0/1 target), ~125 bytes a line, every value a hash of its row
 * number: id, x0..x11, n0..n2, cat (40 values), seg (5,000 values), day, target (30% ones).
 * Written by DuckDB to `dir`/big.csv; returns its path.
 */
export async function writeBigCsv(dir: string, rows: number): Promise<string> {
  const path = join(dir, 'big.csv');
  const cols = [
    'i AS id',
    ...Array.from({ length: 12 }, (_, k) => `round(((hash(i + ${k}) % 100000) / 1000.0) - 50, 3) AS x${k}`),
    ...Array.from({ length: 3 }, (_, k) => `(hash(i * 3 + ${k}) % ${10 ** (k + 1)}) AS n${k}`),
    `'c' || (hash(i) % 40) AS cat`,
    `'s' || (hash(i + 9) % 5000) AS seg`,
    `DATE '2020-01-01' + CAST(hash(i + 7) % 1500 AS INTEGER) AS day`,
    `(hash(i + 11) % 10 < 3)::INTEGER AS target`,
  ];
  await withConnection((con) => con.run(`COPY (SELECT ${cols.join(', ')} FROM range(${rows}) t(i)) TO ${literal(path)} (FORMAT csv, HEADER true)`));
  return path;
}
