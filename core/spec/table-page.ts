/**
 * A page of a table's rows and its column profile: what core/data computes for the Preview tab
 * and the Profile node, and what the hosts hand the studio (through core/host/api.ts).
 */
import type { ColumnSchema, ColumnType } from './values.ts';

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  dbType: string;
  count: number;
  missing: number;
  missingPct: number;
  distinct: number;
  /**
   * Floating-point columns only, when present: values that are NaN and values that are +/-Infinity.
   * They count in `count` (they are not missing) but not in min, max, mean, std, quantiles or the
   * histogram, which describe the finite values.
   */
  nan?: number;
  infinite?: number;
  min?: number | string | null;
  max?: number | string | null;
  mean?: number | null;
  std?: number | null;
  /** p05, p25, p50, p75, p95 for numeric columns. */
  quantiles?: Record<string, number | null>;
  top?: { value: string | number | boolean | null; count: number }[];
  histogram?: { x0: number; x1: number; count: number }[];
  /**
   * Large tables: the histogram was counted on a sample of the rows, this many of the column's
   * values, and its counts scaled to the column's (they add up to it). Absent when every row was counted.
   */
  histogramSample?: number;
}

/** How a histogram counted on a sample says so ("estimated from a sample of 32,701 values"); null when every row was counted. */
export function histogramSampleNote(p: Pick<ColumnProfile, 'histogramSample'>): string | null {
  return p.histogramSample ? `estimated from a sample of ${p.histogramSample.toLocaleString('en')} values` : null;
}

export interface TablePage {
  columns: ColumnSchema[];
  /** Rows as arrays, in `columns` order; dates as ISO strings, bigints as numbers or strings. */
  rows: unknown[][];
  offset: number;
  totalRows: number;
  /** Present when asked for. */
  profile?: ColumnProfile[];
}
