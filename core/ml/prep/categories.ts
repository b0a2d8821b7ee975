/**
 * Categories of a column, as scikit-learn 1.2's encoders see them: the distinct values, sorted
 * (numbers numerically, text by code unit as Python sorts str), missing last. Numbers are keyed by
 * String(value); missing is the key null.
 */
import { getColumn, pick, textKeys, type Frame } from '../frame.ts';

export type Key = string | null;

export interface ColumnCategories {
  numeric: boolean;
  /** Sorted, missing (null) last when present. */
  categories: Key[];
  counts: number[];
}

export function keyColumn(frame: Frame, name: string, who: string): Key[] {
  return textKeys(frame, name, who);
}

export function learnCategories(frame: Frame, name: string, who: string, rowIndex?: Uint32Array): ColumnCategories {
  const raw = pick(getColumn(frame, name, who), rowIndex);
  const numeric = raw instanceof Float64Array;
  const counts = new Map<Key, number>();
  if (numeric) {
    const num = new Map<number, number>();
    let missing = 0;
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (Number.isNaN(v)) missing++;
      else num.set(v, (num.get(v) ?? 0) + 1);
    }
    const sorted = [...num.keys()].sort((a, b) => a - b);
    const categories: Key[] = sorted.map(String);
    const c = sorted.map((v) => num.get(v)!);
    if (missing) {
      categories.push(null);
      c.push(missing);
    }
    return { numeric, categories, counts: c };
  }
  for (const v of raw) counts.set(v, (counts.get(v) ?? 0) + 1);
  const categories: Key[] = [...counts.keys()].filter((k) => k !== null).sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
  if (counts.has(null)) categories.push(null);
  return { numeric, categories, counts: categories.map((k) => counts.get(k)!) };
}
